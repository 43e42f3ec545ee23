#pragma once
// A sweep run on Slurm as the GUI follows it: a thin QObject over core's
// submitSweep, followSweep and cancelSweep (core/slurm). Everything that runs
// a Slurm command or touches the project runs on a worker thread, never the
// GUI thread: submit, then rounds of (status, ingest) every few seconds until
// no task is pending or running. Each round's counts and each newly ingested
// cell come back as queued calls and leave as signals, the same
// cellFinished(project, cell) a local sweep emits, so the charts take them
// the same way. cancel() runs scancel for the array on that worker and keeps
// following until Slurm reports the tasks ended, so the cells that landed
// are still ingested. The destructor only stops following (the array keeps
// running on the cluster; `qidlab-cli slurm ingest` takes it from there).
//
// A job can also follow an array the project already records (the GUI
// reopening a project whose array has not ended): the same rounds, without
// the submit. Once an array ended with tasks failed or cancelled and cells
// missing, retry() resubmits those indices (core's retrySweep; cells already
// landed are skipped) and the same job follows the retry to its end.
#include <QObject>
#include <QStringList>
#include <atomic>
#include <cstdint>

#include "slurm/slurm_status.h"
#include "slurm/sweep_submit.h"

class QThread;

namespace qid::slurm {
struct SweepArrayStatus;
}

namespace qid::ui {

// Where an array stands, in numbers.
struct SlurmProgress {
  int tasks = 0, pending = 0, running = 0, done = 0, failed = 0, cancelled = 0, unknown = 0;
  int cells = -1, landed = 0, ingested = 0;  // cells -1: unknown
};
SlurmProgress slurmProgress(const qid::slurm::SweepArrayStatus& status);
// "2 pending, 1 running, 0 done, 0 failed · 4 of 10 cells landed, 4 in the project".
QString slurmProgressText(const SlurmProgress& p);
// Why the array did not end with every cell in the project, one line per
// task that ended unfinished (state, exit code, missing cells, log).
QStringList slurmProblems(const qid::slurm::SweepArrayStatus& status);

class SlurmArrayJob : public QObject {
  Q_OBJECT
 public:
  enum class State { Waiting, Submitting, Running, Cancelling, Finished, Cancelled, Failed };

  // Submits `request` from the project at projectPath (created when missing);
  // `name` is the evaluation's, for the job row.
  SlurmArrayJob(QString name, QString projectPath, qid::slurm::SweepSubmitRequest request, QObject* parent = nullptr);
  // Follows the project's array record `arrayId` (no submit).
  SlurmArrayJob(QString name, QString projectPath, std::int64_t arrayId, QObject* parent = nullptr);
  ~SlurmArrayJob() override;

  // Before start(): the Slurm commands' runner (tests) and the seconds
  // between polls.
  void setCommandRunner(qid::slurm::CommandRunner run) { run_ = std::move(run); }
  void setPollInterval(double seconds) { interval_ = seconds; }

  QString name() const { return name_; }
  QString projectPath() const { return projectPath_; }
  QString jobId() const { return jobId_; }  // the latest submission's array job id, once known
  std::int64_t arrayId() const { return arrayId_; }  // the project's record, once known (0 before)
  bool resumed() const { return resumed_; }  // follows an array submitted earlier
  State state() const { return state_; }
  bool active() const;  // submitting, running or cancelling
  const SlurmProgress& progress() const { return progress_; }
  QString progressText() const { return slurmProgressText(progress_); }
  // The submission's error, scancel's, unreadable result files and the
  // tasks that ended unfinished; nothing is dropped.
  const QStringList& failures() const { return failures_; }
  QString activity() const { return activity_; }
  int rounds() const { return rounds_; }
  static QString stateText(State s);

  void start();
  void cancel();
  // The array ended with cells missing that a retry would run again (tasks
  // failed, cancelled or forgotten); retry() does nothing otherwise.
  bool canRetry() const;
  int retryableTasks() const { return retryable_; }
  void retry();
  bool wait(int msecs = -1);  // until the worker has returned (tests, shutdown)

 signals:
  void changed();
  void cellFinished(const QString& projectPath, const QString& cellId);
  void finished();

 private:
  enum class Phase { Submit, Follow, Retry };
  void launch(Phase phase);
  void work(Phase phase, std::int64_t arrayId);  // on the worker thread
  void onSubmitted(const QString& jobId, std::int64_t arrayId, int tasks, int cells, const QString& activity);
  void onRound(const SlurmProgress& p, const QStringList& newCells, const QStringList& errors);
  void onDone(const QString& error, const QStringList& problems, int retryable);
  void setState(State s);

  QString projectPath_, name_, jobId_;
  qid::slurm::SweepSubmitRequest request_;
  std::int64_t arrayId_ = 0;
  bool resumed_ = false;
  int retryable_ = 0;
  qid::slurm::CommandRunner run_ = qid::slurm::systemRunner();
  double interval_ = 5;
  QThread* thread_ = nullptr;
  State state_ = State::Waiting;
  SlurmProgress progress_;
  QStringList failures_;
  QString activity_;
  int rounds_ = 0;
  std::atomic<bool> cancelRequested_{false};
};

}  // namespace qid::ui
