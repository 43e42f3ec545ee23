#include "live_fitter.h"

#include <QtConcurrent/QtConcurrentRun>

#include "common/error.h"
#include "project_session.h"

namespace qid::ui {

LiveFitter::LiveFitter(ProjectSession* session, QObject* parent) : QObject(parent), session_(session) {
  timer_.setSingleShot(true);
  timer_.setInterval(600);
  connect(&timer_, &QTimer::timeout, this, &LiveFitter::startFit);
  connect(&watcher_, &QFutureWatcher<LawPtr>::finished, this, &LiveFitter::finishFit);
}

LiveFitter::~LiveFitter() { watcher_.waitForFinished(); }

void LiveFitter::schedule() {
  if (watcher_.isRunning()) {
    again_ = true;  // fit once more when this one is done
    return;
  }
  timer_.start();
}

void LiveFitter::startFit() {
  const LawPtr base = session_->currentLaw();
  if (!base) return;
  QVector<MeasurementRow> rows;
  for (const MeasurementRow& r : session_->rows())
    if (takenByFits(r)) rows.push_back(r);
  if (rows.isEmpty()) return;
  watcher_.setFuture(QtConcurrent::run([base, rows, this]() -> LawPtr {
    try {
      return base->refit(rows, 0);
    } catch (const std::exception& e) {
      error_ = QString::fromStdString(e.what());  // read after finished(), on the GUI thread
      return nullptr;
    }
  }));
}

void LiveFitter::finishFit() {
  const LawPtr law = watcher_.result();
  if (law) {
    const bool first = session_->currentLaw() && session_->currentLaw()->name() != law->name();
    const int index = session_->upsertLaw(law);
    if (first) session_->setCurrentLaw(index);
    ++fits_;
    emit fitted(law->name(), law->stats().points);
  } else {
    emit failed(error_);
  }
  if (again_) {
    again_ = false;
    timer_.start();
  }
}

}  // namespace qid::ui
