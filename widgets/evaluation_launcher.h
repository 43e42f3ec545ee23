#pragma once
// Runs an EvaluationRequest: hub checkpoints are downloaded first (a
// DownloadJob, shown in the downloads panel), then the sweep is queued on
// the JobQueue with a runner from the factory.
#include <QObject>

#include "cell_runner_factory.h"
#include "evaluation_request.h"
#include "hub/hub_config.h"

namespace qid::ui {

class DownloadJob;
class DownloadPanel;
class JobQueue;
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
  void setRunnerFactory(RunnerFactory f) { factory_ = std::move(f); }
  void setHubConfig(qid::hub::HubConfig c) { hub_ = std::move(c); }
  const QList<DownloadJob*>& downloads() const { return downloads_; }
  void cancelDownloads();
  bool downloading() const;

 signals:
  void sweepQueued(SweepJob* job);
  void message(const QString& text);

 private:
  SweepJob* queueSweep(const EvaluationRequest& request, const QVector<HubCheckpoint>& hub);

  JobQueue* queue_;
  DownloadPanel* panel_;
  RunnerFactory factory_;
  qid::hub::HubConfig hub_;
  QList<DownloadJob*> downloads_;
};

}  // namespace qid::ui
