#include "job_queue.h"

#include "slurm_array_job.h"
#include "sweep_job.h"

namespace qid::ui {

JobQueue::JobQueue(QObject* parent) : QObject(parent) {}

JobQueue::~JobQueue() {
  cancelAll();
  qDeleteAll(jobs_);  // each destructor joins its worker
  jobs_.clear();
  qDeleteAll(slurmJobs_);  // each stops following its array and joins its worker
  slurmJobs_.clear();
}

SlurmArrayJob* JobQueue::addSlurm(SlurmArrayJob* job) {
  job->setParent(this);
  slurmJobs_.push_back(job);
  connect(job, &SlurmArrayJob::cellFinished, this, &JobQueue::cellFinished);
  emit slurmJobAdded(job);
  job->start();
  return job;
}

SweepJob* JobQueue::submit(const QString& projectPath, qid::jobs::SweepPlan plan,
                           std::unique_ptr<qid::jobs::CellRunner> runner, qid::jobs::SweepOptions options) {
  return add(new SweepJob(projectPath, std::move(plan), std::move(runner), std::move(options)));
}

SweepJob* JobQueue::add(SweepJob* job) {
  job->setParent(this);
  jobs_.push_back(job);
  connect(job, &SweepJob::cellFinished, this, &JobQueue::cellFinished);
  connect(job, &SweepJob::finished, this, [this] {
    startNext();
    if (!busy()) emit idle();
  });
  connect(job, &SweepJob::changed, this, [this, job] {
    // A job resumed while waiting its turn: start it when nothing else runs.
    if (job->state() == SweepJob::State::Waiting) startNext();
  });
  emit jobAdded(job);
  startNext();
  return job;
}

bool JobQueue::busy() const {
  for (const SweepJob* j : jobs_)
    if (j->active() || j->state() == SweepJob::State::Waiting || j->state() == SweepJob::State::Paused) return true;
  return false;
}

void JobQueue::startNext() {
  for (const SweepJob* j : jobs_)
    if (j->started() && j->active()) return;  // one sweep at a time
  for (SweepJob* j : jobs_) {
    if (j->state() == SweepJob::State::Waiting) {
      j->start();
      return;
    }
  }
}

void JobQueue::cancelAll() {
  for (SweepJob* j : jobs_) j->cancel();
}

void JobQueue::removeFinished() {
  for (SweepJob* j : QList<SweepJob*>(jobs_)) {
    if (j->active() || j->state() == SweepJob::State::Waiting || j->state() == SweepJob::State::Paused) continue;
    jobs_.removeAll(j);
    emit jobRemoved(j);
    j->deleteLater();
  }
  for (SlurmArrayJob* j : QList<SlurmArrayJob*>(slurmJobs_)) {
    if (j->active()) continue;
    slurmJobs_.removeAll(j);
    emit slurmJobRemoved(j);
    j->deleteLater();
  }
}

void JobQueue::waitAll() {
  for (SweepJob* j : jobs_) j->wait();
}

}  // namespace qid::ui
