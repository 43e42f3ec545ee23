#pragma once
// Runs an EvaluationRequest: hub checkpoints are downloaded first (a
// DownloadJob, shown in the downloads panel), then the sweep is queued on
// the JobQueue with a runner from the factory. launchOnSlurm() submits it
// to Slurm as a job array instead (a SlurmArrayJob in the same queue).
#include <QObject>

#include "cell_runner_factory.h"
#include "evaluation_request.h"
#include "hub/hub_config.h"
#include "slurm/slurm_status.h"

namespace qid::ui {

class DownloadJob;
class DownloadPanel;
class JobQueue;
class SlurmArrayJob;
struct SlurmChoices;
class SweepJob;

class EvaluationLauncher : public QObject {
  Q_OBJECT
 public:
  EvaluationLauncher(JobQueue* queue, DownloadPanel* downloads, RunnerFactory factory, qid::hub::HubConfig hub,
                     QObject* parent = nullptr);
  ~EvaluationLauncher() override;

  // Starts the request; errors (a bad plan, no runner) throw qid::Error
  // before anything runs. Returns the sweep job, or nullptr while the hub
  // checkpoints download first (the sweep follows).
  SweepJob* launch(const EvaluationRequest& request);
  // Writes the plan next to the results and queues its submission; the
  // submit itself runs on the job's worker. Throws qid::Error for a request
  // Slurm cannot run (hub selections, a bad plan) before anything is written.
  SlurmArrayJob* launchOnSlurm(const EvaluationRequest& request, const SlurmChoices& choices);
  // Follows an array the project records (reopening it), in the same queue;
  // an array the queue already shows is not added twice (returns that job).
  SlurmArrayJob* followOnSlurm(const QString& projectPath, qint64 arrayId, const QString& name);
  // How often Slurm arrays are polled, and the runner of their Slurm
  // commands (tests).
  void setSlurmPollInterval(double seconds) { slurmInterval_ = seconds; }
  void setSlurmCommandRunner(qid::slurm::CommandRunner run) { slurmRun_ = std::move(run); }
  const qid::slurm::CommandRunner& slurmCommandRunner() const { return slurmRun_; }  // empty: the system's
  void setRunnerFactory(RunnerFactory f) { factory_ = std::move(f); }
  void setHubConfig(qid::hub::HubConfig c) { hub_ = std::move(c); }
  const QList<DownloadJob*>& downloads() const { return downloads_; }
  void cancelDownloads();
  bool downloading() const;

 signals:
  void sweepQueued(SweepJob* job);
  void slurmQueued(SlurmArrayJob* job);
  void message(const QString& text);

 private:
  SweepJob* queueSweep(const EvaluationRequest& request, const QVector<HubCheckpoint>& hub);

  JobQueue* queue_;
  DownloadPanel* panel_;
  RunnerFactory factory_;
  qid::hub::HubConfig hub_;
  QList<DownloadJob*> downloads_;
  double slurmInterval_ = 5;
  qid::slurm::CommandRunner slurmRun_;
};

}  // namespace qid::ui
