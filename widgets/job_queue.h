#pragma once
// The GUI's queue of sweeps: runs them one after another (each sweep spreads
// its cells over its own workers), keeps finished ones for their details,
// and forwards every finished cell so the charts can show it at once. Sweeps
// on Slurm (SlurmArrayJob) sit in the same queue; they start at once (the
// cluster schedules them) and their ingested cells are forwarded the same way.
#include <QList>
#include <QObject>
#include <memory>

#include "jobs/cell_runner.h"
#include "jobs/sweep.h"

namespace qid::ui {

class SlurmArrayJob;
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
  // Takes the job, starts it and shows it.
  SlurmArrayJob* addSlurm(SlurmArrayJob* job);
  const QList<SlurmArrayJob*>& slurmJobs() const { return slurmJobs_; }
  // A local job is waiting, running or paused. Slurm arrays do not count:
  // they run on the cluster whether this window stays open or not.
  bool busy() const;
  void cancelAll();  // local jobs only (closing never scancels an array)
  void removeFinished();
  // Blocks until every started job's worker has returned (shutdown, tests).
  void waitAll();

 signals:
  void jobAdded(SweepJob* job);
  void jobRemoved(SweepJob* job);
  void slurmJobAdded(SlurmArrayJob* job);
  void slurmJobRemoved(SlurmArrayJob* job);
  void cellFinished(const QString& projectPath, const QString& cellId);
  void idle();  // the last job finished

 private:
  void startNext();
  QList<SweepJob*> jobs_;
  QList<SlurmArrayJob*> slurmJobs_;
};

}  // namespace qid::ui
