// ΔqLoss vs bit width P (the paper's Figure 5): law curves per model size at
// the end of the data (solid) and at the handle's horizon (dashed).
#include <QCoreApplication>
#include <QMap>

#include "chart_builders.h"
#include "chart_palette.h"
#include "chart_range.h"
#include "project_session.h"

namespace qid::ui {

PlotSpec bitsChart(const ProjectSession& s) {
  PlotSpec spec;
  spec.name = QStringLiteral("bits");
  spec.title = QCoreApplication::translate("qid::ui::Charts", "ΔqLoss vs bit width");
  spec.xLabel = QCoreApplication::translate("qid::ui::Charts", "Bit width P (bits)");
  spec.yLabel = QCoreApplication::translate("qid::ui::Charts", "ΔqLoss (nats/token)");
  // A linear axis labelled at whole bit widths: a log axis over 2..8 bits
  // carries no decade label inside the range, so the bits went unlabelled.
  spec.logX = false;
  spec.xMin = 1.5;
  spec.xMax = 8.5;
  for (int b = 2; b <= 8; ++b) spec.xTicks.push_back({double(b), QString::number(b)});
  ValueRange yr;
  QMap<double, PlotSeries> bySize;
  for (const MeasurementRow& r : s.visibleRows()) {
    if (r.deltaQ <= 0 || r.bits <= 0) continue;
    yr.add(r.deltaQ);
    PlotSeries& ps = bySize[r.n];
    if (ps.name.isEmpty()) {
      ps.kind = PlotSeries::Kind::Scatter;
      ps.color = QColor::fromHsv(int(std::log10(std::max(r.n, 1.0)) * 53) % 360, 180, 200);
      ps.name = QCoreApplication::translate("qid::ui::Charts", "%1 %2").arg(r.measured ? QCoreApplication::translate("qid::ui::Charts", "measured") : r.source, sizeLabel(r.n));
    }
    ps.points.push_back({double(r.bits), r.deltaQ});
    ps.ids.push_back(r.id);
  }
  if (const LawPtr law = s.currentLaw()) {
    const double dData = s.dataMaxTokens(), dHandle = s.handleTokens();
    const int count = s.sizes().size();
    for (int i = 0; i < count; ++i) {
      const double n = s.sizes()[i];
      const QColor c = shade(QColor(60, 90, 160), i, count);
      PlotSeries solid{QCoreApplication::translate("qid::ui::Charts", "%1, D = %2").arg(sizeLabel(n)).arg(dData, 0, 'g', 2), PlotSeries::Kind::Line, c, {}, {}, {}, true};
      PlotSeries dash{QCoreApplication::translate("qid::ui::Charts", "%1, D = %2").arg(sizeLabel(n)).arg(dHandle, 0, 'g', 2), PlotSeries::Kind::Dashed, c, {}, {}, {}, true};
      for (double p : logSpace(2, 8, 25)) {
        solid.points.push_back({p, law->deltaQ(n, dData, p)});
        dash.points.push_back({p, law->deltaQ(n, dHandle, p)});
        yr.add(solid.points.back().y());
        yr.add(dash.points.back().y());
      }
      spec.series.push_back(solid);
      spec.series.push_back(dash);
    }
  }
  if (!yr.valid()) yr = ValueRange{1e-3, 10};
  spec.yMin = std::max(decadeBelow(yr.lo), 1e-5);
  spec.yMax = std::min(decadeAbove(yr.hi), 1e3);
  if (const LawPtr law = s.currentLaw()) {
    if (const auto fitted = law->fittedRange(QStringLiteral("P")); fitted && fitted->first > spec.xMin)
      spec.series.prepend(extrapolationRegion(spec.xMin, fitted->first, spec.yMin, QCoreApplication::translate("qid::ui::Charts", "extrapolated (P outside the fit)")));
    if (const auto fitted = law->fittedRange(QStringLiteral("P")); fitted && fitted->second < spec.xMax)
      spec.series.prepend(extrapolationRegion(fitted->second, spec.xMax, spec.yMin, QCoreApplication::translate("qid::ui::Charts", "extrapolated (P outside the fit)")));
  }
  for (const PlotSeries& ps : bySize) spec.series.push_back(ps);
  return spec;
}

}  // namespace qid::ui
