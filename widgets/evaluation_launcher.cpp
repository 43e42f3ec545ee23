#include "evaluation_launcher.h"

#include <QFileInfo>

#include "common/error.h"
#include "download_job.h"
#include "download_panel.h"
#include "job_queue.h"
#include "slurm_array_job.h"
#include "slurm_choices.h"
#include "sweep_job.h"

namespace qid::ui {

EvaluationLauncher::EvaluationLauncher(JobQueue* queue, DownloadPanel* downloads, RunnerFactory factory,
                                       qid::hub::HubConfig hub, QObject* parent)
    : QObject(parent), queue_(queue), panel_(downloads), factory_(std::move(factory)), hub_(std::move(hub)) {}

EvaluationLauncher::~EvaluationLauncher() {
  qDeleteAll(downloads_);  // each joins its worker
}

bool EvaluationLauncher::downloading() const {
  for (const DownloadJob* d : downloads_)
    if (d->state() == DownloadJob::State::Running || d->state() == DownloadJob::State::Waiting) return true;
  return false;
}

void EvaluationLauncher::cancelDownloads() {
  for (DownloadJob* d : downloads_) d->cancel();
}

SweepJob* EvaluationLauncher::queueSweep(const EvaluationRequest& request, const QVector<HubCheckpoint>& hub) {
  qid::jobs::SweepPlan plan = sweepPlan(request, hub);  // throws for a bad plan
  std::unique_ptr<qid::jobs::CellRunner> runner = factory_ ? factory_() : makeEvaluationRunner();
  qid::jobs::SweepOptions options;
  if (request.device.startsWith(QLatin1String("cuda"))) {
    options.cpuWorkers = 0;
    options.devices = {request.device.toStdString()};
  }
  SweepJob* job = queue_->submit(request.projectPath, std::move(plan), std::move(runner), std::move(options));
  emit sweepQueued(job);
  return job;
}

SweepJob* EvaluationLauncher::launch(const EvaluationRequest& request) {
  if (request.projectPath.isEmpty()) throw qid::Error("the evaluation has no project file");
  if (request.selectors.isEmpty()) return queueSweep(request, {});
  // Check the plan's other parts now, with a stand-in for the hub checkpoints.
  planJson(request, {HubCheckpoint{QStringLiteral("check/only"), QStringLiteral("main"), -1, 0, QStringLiteral("/")}});
  auto* job = new DownloadJob(request.selectors, hub_);
  downloads_.push_back(job);
  if (panel_) panel_->addJob(job);
  connect(job, &DownloadJob::finished, this, [this, job, request] {
    if (job->state() != DownloadJob::State::Finished) {
      emit message(job->state() == DownloadJob::State::Cancelled ? tr("Download cancelled; the evaluation did not start")
                                                                 : tr("Download failed: %1").arg(job->error()));
      return;
    }
    try {
      queueSweep(request, job->checkpoints());
    } catch (const qid::Error& e) {
      emit message(tr("Cannot start the evaluation: %1").arg(QString::fromStdString(e.what())));
    }
  });
  job->start();
  emit message(tr("Downloading %n checkpoint(s) from the hub first", nullptr, job->checkpointCount()));
  return nullptr;
}

}  // namespace qid::ui

namespace qid::ui {

SlurmArrayJob* EvaluationLauncher::launchOnSlurm(const EvaluationRequest& request, const SlurmChoices& choices) {
  if (request.projectPath.isEmpty()) throw qid::Error("the evaluation has no project file");
  const std::filesystem::path plan = writeSlurmPlan(request, choices.resultsDir);  // throws for a bad request
  auto* job = new SlurmArrayJob(request.name, request.projectPath, slurmSubmitRequest(request, choices, plan));
  job->setPollInterval(slurmInterval_);
  if (slurmRun_) job->setCommandRunner(slurmRun_);
  queue_->addSlurm(job);
  emit slurmQueued(job);
  return job;
}

SlurmArrayJob* EvaluationLauncher::followOnSlurm(const QString& projectPath, qint64 arrayId, const QString& name) {
  const QString path = QFileInfo(projectPath).absoluteFilePath();
  for (SlurmArrayJob* j : queue_->slurmJobs())
    if (j->arrayId() == arrayId && QFileInfo(j->projectPath()).absoluteFilePath() == path) return j;
  auto* job = new SlurmArrayJob(name, projectPath, arrayId);
  job->setPollInterval(slurmInterval_);
  if (slurmRun_) job->setCommandRunner(slurmRun_);
  queue_->addSlurm(job);
  emit slurmQueued(job);
  return job;
}

}  // namespace qid::ui
