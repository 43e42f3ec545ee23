// Weight fluctuation (the paper's Figure 12): at each checkpoint of one run,
// a box of the training movement |ΔW| since the previous checkpoint and a
// box of the quantization push |Q(W) − W| at each bit width, from the
// statistics core stored in the project (analysis/fluctuation_store). QiD is
// large where the push dwarfs the movement.
#include <QCoreApplication>
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "analysis/box_stats.h"
#include "chart_builders.h"
#include "chart_palette.h"
#include "chart_range.h"
#include "fluctuation_data.h"
#include "project_session.h"

namespace qid::ui {

namespace {

PlotBox boxOf(const qid::analysis::BoxStats& b, const QString& group, const QColor& color, const QString& label) {
  PlotBox box;
  box.group = group;
  box.color = color;
  box.min = b.min;
  box.q1 = b.q1;
  box.median = b.median;
  box.q3 = b.q3;
  box.max = b.max;
  box.whiskerLow = qid::analysis::lowWhisker(b);
  box.whiskerHigh = qid::analysis::highWhisker(b);
  box.label = label;
  return box;
}

bool drawable(const qid::analysis::BoxStats& b) { return b.count > 0 && std::isfinite(b.q1) && std::isfinite(b.q3); }

// Rows stored before the percentiles were have no p05/p95: their whiskers reach min and max.
bool hasPercentiles(const qid::analysis::BoxStats& b) { return std::isfinite(b.p05) && std::isfinite(b.p95); }

// The run the chart shows: the largest within the session's size filter.
QString chosenRun(const FluctuationData& data, const RowFilter& filter) {
  QString best;
  double bestN = -1;
  for (const auto& r : data.rows) {
    if ((filter.minN > 0 && r.N < filter.minN) || (filter.maxN > 0 && r.N > filter.maxN)) continue;
    if (r.N >= bestN) {
      bestN = r.N;
      best = QString::fromStdString(r.run);
    }
  }
  return best;
}

}  // namespace

QString noFluctuationMessage() {
  return QCoreApplication::translate("qid::ui::Charts", "No fluctuation data: run qidlab-cli fluctuation or the micro-suite demo (File → Run the micro-suite demo…).");
}

PlotSpec fluctuationChart(const ProjectSession& s) {
  PlotSpec spec;
  spec.name = QStringLiteral("fluctuation");
  spec.title = QCoreApplication::translate("qid::ui::Charts", "Weight fluctuation (Figure 12)");
  spec.xLabel = QCoreApplication::translate("qid::ui::Charts", "Checkpoint step");
  spec.yLabel = QCoreApplication::translate("qid::ui::Charts", "|ΔW| and |Q(W) − W|");
  spec.logX = false;
  spec.xMin = 0.5;
  spec.xMax = 1.5;
  spec.yMin = 1e-5;
  spec.yMax = 1;
  const FluctuationData& data = *s.fluctuation();
  const QString run = chosenRun(data, s.filter());
  if (data.empty() || run.isEmpty()) {
    spec.emptyMessage = data.empty() ? noFluctuationMessage() : QCoreApplication::translate("qid::ui::Charts", "No fluctuation data for the models the filter shows.");
    spec.xTicks = {{1, QStringLiteral("–")}};
    return spec;
  }
  // step -> bits -> row, for the chosen run.
  std::map<std::int64_t, std::map<int, const qid::analysis::FluctuationRow*>> bySteps;
  std::set<int> allBits;
  for (const auto& r : data.rows) {
    if (QString::fromStdString(r.run) != run) continue;
    bySteps[r.step][r.bits] = &r;
    allBits.insert(r.bits);
  }
  const QString method = QString::fromStdString(data.method);
  spec.title = QCoreApplication::translate("qid::ui::Charts", "Weight fluctuation — %1 (%2)").arg(run, method);
  const int kinds = 1 + int(allBits.size());
  const double slot = 0.8 / kinds;
  ValueRange range;
  bool allPercentiles = true;
  int index = 0;
  for (const auto& [step, rows] : bySteps) {
    ++index;
    spec.xTicks.push_back({double(index), QString::number(step)});
    auto place = [&](PlotBox box, int k) {
      box.x = index + (k - (kinds - 1) / 2.0) * slot;
      box.halfWidth = slot * 0.38;
      // The axis spans what is drawn: the whiskers, not min and max (a weight
      // already on the grid has |Q(W) − W| ≈ 0 and would stretch a log axis
      // over decades of nothing).
      for (double v : {box.whiskerLow, box.q1, box.median, box.q3, box.whiskerHigh}) range.add(v);
      spec.boxes.push_back(box);
    };
    // The movement is the same at every bit width: read it off the first row.
    const auto& first = *rows.begin()->second;
    if (drawable(first.movement)) {
      allPercentiles = allPercentiles && hasPercentiles(first.movement);
      place(boxOf(first.movement, QCoreApplication::translate("qid::ui::Charts", "|ΔW| training movement"), QColor(110, 110, 110),
                  QCoreApplication::translate("qid::ui::Charts", "step %1").arg(step)),
            0);
    }
    int k = 0;
    for (int bits : allBits) {
      ++k;
      const auto it = rows.find(bits);
      if (it == rows.end() || !drawable(it->second->push)) continue;
      allPercentiles = allPercentiles && hasPercentiles(it->second->push);
      place(boxOf(it->second->push, QCoreApplication::translate("qid::ui::Charts", "|Q(W) − W|, %1-bit").arg(bits), bitColor(bits),
                  QCoreApplication::translate("qid::ui::Charts", "step %1, %2-bit").arg(step).arg(bits)),
            k);
    }
  }
  spec.xMax = index + 0.5;
  // What the whiskers mean, under the checkpoint axis.
  spec.xLabel = allPercentiles
                    ? QCoreApplication::translate("qid::ui::Charts", "Checkpoint step (boxes: quartiles, median; whiskers: 5th–95th percentile)")
                    : QCoreApplication::translate("qid::ui::Charts", "Checkpoint step (boxes: quartiles, median; whiskers: 5th–95th percentile, min–max for rows stored without percentiles)");
  if (range.valid()) {
    spec.yMin = decadeBelow(range.lo);
    spec.yMax = decadeAbove(range.hi);
    if (spec.yMax < spec.yMin * 100) spec.yMin = spec.yMax / 100;  // two decades at least: labelled axis
  }
  return spec;
}

}  // namespace qid::ui
