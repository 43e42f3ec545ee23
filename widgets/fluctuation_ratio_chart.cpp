// ΔqLoss against the fluctuation ratio (beside the paper's Figure 12): each
// measurement at the ratio median |Q(W) − W| / median |ΔW| of its checkpoint
// at its bit width, with Spearman's rank correlation (core
// analysis/rank_correlation) in the title. A ratio above 1 means the
// quantizer pushes the weights further than recent training moved them.
#include <QCoreApplication>
#include <QMap>
#include <cmath>

#include "analysis/rank_correlation.h"
#include "chart_builders.h"
#include "chart_palette.h"
#include "chart_range.h"
#include "fluctuation_data.h"
#include "project_session.h"
#include "store_rows.h"

namespace qid::ui {

PlotSpec fluctuationRatioChart(const ProjectSession& s) {
  PlotSpec spec;
  spec.name = QStringLiteral("fluctuation_ratio");
  const FluctuationData& data = *s.fluctuation();
  const QString method = QString::fromStdString(data.method);
  spec.xLabel = data.empty() ? QCoreApplication::translate("qid::ui::Charts", "Ratio: median |Q(W) − W| / median |ΔW|")
                             : QCoreApplication::translate("qid::ui::Charts", "Ratio: median |Q(W) − W| / median |ΔW| (%1)").arg(method);
  spec.yLabel = QCoreApplication::translate("qid::ui::Charts", "ΔqLoss (nats/token)");
  spec.xMin = 0.1;
  spec.xMax = 100;
  spec.yMin = 1e-3;
  spec.yMax = 10;

  // One series per quantizer and bit width, coloured by bit width.
  QStringList methods;
  for (const auto& p : data.points)
    if (!methods.contains(QString::fromStdString(p.measurement.method))) methods << QString::fromStdString(p.measurement.method);
  QMap<QPair<int, QString>, PlotSeries> series;
  std::vector<double> xs, ys;
  ValueRange xr, yr;
  bool allPositive = true;
  double yLo = INFINITY, yHi = -INFINITY;
  for (const auto& p : data.points) {
    const MeasurementRow row = rowFromMeasurement(p.measurement, QString());
    const double ratio = p.fluctuation.ratio;
    if (!s.filter().accepts(row) || !std::isfinite(ratio) || ratio <= 0 || !std::isfinite(row.deltaQ)) continue;
    PlotSeries& ps = series[{row.bits, row.method}];
    if (ps.name.isEmpty()) {
      ps.name = QCoreApplication::translate("qid::ui::Charts", "%1, %2-bit").arg(row.method).arg(row.bits);
      ps.kind = PlotSeries::Kind::Scatter;
      ps.color = shade(bitColor(row.bits), int(methods.indexOf(row.method)), int(methods.size()));
    }
    ps.points.push_back({ratio, row.deltaQ});
    ps.ids.push_back(row.id);
    xs.push_back(ratio);
    ys.push_back(row.deltaQ);
    xr.add(ratio);
    yr.add(row.deltaQ);
    allPositive = allPositive && row.deltaQ > 0;
    yLo = std::min(yLo, row.deltaQ);
    yHi = std::max(yHi, row.deltaQ);
  }

  const double rho = qid::analysis::spearman(xs, ys);
  const QString rhoText = std::isfinite(rho) ? QString::number(rho, 'f', 2) : QCoreApplication::translate("qid::ui::Charts", "n/a");
  spec.title = QCoreApplication::translate("qid::ui::Charts", "ΔqLoss vs ratio: Spearman ρ = %1 (n = %2)")
                   .arg(rhoText)
                   .arg(xs.size());
  if (data.empty()) {
    spec.emptyMessage = noFluctuationMessage();
  } else if (xs.empty()) {
    spec.emptyMessage = QCoreApplication::translate(
        "qid::ui::Charts", "No shown measurement has a fluctuation row: sweep the analysed checkpoints, or widen the filter.");
  }
  if (xr.valid()) {
    spec.xMin = std::min(decadeBelow(xr.lo), 0.1);
    spec.xMax = std::max(decadeAbove(xr.hi), 10.0);
  }
  // ΔqLoss can be negative (quantization noise on small models): then a linear axis.
  spec.logY = allPositive;
  if (!xs.empty()) {
    if (allPositive) {
      spec.yMin = decadeBelow(yr.lo);
      spec.yMax = std::max(decadeAbove(yr.hi), spec.yMin * 100);
    } else {
      const double pad = std::max(1e-3, (yHi - yLo) * 0.05);
      spec.yMin = yLo - pad;
      spec.yMax = yHi + pad;
    }
  }
  if (!data.empty()) {
    // Past both ends of the axis (a linear one is rounded out to nice numbers).
    const double span = spec.yMax - spec.yMin;
    const double lo = spec.logY ? spec.yMin / 10 : spec.yMin - span, hi = spec.logY ? spec.yMax * 10 : spec.yMax + span;
    spec.series.push_back({QCoreApplication::translate("qid::ui::Charts", "push = movement (ratio 1)"), PlotSeries::Kind::Dotted,
                           QColor(120, 120, 120), {{1, lo}, {1, hi}}, {}, {}, true});
  }
  for (const PlotSeries& ps : series) spec.series.push_back(ps);
  return spec;
}

}  // namespace qid::ui
