#pragma once
// One sweep as the GUI runs it: a thin QObject over core's Sweep. Sweep::run
// blocks, so it runs on a worker thread (never the GUI thread); the core's
// JobEvent callbacks arrive there and are handed to this object's thread as
// queued calls, which update the counters and emit signals. pause, resume
// and cancel forward to the Sweep. The destructor tears the worker down
// politely: cancel, requestInterruption, quit, wait.
#include <QObject>
#include <QSet>
#include <QStringList>
#include <memory>
#include <mutex>

#include "jobs/cell_runner.h"
#include "jobs/sweep.h"
#include "jobs/sweep_plan.h"

class QThread;

namespace qid::ui {

class SweepJob : public QObject {
  Q_OBJECT
 public:
  enum class State { Waiting, Preparing, Running, Paused, Stopping, Finished, Cancelled, Failed };

  // The sweep writes into the project file at projectPath (created when
  // missing). The job owns the runner.
  SweepJob(QString projectPath, qid::jobs::SweepPlan plan, std::unique_ptr<qid::jobs::CellRunner> runner,
           qid::jobs::SweepOptions options = {}, QObject* parent = nullptr);
  ~SweepJob() override;

  QString name() const { return name_; }
  QString projectPath() const { return projectPath_; }
  QString runnerName() const { return runnerName_; }
  State state() const { return state_; }
  bool active() const;  // preparing, running, paused or stopping
  bool started() const { return thread_ != nullptr; }
  int totalCells() const { return total_; }
  int doneCells() const { return done_ + alreadyDone_; }
  int failedCells() const { return failed_; }
  int runningCells() const { return int(running_.size()); }
  // "label: error" per failed cell, and the job's own error when it failed.
  const QStringList& failures() const { return failures_; }
  QString currentActivity() const { return activity_; }
  // Jobs of several phases (the micro-suite demo): the phase running now and
  // its progress; empty for a plain sweep, whose progress is its cells.
  QString phase() const { return phase_; }
  qint64 phaseDone() const { return phaseDone_; }
  qint64 phaseTotal() const { return phaseTotal_; }
  virtual bool canPause() const { return true; }
  static QString stateText(State s);

  void start();
  void pause();
  void resume();
  void cancel();
  // Blocks until the worker has finished (tests, shutdown).
  bool wait(int msecs = -1);

 signals:
  void changed();  // counters, state or activity
  void cellFinished(const QString& projectPath, const QString& cellId);
  void finished();

 protected:
  virtual void work();  // on the worker thread
  // Forwards one core sweep event to this object's thread (from the worker).
  void postEvent(const qid::jobs::JobEvent& e);
  void postPrepared(int cells, int alreadyDone);
  void postDone(bool stopped, const QString& error);
  void setPhase(const QString& phase, qint64 done, qint64 total);
  void setActivity(const QString& text);
  // Cancel, interrupt and join the worker: every destructor of a derived job
  // calls it first, as its work() uses the derived members.
  void stopWorker();
  qid::jobs::CellRunner* runner() const { return runner_.get(); }
  bool cancelRequested();  // any thread

 private:
  void onEvent(int type, const QString& cellId, const QString& label, const QString& stage, qint64 done,
               qint64 total, const QString& error);
  void onPrepared(int cells, int alreadyDone);
  void onDone(bool stopped, const QString& error);
  void setState(State s);

  QString projectPath_, name_, runnerName_;
  qid::jobs::SweepPlan plan_;
  std::unique_ptr<qid::jobs::CellRunner> runner_;
  qid::jobs::SweepOptions options_;
  QThread* thread_ = nullptr;
  State state_ = State::Waiting;
  int total_ = 0, alreadyDone_ = 0, done_ = 0, failed_ = 0;
  QSet<QString> running_;
  QStringList failures_;
  QString activity_, phase_;
  qint64 phaseDone_ = 0, phaseTotal_ = 0;

  std::mutex mutex_;  // guards sweep_ and the requests below (GUI thread vs worker)
  qid::jobs::Sweep* sweep_ = nullptr;
  bool pauseRequested_ = false, cancelRequested_ = false;
};

}  // namespace qid::ui
