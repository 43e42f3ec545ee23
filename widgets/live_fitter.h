#pragma once
// Refits the current law's family on the measured rows while a sweep adds
// them: schedule() restarts a short timer (debounce), the core fit runs on a
// pool thread (QtConcurrent), and the result replaces the previous live fit
// in the session ("<law> (fit)"), so the curves follow the data.
#include <QFutureWatcher>
#include <QObject>
#include <QTimer>

#include "law_ref.h"

namespace qid::ui {

class ProjectSession;

class LiveFitter : public QObject {
  Q_OBJECT
 public:
  explicit LiveFitter(ProjectSession* session, QObject* parent = nullptr);
  ~LiveFitter() override;  // waits for a fit in flight

  void schedule();            // after new measurements
  void setDelay(int msecs) { timer_.setInterval(msecs); }
  int fitsDone() const { return fits_; }
  bool busy() const { return watcher_.isRunning() || timer_.isActive(); }

 signals:
  void fitted(const QString& lawName, int points);
  void failed(const QString& why);

 private:
  void startFit();
  void finishFit();

  ProjectSession* session_;
  QTimer timer_;
  QFutureWatcher<LawPtr> watcher_;
  QString error_;
  bool again_ = false;
  int fits_ = 0;
};

}  // namespace qid::ui
