#pragma once
// The handle-drag benchmark (`qidlab --bench-drag`): the tokens chart with
// many measured points and law curves, dragged through real mouse events;
// each frame is the event, the chart rebuild and a synchronous repaint.
#include <QString>

namespace qid::ui {

struct DragBenchResult {
  int points = 0, curves = 0, frames = 0;
  double meanMs = 0, p95Ms = 0, maxMs = 0;
  double updateMs = 0;  // mean CPU time of the event and chart update, before painting
  double cpuMeanMs = 0, cpuP95Ms = 0;  // the GUI thread's CPU time per frame
  QString text() const;
};

// bands: also draw bootstrap bands (the law is refitted with samples first).
DragBenchResult runDragBench(int points = 1500, int sizes = 3, int bits = 4, int frames = 120, bool bands = false);

}  // namespace qid::ui
