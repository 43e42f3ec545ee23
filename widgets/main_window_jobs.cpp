// The main window's evaluations: the "New evaluation" dialog, running a
// request into its project here or on Slurm, showing finished cells at once
// (and refitting, debounced), and what closing does while jobs run.
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>

#include "common/error.h"
#include "evaluation_launcher.h"
#include "hub/hub_config.h"
#include "job_queue.h"
#include "live_fitter.h"
#include "main_window.h"
#include "new_evaluation_dialog.h"
#include "project_loader.h"
#include "project_session.h"
#include "slurm_choices.h"
#include "slurm_resume_check.h"
#include "store/project.h"
#include "store_rows.h"

namespace qid::ui {

void MainWindow::newEvaluation() {
  NewEvaluationDialog dialog(session_->projectPath(), qid::hub::configFromEnvironment().cacheDir, this);
  const int result = dialog.exec();
  if (result == QDialog::Accepted) runEvaluation(dialog.request());
  else if (result == NewEvaluationDialog::RunOnSlurm) runOnSlurm(dialog.request(), dialog.slurmChoices());
}

void MainWindow::openTargetProject(const EvaluationRequest& request) {
  // Results show up live in the open project: open (or create) the target first.
  if (QFileInfo(request.projectPath).absoluteFilePath() != session_->projectPath()) {
    loadStoreProject(*session_, request.projectPath, true);
    liveStore_.reset();
    setWindowTitle(tr("%1[*] — QiD Lab").arg(session_->name()));
    resumeSlurmArrays();
  }
}

void MainWindow::resumeSlurmArrays() {
  delete resumeCheck_;  // a check of the project opened before stops (joins)
  resumeCheck_ = nullptr;
  const QString path = session_->projectPath();
  if (path.isEmpty() || !QFileInfo::exists(path)) return;
  resumeCheck_ = new SlurmResumeCheck(path, this);
  if (launcher_->slurmCommandRunner()) resumeCheck_->setCommandRunner(launcher_->slurmCommandRunner());
  connect(resumeCheck_, &SlurmResumeCheck::found, this, [this, path](qint64 arrayId, const QString& name) {
    launcher_->followOnSlurm(path, arrayId, name);
    showMessage(tr("Following the Slurm array of %1 again").arg(name));
  });
  connect(resumeCheck_, &SlurmResumeCheck::problem, this, [this](const QString& text) {
    showMessage(tr("Cannot tell where a Slurm array stands: %1").arg(text));
  });
  resumeCheck_->start();
}

bool MainWindow::runOnSlurm(const EvaluationRequest& request, const SlurmChoices& choices) {
  try {
    openTargetProject(request);
    launcher_->launchOnSlurm(request, choices);
  } catch (const qid::Error& e) {
    QMessageBox::warning(this, tr("Cannot submit the evaluation to Slurm"), QString::fromStdString(e.what()));
    return false;
  }
  showMessage(tr("Evaluation %1 is being submitted to Slurm").arg(request.name));
  return true;
}

bool MainWindow::runEvaluation(const EvaluationRequest& request) {
  try {
    openTargetProject(request);
    launcher_->launch(request);
  } catch (const qid::Error& e) {
    QMessageBox::warning(this, tr("Cannot start the evaluation"), QString::fromStdString(e.what()));
    return false;
  }
  showMessage(tr("Evaluation %1 queued").arg(request.name));
  return true;
}

void MainWindow::onCellFinished(const QString& projectPath, const QString& cellId) {
  if (projectPath.isEmpty() || QFileInfo(projectPath).absoluteFilePath() != session_->projectPath()) return;
  try {
    // The GUI thread's own handle on the file (WAL: it never blocks the sweep).
    if (!liveStore_) liveStore_ = std::make_unique<qid::store::Project>(projectPath.toStdString());
    const QVector<MeasurementRow> rows = storeRowsForCell(*liveStore_, cellId.toStdString());
    session_->appendRows(rows);
    if (!rows.isEmpty()) liveFitter_->schedule();
  } catch (const qid::Error& e) {
    showMessage(tr("Cannot read the new result: %1").arg(QString::fromStdString(e.what())));
  }
}

MainWindow::CloseChoice MainWindow::askAboutJobs() {
  if (closeChoice_ != CloseChoice::Ask) return closeChoice_;
  QMessageBox box(QMessageBox::Question, tr("Jobs are running"),
                  tr("Evaluations or downloads are still running. Stop them, or keep them running "
                     "and quit when they are done?"),
                  QMessageBox::NoButton, this);
  QPushButton* stop = box.addButton(tr("Stop jobs and quit"), QMessageBox::DestructiveRole);
  QPushButton* keep = box.addButton(tr("Keep them, quit when done"), QMessageBox::AcceptRole);
  box.addButton(QMessageBox::Cancel);
  box.setDefaultButton(keep);
  box.exec();
  if (box.clickedButton() == stop) return CloseChoice::StopJobs;
  if (box.clickedButton() == keep) return CloseChoice::KeepJobs;
  return CloseChoice::Cancel;
}

}  // namespace qid::ui
