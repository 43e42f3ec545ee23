#include "drag_bench.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QMouseEvent>
#include <algorithm>
#include <cmath>
#include <random>
#include <time.h>

#include "chart_canvas.h"
#include "chart_pane.h"
#include "extrapolation_handle.h"
#include "project_loader.h"
#include "project_session.h"

namespace qid::ui {

QString DragBenchResult::text() const {
  return QStringLiteral("drag bench: %1 points, %2 curves, %3 frames. Frame CPU time: mean %4 ms, p95 %5 ms "
                        "(of the mean, %6 ms rebuilding the chart, the rest painting). Wall time: mean %7 ms, "
                        "p95 %8 ms, max %9 ms. Target <= 16 ms.")
      .arg(points)
      .arg(curves)
      .arg(frames)
      .arg(cpuMeanMs, 0, 'f', 2)
      .arg(cpuP95Ms, 0, 'f', 2)
      .arg(updateMs, 0, 'f', 2)
      .arg(meanMs, 0, 'f', 2)
      .arg(p95Ms, 0, 'f', 2)
      .arg(maxMs, 0, 'f', 2);
}

namespace {
// CPU time of this thread: the frame's own cost, whatever else the machine runs.
double threadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double mean(const QVector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return v.isEmpty() ? 0 : sum / double(v.size());
}

double percentile95(QVector<double> v) {
  if (v.isEmpty()) return 0;
  std::sort(v.begin(), v.end());
  const qsizetype i = std::clamp(qsizetype(std::ceil(0.95 * double(v.size()))) - 1, qsizetype(0), v.size() - 1);
  return v[i];
}

void send(QWidget* w, QEvent::Type type, QPointF pos, Qt::MouseButtons buttons) {
  QMouseEvent e(type, pos, w->mapToGlobal(pos), Qt::LeftButton, buttons, Qt::NoModifier);
  QApplication::sendEvent(w, &e);
}
}  // namespace

DragBenchResult runDragBench(int points, int sizes, int bits, int frames, bool bands) {
  ProjectSession session;
  loadPaperProject(session);
  // Synthetic measurements around the law's own values (seeded noise).
  const LawPtr law = session.currentLaw();
  if (!law) return {};
  std::mt19937 rng(7);
  std::lognormal_distribution<double> noise(0.0, 0.15);
  const double ns[] = {7e7, 1.6e8, 4.1e8, 1e9, 1.4e9, 2.8e9, 6.9e9, 1.2e10};
  QVector<MeasurementRow> rows;
  for (int i = 0; i < points; ++i) {
    MeasurementRow r;
    r.id = i + 1;
    r.n = ns[i % 8];
    r.bits = 2 + (i / 8) % 3;
    r.d = std::pow(10.0, 9 + 2.47 * ((i * 37) % 101) / 100.0);
    r.deltaQ = law->deltaQ(r.n, r.d, r.bits) * noise(rng);
    r.method = QStringLiteral("gptq");
    r.model = QStringLiteral("bench");
    rows.push_back(r);
  }
  session.setRows(rows);
  QVector<double> sz;
  for (int i = 0; i < sizes; ++i) sz.push_back(7e9 * std::pow(10.0, i));
  QVector<int> bw;
  for (int i = 0; i < bits; ++i) bw.push_back(2 + i);
  session.setSizes(sz);
  session.setBits(bw);
  if (bands) {
    session.setCurrentLaw(session.upsertLaw(law->refit(rows, 200)));
    session.setShowBands(true);
  }

  ChartPane pane(QStringLiteral("tokens"), &session);
  pane.resize(1400, 860);
  pane.show();
  QApplication::processEvents();
  ChartCanvas* c = pane.canvas();
  QWidget* vp = c->viewport();
  const QPointF start = c->mapFromScene(QPointF(c->handle()->pos().x(), c->chart()->plotArea().center().y()));
  send(vp, QEvent::MouseButtonPress, start, Qt::LeftButton);
  QVector<double> ms, updateMs, cpuMs;
  QElapsedTimer t;
  const double span = 400;
  for (int f = 1; f <= frames; ++f) {
    const double dx = -span * std::sin(M_PI * f / frames);  // out and back
    t.start();
    const double cpu0 = threadCpuMs();
    send(vp, QEvent::MouseMove, start + QPointF(dx, 0), Qt::LeftButton);
    const double eventMs = threadCpuMs() - cpu0;
    vp->repaint();
    cpuMs.push_back(threadCpuMs() - cpu0);
    ms.push_back(double(t.nsecsElapsed()) / 1e6);
    updateMs.push_back(eventMs);
  }
  send(vp, QEvent::MouseButtonRelease, start, Qt::NoButton);
  DragBenchResult r;
  r.points = points;
  r.curves = sizes * bits;
  r.frames = frames;
  r.meanMs = mean(ms);
  r.p95Ms = percentile95(ms);
  r.maxMs = ms.isEmpty() ? 0 : *std::max_element(ms.begin(), ms.end());
  r.updateMs = mean(updateMs);
  r.cpuMeanMs = mean(cpuMs);
  r.cpuP95Ms = percentile95(cpuMs);
  return r;
}

}  // namespace qid::ui
