// ΔqLoss vs model size N (the paper's Figure 4): law curves per bit width at
// the end of the data (solid) and at the handle's horizon (dashed).
#include <QCoreApplication>
#include <QMap>

#include "chart_builders.h"
#include "chart_palette.h"
#include "chart_range.h"
#include "project_session.h"

namespace qid::ui {

PlotSpec sizeChart(const ProjectSession& s) {
  PlotSpec spec;
  spec.name = QStringLiteral("size");
  spec.title = QCoreApplication::translate("qid::ui::Charts", "ΔqLoss vs model size");
  spec.xLabel = QCoreApplication::translate("qid::ui::Charts", "Non-embedding parameters N");
  spec.yLabel = QCoreApplication::translate("qid::ui::Charts", "ΔqLoss (nats/token)");
  ValueRange xr, yr;
  xr.add(1e7);
  xr.add(1e12);
  for (double n : s.sizes()) xr.add(n);
  const QVector<MeasurementRow> rows = s.visibleRows();
  QMap<int, PlotSeries> byBits;
  for (const MeasurementRow& r : rows) {
    if (r.deltaQ <= 0 || r.n <= 0) continue;
    xr.add(r.n);
    yr.add(r.deltaQ);
    PlotSeries& ps = byBits[r.bits];
    if (ps.name.isEmpty()) {
      ps.kind = PlotSeries::Kind::Scatter;
      ps.color = bitColor(r.bits).lighter(115);
      ps.name = r.measured ? QCoreApplication::translate("qid::ui::Charts", "measured, %1-bit").arg(r.bits) : QCoreApplication::translate("qid::ui::Charts", "%1, %2-bit").arg(r.source).arg(r.bits);
    }
    ps.points.push_back({r.n, r.deltaQ});
    ps.ids.push_back(r.id);
  }
  spec.xMin = decadeBelow(xr.lo);
  spec.xMax = decadeAbove(xr.hi);
  if (const LawPtr law = s.currentLaw()) {
    const double dData = s.dataMaxTokens(), dHandle = s.handleTokens();
    for (int b : s.bits()) {
      PlotSeries solid{QCoreApplication::translate("qid::ui::Charts", "%1-bit, D = %2").arg(b).arg(dData, 0, 'g', 2), PlotSeries::Kind::Line, bitColor(b), {}, {}, {}, true};
      PlotSeries dash{QCoreApplication::translate("qid::ui::Charts", "%1-bit, D = %2").arg(b).arg(dHandle, 0, 'g', 2), PlotSeries::Kind::Dashed, bitColor(b), {}, {}, {}, true};
      for (double n : logSpace(spec.xMin, spec.xMax, 40)) {
        solid.points.push_back({n, law->deltaQ(n, dData, b)});
        dash.points.push_back({n, law->deltaQ(n, dHandle, b)});
        yr.add(solid.points.back().y());
        yr.add(dash.points.back().y());
      }
      spec.series.push_back(solid);
      spec.series.push_back(dash);
    }
  }
  if (!yr.valid()) yr = ValueRange{1e-3, 10};
  spec.yMin = std::max(decadeBelow(yr.lo), 1e-4);
  spec.yMax = std::min(decadeAbove(yr.hi), 1e3);
  if (const LawPtr law = s.currentLaw()) {
    if (const auto fitted = law->fittedRange(QStringLiteral("N")); fitted && fitted->second < spec.xMax)
      spec.series.prepend(extrapolationRegion(fitted->second, spec.xMax, spec.yMin, QCoreApplication::translate("qid::ui::Charts", "extrapolated (N beyond the fit)")));
  }
  for (const PlotSeries& ps : byBits) spec.series.push_back(ps);
  return spec;
}

}  // namespace qid::ui
