#include "slurm_array_job.h"

#include <QThread>
#include <algorithm>
#include <set>

#include "common/error.h"
#include "slurm/index_list.h"
#include "slurm/sweep_cancel.h"
#include "slurm/sweep_ingest.h"
#include "slurm/sweep_status.h"
#include "store/project.h"

namespace qid::ui {

using qid::slurm::TaskState;

SlurmProgress slurmProgress(const qid::slurm::SweepArrayStatus& st) {
  SlurmProgress p;
  p.tasks = int(st.tasks.size());
  p.pending = st.count(TaskState::Pending);
  p.running = st.count(TaskState::Running);
  p.done = st.count(TaskState::Done);
  p.failed = st.count(TaskState::Failed);
  p.cancelled = st.count(TaskState::Cancelled);
  p.unknown = st.count(TaskState::Unknown);
  p.cells = st.cells;
  p.landed = st.landed;
  p.ingested = st.ingested;
  return p;
}

QString slurmProgressText(const SlurmProgress& p) {
  QString tasks = SlurmArrayJob::tr("%1 pending, %2 running, %3 done, %4 failed")
                      .arg(p.pending)
                      .arg(p.running)
                      .arg(p.done)
                      .arg(p.failed);
  if (p.cancelled) tasks += SlurmArrayJob::tr(", %1 cancelled").arg(p.cancelled);
  if (p.unknown) tasks += SlurmArrayJob::tr(", %1 unknown").arg(p.unknown);
  const QString cells = p.cells < 0 ? SlurmArrayJob::tr("%1 cells landed, %2 in the project").arg(p.landed).arg(p.ingested)
                                    : SlurmArrayJob::tr("%1 of %2 cells landed, %3 in the project")
                                          .arg(p.landed)
                                          .arg(p.cells)
                                          .arg(p.ingested);
  return tasks + QStringLiteral(" · ") + cells;
}

QStringList slurmProblems(const qid::slurm::SweepArrayStatus& st) {
  QStringList out;
  for (const auto& t : st.tasks) {
    const bool allLanded = t.cells >= 0 && t.landed >= t.cells;
    // A task whose cells are all there is fine, whatever Slurm says of it.
    if (allLanded || (t.state == TaskState::Done && t.cells < 0)) continue;
    QString line = SlurmArrayJob::tr("task %1: %2").arg(t.index).arg(QString::fromStdString(qid::slurm::toString(t.state)));
    if (!t.slurmState.empty()) line += QStringLiteral(" (%1)").arg(QString::fromStdString(t.slurmState));
    if (!t.exitCode.empty()) line += SlurmArrayJob::tr(", exit %1").arg(QString::fromStdString(t.exitCode));
    if (t.cells >= 0) line += SlurmArrayJob::tr(", %1 of %2 cells missing").arg(t.cells - t.landed).arg(t.cells);
    if (!t.note.empty()) line += QStringLiteral(" — ") + QString::fromStdString(t.note);
    if (!t.logPath.empty()) line += SlurmArrayJob::tr("; log %1").arg(QString::fromStdString(t.logPath));
    out << line;
  }
  return out;
}

SlurmArrayJob::SlurmArrayJob(QString name, QString projectPath, qid::slurm::SweepSubmitRequest request, QObject* parent)
    : QObject(parent), projectPath_(std::move(projectPath)), name_(std::move(name)), request_(std::move(request)) {}

SlurmArrayJob::SlurmArrayJob(QString name, QString projectPath, std::int64_t arrayId, QObject* parent)
    : QObject(parent), projectPath_(std::move(projectPath)), name_(std::move(name)), arrayId_(arrayId),
      resumed_(true) {}

SlurmArrayJob::~SlurmArrayJob() {
  if (!thread_) return;
  thread_->requestInterruption();  // stop following; the array itself keeps running
  thread_->quit();
  thread_->wait();
}

bool SlurmArrayJob::active() const {
  return state_ == State::Submitting || state_ == State::Running || state_ == State::Cancelling;
}

bool SlurmArrayJob::canRetry() const {
  return (state_ == State::Failed || state_ == State::Cancelled) && arrayId_ != 0 && retryable_ > 0;
}

QString SlurmArrayJob::stateText(State s) {
  switch (s) {
    case State::Waiting: return tr("waiting");
    case State::Submitting: return tr("submitting");
    case State::Running: return tr("on Slurm");
    case State::Cancelling: return tr("cancelling");
    case State::Finished: return tr("done");
    case State::Cancelled: return tr("cancelled");
    case State::Failed: return tr("failed");
  }
  return {};
}

void SlurmArrayJob::setState(State s) {
  if (s == state_) return;
  state_ = s;
  emit changed();
}

void SlurmArrayJob::start() {
  if (thread_ || state_ != State::Waiting) return;
  if (resumed_) {
    setState(State::Running);
    activity_ = tr("following the array submitted earlier…");
    launch(Phase::Follow);
  } else {
    setState(State::Submitting);
    activity_ = tr("submitting to Slurm…");
    launch(Phase::Submit);
  }
}

void SlurmArrayJob::retry() {
  if (!canRetry()) return;
  if (thread_) {  // the last round's worker has returned or is returning
    thread_->wait();
    delete thread_;
    thread_ = nullptr;
  }
  cancelRequested_ = false;
  failures_.clear();  // what the retry is about; it either fixes them or says so again
  activity_ = tr("resubmitting the missing tasks…");
  setState(State::Submitting);
  launch(Phase::Retry);
}

void SlurmArrayJob::launch(Phase phase) {
  thread_ = QThread::create([this, phase, id = arrayId_] { work(phase, id); });
  thread_->setObjectName(QStringLiteral("slurm ") + name_);
  thread_->start();
}

void SlurmArrayJob::cancel() {
  if (state_ == State::Waiting) {
    setState(State::Cancelled);
    emit finished();
    return;
  }
  if (!active() || state_ == State::Cancelling) return;
  cancelRequested_ = true;
  activity_ = tr("cancelling the array (scancel)…");
  setState(State::Cancelling);
}

bool SlurmArrayJob::wait(int msecs) {
  if (!thread_) return true;
  return msecs < 0 ? thread_->wait() : thread_->wait(QDeadlineTimer(msecs));
}

namespace {
int shardCells(const qid::store::SlurmArrayRecord& a) {
  if (!a.shards.is_array()) return -1;
  int n = 0;
  for (const auto& shard : a.shards) n += int(shard.size());
  return n;
}
}  // namespace

// Runs on the worker thread: what it learns goes back as queued calls.
void SlurmArrayJob::work(Phase phase, std::int64_t arrayId) {
  QThread* self = QThread::currentThread();
  QString error;
  QStringList problems;
  int retryable = -1;  // unknown: the array's status was never read to its end
  try {
    qid::store::Project project(projectPath_.toStdString());
    QString activity;
    if (phase == Phase::Submit) {
      const qid::slurm::SweepSubmitResult sub = qid::slurm::submitSweep(project, request_, run_);
      arrayId = sub.arrayId;
      activity = tr("submitted as array job %1").arg(QString::fromStdString(sub.jobId));
    } else if (phase == Phase::Retry) {
      const auto before = project.slurmArray(arrayId);
      if (!before) throw qid::Error(std::string("the array is no longer in ") + project.path().string());
      const qid::slurm::RetryResult rr = qid::slurm::retrySweep(project, *before, false, run_);
      activity = rr.indices.empty() ? tr("nothing to retry: no task has cells missing")
                                    : tr("resubmitted task(s) %1 as array job %2")
                                          .arg(QString::fromStdString(qid::slurm::formatIndexList(rr.indices)),
                                               QString::fromStdString(rr.jobId));
    }
    // Read after a submit or retry: following queries every submission.
    const auto record = project.slurmArray(arrayId);
    if (!record) throw qid::Error(std::string("the Slurm array is not in ") + project.path().string());
    const QString jobId =
        record->submissions.empty() ? QString() : QString::fromStdString(record->submissions.back().jobId);
    if (phase == Phase::Follow) activity = tr("following array job %1").arg(jobId);
    QMetaObject::invokeMethod(
        this,
        [this, jobId, arrayId, n = record->arraySize, c = shardCells(*record), activity] {
          onSubmitted(jobId, arrayId, n, c, activity);
        },
        Qt::QueuedConnection);

    // The cells the charts already show; each one ingested later is new.
    std::vector<std::string> cellIds;
    if (record->shards.is_array())
      for (const auto& shard : record->shards)
        for (const auto& id : shard) cellIds.push_back(id.get<std::string>());
    std::set<std::string> shown;
    for (const auto& id : cellIds)
      if (project.hasMeasurement(id)) shown.insert(id);

    bool cancelSent = false;
    for (;;) {
      qid::slurm::FollowOptions fo;
      fo.intervalS = interval_;
      fo.stopRequested = [&] { return self->isInterruptionRequested() || (cancelRequested_ && !cancelSent); };
      fo.onUpdate = [&](const qid::slurm::FollowUpdate& u) {
        QStringList fresh;
        if (u.ingest.added > 0)
          for (const auto& id : cellIds)
            if (!shown.count(id) && project.hasMeasurement(id)) {
              shown.insert(id);
              fresh << QString::fromStdString(id);
            }
        QStringList errors;
        for (const auto& e : u.ingest.errors) errors << QString::fromStdString(e);
        const SlurmProgress p = slurmProgress(u.status);
        QMetaObject::invokeMethod(this, [this, p, fresh, errors] { onRound(p, fresh, errors); }, Qt::QueuedConnection);
        return !self->isInterruptionRequested();
      };
      const qid::slurm::FollowResult res = qid::slurm::followSweep(project, *record, fo, run_);
      if (self->isInterruptionRequested()) break;
      if (cancelRequested_ && !cancelSent) {
        cancelSent = true;
        try {
          qid::slurm::cancelSweep(*record, run_);
        } catch (const std::exception& e) {
          problems << QString::fromStdString(e.what());
        }
        continue;  // follow until Slurm says the tasks ended, ingesting what landed
      }
      if (!res.stopped) {
        retryable = int(qid::slurm::selectRetryIndices(res.last).size());
        if (!cancelRequested_) {
          problems << slurmProblems(res.last);
          const auto& last = res.last;
          if (problems.isEmpty() && last.cells >= 0 && last.ingested < last.cells)
            problems << tr("%1 of %2 cells are not in the project (see the result file errors above)")
                            .arg(last.cells - last.ingested)
                            .arg(last.cells);
        }
      }
      break;
    }
  } catch (const std::exception& e) {
    error = QString::fromStdString(e.what());
  }
  QMetaObject::invokeMethod(
      this, [this, error, problems, retryable] { onDone(error, problems, retryable); }, Qt::QueuedConnection);
}

void SlurmArrayJob::onSubmitted(const QString& jobId, std::int64_t arrayId, int tasks, int cells,
                                const QString& activity) {
  jobId_ = jobId;
  arrayId_ = arrayId;
  if (rounds_ == 0) {  // a retry keeps the last round's counts until its first
    progress_.tasks = tasks;
    if (!resumed_) progress_.pending = tasks;
    progress_.cells = cells;
  }
  activity_ = activity;
  if (state_ == State::Submitting) setState(State::Running);
  emit changed();
}

void SlurmArrayJob::onRound(const SlurmProgress& p, const QStringList& newCells, const QStringList& errors) {
  ++rounds_;
  progress_ = p;
  if (state_ != State::Cancelling) activity_.clear();
  for (const QString& e : errors)
    if (!failures_.contains(e)) failures_ << e;
  for (const QString& id : newCells) emit cellFinished(projectPath_, id);
  emit changed();
}

void SlurmArrayJob::onDone(const QString& error, const QStringList& problems, int retryable) {
  activity_.clear();
  if (retryable >= 0) retryable_ = retryable;
  failures_ << problems;
  if (!error.isEmpty()) {
    failures_ << error;
    setState(State::Failed);
  } else if (cancelRequested_) {
    setState(State::Cancelled);
  } else if (!problems.isEmpty()) {
    setState(State::Failed);
  } else {
    setState(State::Finished);
  }
  emit changed();
  emit finished();
}

}  // namespace qid::ui
