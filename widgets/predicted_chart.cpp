// Predicted vs actual ΔqLoss (the paper's Figure 10, right): each measured
// point against the current law's value at its N, D and P, with the line of
// perfect agreement. Points on the line are explained by the law.
#include <QCoreApplication>
#include <QMap>
#include <cmath>

#include "chart_builders.h"
#include "chart_palette.h"
#include "chart_range.h"
#include "project_session.h"

namespace qid::ui {

PlotSpec predictedChart(const ProjectSession& s) {
  PlotSpec spec;
  spec.name = QStringLiteral("predicted");
  const LawPtr law = s.currentLaw();
  spec.title = law ? QCoreApplication::translate("qid::ui::Charts", "Predicted vs actual ΔqLoss — %1").arg(law->name()) : QCoreApplication::translate("qid::ui::Charts", "Predicted vs actual ΔqLoss");
  spec.xLabel = QCoreApplication::translate("qid::ui::Charts", "Actual ΔqLoss (nats/token)");
  spec.yLabel = QCoreApplication::translate("qid::ui::Charts", "Predicted ΔqLoss (nats/token)");
  ValueRange r;
  QMap<int, PlotSeries> byBits;
  if (law) {
    for (const MeasurementRow& m : s.visibleRows()) {
      if (!(m.deltaQ > 0) || m.n <= 0 || m.d <= 0 || m.bits <= 0) continue;
      const double predicted = law->deltaQ(m.n, m.d, m.bits);
      if (!std::isfinite(predicted) || predicted <= 0) continue;
      PlotSeries& ps = byBits[m.bits];
      if (ps.name.isEmpty()) {
        ps.kind = PlotSeries::Kind::Scatter;
        ps.color = bitColor(m.bits);
        ps.name = m.measured ? QCoreApplication::translate("qid::ui::Charts", "measured, %1-bit").arg(m.bits) : QCoreApplication::translate("qid::ui::Charts", "%1, %2-bit").arg(m.source).arg(m.bits);
      }
      ps.points.push_back({m.deltaQ, predicted});
      ps.ids.push_back(m.id);
      r.add(m.deltaQ);
      r.add(predicted);
    }
  }
  if (!r.valid()) r = ValueRange{1e-3, 1};
  spec.xMin = spec.yMin = decadeBelow(r.lo);
  spec.xMax = spec.yMax = decadeAbove(r.hi);
  if (spec.xMax < spec.xMin * 100) spec.xMax = spec.yMax = spec.xMin * 100;  // two decades at least: labelled axes
  spec.series.push_back({QCoreApplication::translate("qid::ui::Charts", "perfect prediction (y = x)"), PlotSeries::Kind::Line, QColor(110, 110, 110),
                         {{spec.xMin, spec.xMin}, {spec.xMax, spec.xMax}}, {}, {}, true});
  spec.series.push_back({QCoreApplication::translate("qid::ui::Charts", "±2× of the law"), PlotSeries::Kind::Dotted, QColor(150, 150, 150),
                         {{spec.xMin, spec.xMin * 2}, {spec.xMax / 2, spec.xMax}}, {}, {}, true});
  spec.series.push_back({QCoreApplication::translate("qid::ui::Charts", "±2× of the law"), PlotSeries::Kind::Dotted, QColor(150, 150, 150),
                         {{spec.xMin * 2, spec.xMin}, {spec.xMax, spec.xMax / 2}}, {}, {}, false});
  for (const PlotSeries& ps : byBits) spec.series.push_back(ps);
  return spec;
}

}  // namespace qid::ui
