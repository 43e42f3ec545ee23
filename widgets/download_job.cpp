#include "download_job.h"

#include <QThread>

#include "common/error.h"
#include "hub/hub_client.h"
#include "hub/pythia_suite.h"

namespace qid::ui {

DownloadJob::DownloadJob(QStringList selectors, qid::hub::HubConfig config, QObject* parent)
    : QObject(parent), selectors_(std::move(selectors)), config_(std::move(config)) {
  for (const QString& s : selectors_) {
    try {
      count_ += int(qid::hub::expandSelector(s.toStdString()).size());
    } catch (const qid::Error&) {
      // The worker reports the bad selector as the job's error.
    }
  }
}

DownloadJob::~DownloadJob() {
  if (!thread_) return;
  cancel();
  thread_->requestInterruption();
  thread_->quit();
  thread_->wait();
}

QString DownloadJob::title() const { return selectors_.join(QStringLiteral(", ")); }

void DownloadJob::start() {
  if (thread_) return;
  state_ = State::Running;
  emit changed();
  thread_ = QThread::create([this] { work(); });
  thread_->setObjectName(QStringLiteral("hub download"));
  thread_->start();
}

void DownloadJob::cancel() {
  cancel_.store(true);
  if (!thread_ && state_ == State::Waiting) {
    state_ = State::Cancelled;
    emit changed();
    emit finished();
  }
}

bool DownloadJob::wait(int msecs) {
  if (!thread_) return true;
  return msecs < 0 ? thread_->wait() : thread_->wait(QDeadlineTimer(msecs));
}

void DownloadJob::work() {
  QVector<HubCheckpoint> out;
  int state = int(State::Finished);
  QString error;
  try {
    std::vector<qid::hub::SuiteCheckpoint> all;
    for (const QString& s : selectors_)
      for (const auto& c : qid::hub::expandSelector(s.toStdString())) all.push_back(c);
    qid::hub::HubClient client(config_);
    QThread* self = QThread::currentThread();
    for (size_t i = 0; i < all.size(); ++i) {
      const auto& c = all[i];
      const QString what = QStringLiteral("%1@%2").arg(QString::fromStdString(c.repoId), QString::fromStdString(c.revision));
      QMetaObject::invokeMethod(this, [=, this] { onProgress(int(i), what, 0, 0, QString()); }, Qt::QueuedConnection);
      const auto r = client.download({c.repoId, c.revision, {}}, [&, i, what](const qid::Progress& p) {
        const qint64 done = p.done, total = p.total;
        const QString msg = QString::fromStdString(p.message);
        QMetaObject::invokeMethod(this, [=, this] { onProgress(int(i), what, done, total, msg); }, Qt::QueuedConnection);
        return !cancel_.load() && !self->isInterruptionRequested();
      });
      out.push_back({QString::fromStdString(c.repoId), QString::fromStdString(c.revision), c.step, c.tokens,
                     QString::fromStdString(r.snapshot.string())});
    }
  } catch (const qid::Cancelled&) {
    state = int(State::Cancelled);
  } catch (const std::exception& e) {
    state = int(State::Failed);
    error = QString::fromStdString(e.what());
  }
  QMetaObject::invokeMethod(this, [=, this] { onDone(out, state, error); }, Qt::QueuedConnection);
}

void DownloadJob::onProgress(int index, const QString& what, qint64 done, qint64 total, const QString& message) {
  done_ = index;
  bytesDone_ = done;
  bytesTotal_ = total;
  message_ = message.isEmpty() ? what : tr("%1 · %2").arg(what, message);
  emit changed();
}

void DownloadJob::onDone(QVector<HubCheckpoint> result, int state, const QString& error) {
  result_ = std::move(result);
  state_ = State(state);
  error_ = error;
  done_ = int(result_.size());
  if (state_ == State::Cancelled) message_ = tr("cancelled; partial files are kept and resume next time");
  if (state_ == State::Failed) message_ = error;
  if (state_ == State::Finished) message_ = tr("%n checkpoint(s) in the cache", nullptr, done_);
  emit changed();
  emit finished();
}

}  // namespace qid::ui
