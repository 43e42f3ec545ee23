#include "sweep_job.h"

#include <QThread>

#include "store/project.h"

namespace qid::ui {

SweepJob::SweepJob(QString projectPath, qid::jobs::SweepPlan plan, std::unique_ptr<qid::jobs::CellRunner> runner,
                   qid::jobs::SweepOptions options, QObject* parent)
    : QObject(parent), projectPath_(std::move(projectPath)), name_(QString::fromStdString(plan.name)),
      runnerName_(runner ? QString::fromStdString(runner->name()) : QString()), plan_(std::move(plan)),
      runner_(std::move(runner)), options_(std::move(options)) {}

SweepJob::~SweepJob() { stopWorker(); }

void SweepJob::stopWorker() {
  if (!thread_ || thread_->isFinished()) return;
  cancel();
  thread_->requestInterruption();
  thread_->quit();
  thread_->wait();
}

bool SweepJob::cancelRequested() {
  std::lock_guard lock(mutex_);
  return cancelRequested_;
}

void SweepJob::postEvent(const qid::jobs::JobEvent& e) {
  const int type = int(e.type);
  const QString cell = QString::fromStdString(e.task), label = QString::fromStdString(e.label),
                stage = QString::fromStdString(e.progress.stage), err = QString::fromStdString(e.error);
  const qint64 done = e.progress.done, total = e.progress.total;
  QMetaObject::invokeMethod(
      this, [=, this] { onEvent(type, cell, label, stage, done, total, err); }, Qt::QueuedConnection);
}

void SweepJob::postPrepared(int cells, int alreadyDone) {
  QMetaObject::invokeMethod(this, [this, cells, alreadyDone] { onPrepared(cells, alreadyDone); }, Qt::QueuedConnection);
}

void SweepJob::postDone(bool stopped, const QString& error) {
  QMetaObject::invokeMethod(this, [this, stopped, error] { onDone(stopped, error); }, Qt::QueuedConnection);
}

void SweepJob::setPhase(const QString& phase, qint64 done, qint64 total) {
  phase_ = phase;
  phaseDone_ = done;
  phaseTotal_ = total;
  emit changed();
}

void SweepJob::setActivity(const QString& text) {
  activity_ = text;
  emit changed();
}

bool SweepJob::active() const {
  return state_ == State::Preparing || state_ == State::Running || state_ == State::Paused ||
         state_ == State::Stopping;
}

QString SweepJob::stateText(State s) {
  switch (s) {
    case State::Waiting: return tr("waiting");
    case State::Preparing: return tr("preparing");
    case State::Running: return tr("running");
    case State::Paused: return tr("paused");
    case State::Stopping: return tr("stopping");
    case State::Finished: return tr("finished");
    case State::Cancelled: return tr("cancelled");
    case State::Failed: return tr("failed");
  }
  return {};
}

void SweepJob::setState(State s) {
  if (s == state_) return;
  state_ = s;
  emit changed();
}

void SweepJob::start() {
  if (thread_ || !runner_ || state_ != State::Waiting) return;
  setState(State::Preparing);
  thread_ = QThread::create([this] { work(); });
  thread_->setObjectName(QStringLiteral("sweep ") + name_);
  thread_->start();
}

void SweepJob::pause() {
  {
    std::lock_guard lock(mutex_);
    pauseRequested_ = true;
    if (sweep_) sweep_->pause();
  }
  if (state_ == State::Running || state_ == State::Preparing || state_ == State::Waiting) setState(State::Paused);
}

void SweepJob::resume() {
  {
    std::lock_guard lock(mutex_);
    pauseRequested_ = false;
    if (sweep_) sweep_->resume();
  }
  if (state_ == State::Paused) setState(thread_ ? State::Running : State::Waiting);
}

void SweepJob::cancel() {
  {
    std::lock_guard lock(mutex_);
    cancelRequested_ = true;
    if (sweep_) sweep_->cancel();
  }
  if (!thread_) {
    if (state_ == State::Cancelled) return;
    setState(State::Cancelled);
    emit finished();
  } else if (active()) {
    setState(State::Stopping);
  }
}

bool SweepJob::wait(int msecs) {
  if (!thread_) return true;
  return msecs < 0 ? thread_->wait() : thread_->wait(QDeadlineTimer(msecs));
}

// Runs on the worker thread: everything it reports goes back as queued calls
// to this object's (the GUI) thread.
void SweepJob::work() {
  QString error;
  bool stopped = false;
  try {
    qid::store::Project project(projectPath_.toStdString());
    qid::jobs::Sweep sweep(project, plan_, *runner_, options_);
    sweep.prepare();
    const int cells = int(sweep.cells().size());
    const int already = cells - int(sweep.pendingCells().size());
    postPrepared(cells, already);
    {
      std::lock_guard lock(mutex_);
      sweep_ = &sweep;
      if (pauseRequested_) sweep.pause();
      if (cancelRequested_) sweep.cancel();
    }
    QThread* self = QThread::currentThread();
    const qid::jobs::SweepSummary sum = sweep.run(
        [this](const qid::jobs::JobEvent& e) { postEvent(e); },
        [self] { return self->isInterruptionRequested(); });
    {
      std::lock_guard lock(mutex_);
      sweep_ = nullptr;
    }
    stopped = sum.stopped;
  } catch (const std::exception& e) {
    std::lock_guard lock(mutex_);
    sweep_ = nullptr;
    error = QString::fromStdString(e.what());
  }
  postDone(stopped, error);
}

void SweepJob::onPrepared(int cells, int alreadyDone) {
  total_ = cells;
  alreadyDone_ = alreadyDone;
  if (state_ == State::Preparing) setState(State::Running);
  emit changed();
}

void SweepJob::onEvent(int type, const QString& cellId, const QString& label, const QString& stage, qint64 done,
                       qint64 total, const QString& error) {
  using T = qid::jobs::JobEvent::Type;
  switch (T(type)) {
    case T::Started:
      running_.insert(cellId);
      activity_ = label;
      break;
    case T::Progress:
      activity_ = total > 0 ? tr("%1: %2 %3/%4").arg(label, stage).arg(done).arg(total) : tr("%1: %2").arg(label, stage);
      break;
    case T::Finished:
      running_.remove(cellId);
      ++done_;
      emit cellFinished(projectPath_, cellId);
      break;
    case T::Failed:
      running_.remove(cellId);
      ++failed_;
      failures_ << tr("%1: %2").arg(label, error);
      break;
    case T::Cancelled:
      running_.remove(cellId);
      break;
    case T::Queued:
    case T::JobDone:
      break;
  }
  emit changed();
}

void SweepJob::onDone(bool stopped, const QString& error) {
  running_.clear();
  activity_.clear();
  if (!error.isEmpty()) {
    failures_ << error;
    setState(State::Failed);
  } else {
    bool cancelled = false;
    {
      std::lock_guard lock(mutex_);
      cancelled = cancelRequested_;
    }
    setState(cancelled || stopped ? State::Cancelled : State::Finished);
  }
  emit changed();
  emit finished();
}

}  // namespace qid::ui
