// The main window's micro-suite demo: the dialog, opening the demo's project
// and queueing core's reproduce into it, and what the window reloads as the
// phases finish (fluctuation rows, the fitted unified law).
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QMessageBox>

#include "common/error.h"
#include "cell_runner_factory.h"
#include "core_law.h"
#include "demo_dialog.h"
#include "fluctuation_data.h"
#include "job_queue.h"
#include "job_queue_panel.h"
#include "main_window.h"
#include "project_loader.h"
#include "project_session.h"
#include "reproduce_job.h"
#include "store/project.h"

namespace qid::ui {

void MainWindow::startDemo() {
  DemoDialog dialog(this);
  if (dialog.exec() != QDialog::Accepted) return;
  runDemo(dialog.request());
}

ReproduceJob* MainWindow::runDemo(const DemoRequest& given) {
  DemoRequest request = given;
  if (request.plotter.isEmpty()) {
    const QString plotter = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("qidlab-plot"));
    if (QFileInfo(plotter).isExecutable()) request.plotter = plotter;
  }
  try {
    if (!QDir().mkpath(request.outDir))
      throw qid::Error("cannot create the demo folder " + request.outDir.toStdString());
    // Results show up live in the open project: open (or create) it first.
    if (QFileInfo(request.projectPath()).absoluteFilePath() != session_->projectPath()) {
      loadStoreProject(*session_, request.projectPath(), true);
      liveStore_.reset();
      setWindowTitle(tr("%1[*] — QiD Lab").arg(session_->name()));
    }
  } catch (const qid::Error& e) {
    QMessageBox::warning(this, tr("Cannot start the demo"), QString::fromStdString(e.what()));
    return nullptr;
  }
  auto* job = new ReproduceJob(request, makeEvaluationRunner());
  const QString project = QFileInfo(request.projectPath()).absoluteFilePath();
  connect(job, &ReproduceJob::phaseFinished, this, [this, project](const QString& phase) {
    if (phase == QLatin1String("fluctuation")) reloadFluctuation(project);
  });
  connect(job, &SweepJob::finished, this, [this, job] { demoFinished(job); });
  jobs_->add(job);
  selectChart(QStringLiteral("tokens"));
  showMessage(tr("Micro-suite demo (%1) queued into %2").arg(request.preset, request.outDir));
  return job;
}

void MainWindow::reloadFluctuation(const QString& projectPath) {
  if (projectPath != session_->projectPath()) return;
  try {
    if (!liveStore_) liveStore_ = std::make_unique<qid::store::Project>(projectPath.toStdString());
    session_->setFluctuation(loadFluctuationData(*liveStore_));
  } catch (const qid::Error& e) {
    showMessage(tr("Cannot read the fluctuation rows: %1").arg(QString::fromStdString(e.what())));
  }
}

void MainWindow::demoFinished(ReproduceJob* job) {
  const QString project = QFileInfo(job->request().projectPath()).absoluteFilePath();
  if (project != session_->projectPath()) return;
  reloadFluctuation(project);
  // The unified law reproduce fitted, drawn over the measurements.
  const QString unified = QDir(job->request().outDir).filePath(QStringLiteral("laws/unified.json"));
  if (QFileInfo::exists(unified)) {
    try {
      qid::laws::Law law = qid::laws::loadLaw(unified.toStdString());
      law.name = "demo-unified";
      session_->setCurrentLaw(session_->upsertLaw(std::make_shared<CoreLaw>(std::move(law))));
    } catch (const qid::Error& e) {
      showMessage(tr("Cannot load the fitted law: %1").arg(QString::fromStdString(e.what())));
    }
  }
  if (job->state() == SweepJob::State::Finished)
    showMessage(tr("Micro-suite demo done: %1").arg(job->reportPath()));
}

}  // namespace qid::ui
