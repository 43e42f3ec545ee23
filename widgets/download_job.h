#pragma once
// Downloads hub checkpoints (core/hub) into the HF cache on a worker thread,
// one after another, reporting bytes, speed and ETA as queued signals. cancel()
// makes the core's progress callback return false: the transfer stops and
// keeps its .incomplete files, so the next download resumes them.
#include <QObject>
#include <QStringList>
#include <QVector>
#include <atomic>

#include "evaluation_request.h"
#include "hub/hub_config.h"

class QThread;

namespace qid::ui {

class DownloadJob : public QObject {
  Q_OBJECT
 public:
  enum class State { Waiting, Running, Finished, Cancelled, Failed };
  DownloadJob(QStringList selectors, qid::hub::HubConfig config, QObject* parent = nullptr);
  ~DownloadJob() override;  // cancels, then requestInterruption, quit, wait

  QString title() const;
  State state() const { return state_; }
  int checkpointCount() const { return count_; }
  int checkpointsDone() const { return done_; }
  qint64 bytesDone() const { return bytesDone_; }
  qint64 bytesTotal() const { return bytesTotal_; }
  QString message() const { return message_; }
  QString error() const { return error_; }
  const QVector<HubCheckpoint>& checkpoints() const { return result_; }

  void start();
  void cancel();
  bool wait(int msecs = -1);

 signals:
  void changed();
  void finished();  // look at state(): Finished, Cancelled or Failed

 private:
  void work();
  void onProgress(int index, const QString& what, qint64 done, qint64 total, const QString& message);
  void onDone(QVector<HubCheckpoint> result, int state, const QString& error);

  QStringList selectors_;
  qid::hub::HubConfig config_;
  QThread* thread_ = nullptr;
  std::atomic<bool> cancel_{false};
  State state_ = State::Waiting;
  int count_ = 0, done_ = 0;
  qint64 bytesDone_ = 0, bytesTotal_ = 0;
  QString message_, error_;
  QVector<HubCheckpoint> result_;
};

}  // namespace qid::ui
