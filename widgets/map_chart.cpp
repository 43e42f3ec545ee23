// The training-level map (the paper's Figure 11): model size N against
// training tokens D, coloured by the law's ΔqLoss at one bit width, with the
// iso-ΔqLoss lines of the Table 1 targets (the law's inverse in D) and the
// measured checkpoints on top.
#include <QCoreApplication>
#include <cmath>

#include "chart_builders.h"
#include "chart_palette.h"
#include "chart_range.h"
#include "project_session.h"

namespace qid::ui {

PlotSpec mapChart(const ProjectSession& s) {
  PlotSpec spec;
  spec.name = QStringLiteral("map");
  const int bits = s.mapBits();
  const LawPtr law = s.currentLaw();
  spec.title = law ? QCoreApplication::translate("qid::ui::Charts", "Training-level map, %1-bit — %2").arg(bits).arg(law->name()) : QCoreApplication::translate("qid::ui::Charts", "Training-level map");
  spec.xLabel = QCoreApplication::translate("qid::ui::Charts", "Training tokens D");
  spec.yLabel = QCoreApplication::translate("qid::ui::Charts", "Non-embedding parameters N");
  spec.xMin = 1e9;
  spec.xMax = ProjectSession::kMaxTokens;
  spec.yMin = 1e7;
  spec.yMax = 1e12;
  const QVector<MeasurementRow> rows = s.visibleRows();
  if (law) {
    HeatMap map;
    map.label = QCoreApplication::translate("qid::ui::Charts", "ΔqLoss at %1 bits (nats/token)").arg(bits);
    map.xs = logSpace(spec.xMin, spec.xMax, 60);
    map.ys = logSpace(spec.yMin, spec.yMax, 44);
    ValueRange vr;
    for (double n : map.ys) {
      for (double d : map.xs) {
        const double v = law->deltaQ(n, d, bits);
        map.values.push_back(v);
        vr.add(v);
      }
    }
    if (vr.valid()) {
      map.vMin = std::max(decadeBelow(vr.lo), 1e-4);
      map.vMax = std::max(std::min(decadeAbove(vr.hi), 100.0), map.vMin * 10);
    }
    spec.heatMap = map;
    // Iso-ΔqLoss lines: for each target, the D at which each N reaches it.
    const auto& targets = s.tableAxes().targets;
    for (int t = 0; t < targets.size(); ++t) {
      PlotSeries iso{QCoreApplication::translate("qid::ui::Charts", "ΔqLoss = %1").arg(targets[t]), PlotSeries::Kind::Line,
                     QColor::fromHsv(0, 0, 255 - 40 * (t % 4)), {}, {}, {}, true};
      for (double n : logSpace(spec.yMin, spec.yMax, 40)) {
        const auto d = law->tokensFor(targets[t], n, bits);
        if (d && *d >= spec.xMin && *d <= spec.xMax) iso.points.push_back({*d, n});
      }
      if (iso.points.size() >= 2) spec.series.push_back(iso);
    }
  }
  // Chinchilla's compute-optimal D = 20 N, for orientation.
  spec.series.push_back({QCoreApplication::translate("qid::ui::Charts", "D = 20 N (compute-optimal)"), PlotSeries::Kind::Dotted, QColor(250, 250, 250),
                         {{20 * spec.yMin, spec.yMin}, {spec.xMax, spec.xMax / 20}}, {}, {}, true});
  PlotSeries pts{QCoreApplication::translate("qid::ui::Charts", "measured checkpoints"), PlotSeries::Kind::Scatter, QColor(255, 90, 60), {}, {}, {}, true};
  for (const MeasurementRow& r : rows) {
    if (r.n <= 0 || r.d <= 0 || r.bits != bits) continue;
    pts.points.push_back({r.d, r.n});
    pts.ids.push_back(r.id);
  }
  if (!pts.points.isEmpty()) spec.series.push_back(pts);
  return spec;
}

}  // namespace qid::ui
