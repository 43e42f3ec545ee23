// ΔqLoss vs bit width P (the paper's Figure 5): law curves per model size at
// the end of the data (solid) and at the handle's horizon (dashed).
#include <QCoreApplication>
#include <QMap>

#include "chart_builders.h"
#include "chart_palette.h"
#include "chart_range.h"
#include "project_session.h"

namespace qid::ui {

namespace {
QString tr(const char* s) { return QCoreApplication::translate("qid::ui::Charts", s); }
}  // namespace

PlotSpec bitsChart(const ProjectSession& s) {
  PlotSpec spec;
  spec.name = QStringLiteral("bits");
  spec.title = tr("ΔqLoss vs bit width");
  spec.xLabel = tr("Bit width P (bits)");
  spec.yLabel = tr("ΔqLoss (nats/token)");
  spec.xMin = 1.8;
  spec.xMax = 10;
  ValueRange yr;
  QMap<double, PlotSeries> bySize;
  for (const MeasurementRow& r : s.visibleRows()) {
    if (r.deltaQ <= 0 || r.bits <= 0) continue;
    yr.add(r.deltaQ);
    PlotSeries& ps = bySize[r.n];
    if (ps.name.isEmpty()) {
      ps.kind = PlotSeries::Kind::Scatter;
      ps.color = QColor::fromHsv(int(std::log10(std::max(r.n, 1.0)) * 53) % 360, 180, 200);
      ps.name = tr("%1 %2").arg(r.measured ? tr("measured") : r.source, sizeLabel(r.n));
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
      PlotSeries solid{tr("%1, D = %2").arg(sizeLabel(n)).arg(dData, 0, 'g', 2), PlotSeries::Kind::Line, c, {}, {}, true};
      PlotSeries dash{tr("%1, D = %2").arg(sizeLabel(n)).arg(dHandle, 0, 'g', 2), PlotSeries::Kind::Dashed, c, {}, {}, true};
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
  for (const PlotSeries& ps : bySize) spec.series.push_back(ps);
  return spec;
}

}  // namespace qid::ui
