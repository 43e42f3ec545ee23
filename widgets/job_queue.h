#pragma once
// The GUI's queue of sweeps: runs them one after another (each sweep spreads
// its cells over its own workers), keeps finished ones for their details,
// and forwards every finished cell so the charts can show it at once.
#include <QList>
#include <QObject>
#include <memory>

#include "jobs/cell_runner.h"
#include "jobs/sweep.h"

namespace qid::ui {

class SweepJob;

class JobQueue : public QObject {
  Q_OBJECT
 public:
  explicit JobQueue(QObject* parent = nullptr);
  ~JobQueue() override;  // cancels and joins every worker

  SweepJob* submit(const QString& projectPath, qid::jobs::SweepPlan plan,
                   std::unique_ptr<qid::jobs::CellRunner> runner, qid::jobs::SweepOptions options = {});
  // Queues a job made elsewhere (the micro-suite demo); the queue owns it.
  SweepJob* add(SweepJob* job);
  const QList<SweepJob*>& jobs() const { return jobs_; }
  bool busy() const;  // a job is waiting, running or paused
  void cancelAll();
  void removeFinished();
  // Blocks until every started job's worker has returned (shutdown, tests).
  void waitAll();

 signals:
  void jobAdded(SweepJob* job);
  void jobRemoved(SweepJob* job);
  void cellFinished(const QString& projectPath, const QString& cellId);
  void idle();  // the last job finished

 private:
  void startNext();
  QList<SweepJob*> jobs_;
};

}  // namespace qid::ui
