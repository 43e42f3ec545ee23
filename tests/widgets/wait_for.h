#pragma once
// Widget tests: spin the event loop until a condition holds or time runs out.
#include <QApplication>
#include <QElapsedTimer>
#include <QThread>

namespace qid::ui::test {

template <class F>
bool waitFor(F cond, int ms = 20000) {
  QElapsedTimer t;
  t.start();
  while (!cond() && t.elapsed() < ms) {
    QApplication::processEvents(QEventLoop::AllEvents, 20);
    QThread::msleep(2);
  }
  return cond();
}

}  // namespace qid::ui::test
