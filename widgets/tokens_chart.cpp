// ΔqLoss vs training tokens: the paper's Figure 1 (law curves for
// hypothetical sizes, dashed to the handle) over the measured points.
#include <QCoreApplication>
#include <QMap>
#include <algorithm>
#include <cmath>

#include "chart_builders.h"
#include "chart_palette.h"
#include "chart_range.h"
#include "project_session.h"

namespace qid::ui {

QVector<double> logSpace(double lo, double hi, int n) {
  QVector<double> out;
  if (n < 2 || lo <= 0 || hi <= 0) return {lo};
  const double a = std::log10(lo), b = std::log10(hi);
  for (int i = 0; i < n; ++i) out.push_back(std::pow(10.0, a + (b - a) * i / (n - 1)));
  return out;
}

PlotSpec tokensChart(const ProjectSession& s) {
  PlotSpec spec;
  spec.name = QStringLiteral("tokens");
  spec.xLabel = QCoreApplication::translate("qid::ui::Charts", "Training tokens D");
  spec.yLabel = QCoreApplication::translate("qid::ui::Charts", "ΔqLoss (nats/token)");
  const LawPtr law = s.currentLaw();
  spec.title = law ? QCoreApplication::translate("qid::ui::Charts", "ΔqLoss vs training tokens — %1").arg(law->name()) : QCoreApplication::translate("qid::ui::Charts", "ΔqLoss vs training tokens");

  const QVector<MeasurementRow> rows = s.visibleRows();
  ValueRange xr, yr;
  xr.add(1e9);
  xr.add(ProjectSession::kMaxTokens);
  for (const MeasurementRow& r : rows) {
    xr.add(r.d);
    yr.add(r.deltaQ);
  }
  const double dataMax = s.dataMaxTokens();
  const double handle = s.handleTokens();
  spec.xMin = decadeBelow(xr.lo);
  spec.xMax = std::max(ProjectSession::kMaxTokens, xr.hi * 1.3);
  spec.handleX = handle;
  spec.handleMin = dataMax;
  spec.handleMax = ProjectSession::kMaxTokens;

  // Measured (or tabulated) points, one series per bit width.
  QMap<int, PlotSeries> byBits;
  for (const MeasurementRow& r : rows) {
    if (r.deltaQ <= 0 || r.d <= 0) continue;
    PlotSeries& ps = byBits[r.bits];
    if (ps.name.isEmpty()) {
      ps.kind = PlotSeries::Kind::Scatter;
      ps.color = bitColor(r.bits).lighter(115);
      ps.name = r.measured ? QCoreApplication::translate("qid::ui::Charts", "measured, %1-bit").arg(r.bits) : QCoreApplication::translate("qid::ui::Charts", "%1, %2-bit").arg(r.source).arg(r.bits);
    }
    ps.points.push_back({r.d, r.deltaQ});
    ps.ids.push_back(r.id);
  }

  QVector<PlotSeries> curves, dashes;
  PlotSeries atHandle;
  atHandle.kind = PlotSeries::Kind::Scatter;
  atHandle.name = QCoreApplication::translate("qid::ui::Charts", "at handle");
  atHandle.color = QColor(30, 30, 30);
  atHandle.inLegend = false;
  if (law) {
    const QVector<double> solidD = logSpace(spec.xMin, dataMax, 48);
    const QVector<double> dashD = logSpace(dataMax, handle, 32);
    const int nSizes = s.sizes().size();
    for (int b : s.bits()) {
      for (int i = 0; i < nSizes; ++i) {
        const double n = s.sizes()[i];
        const QColor color = shade(bitColor(b), i, nSizes);
        const QString label = QCoreApplication::translate("qid::ui::Charts", "%1, %2-bit").arg(sizeLabel(n)).arg(b);
        PlotSeries solid{label, PlotSeries::Kind::Line, color, {}, {}, {}, true};
        for (double d : solidD) solid.points.push_back({d, law->deltaQ(n, d, b)});
        PlotSeries dash{label + QCoreApplication::translate("qid::ui::Charts", " (extrapolated)"), PlotSeries::Kind::Dashed, color, {}, {}, {}, false};
        for (double d : dashD) dash.points.push_back({d, law->deltaQ(n, d, b)});
        for (const auto& p : solid.points) yr.add(p.y());
        for (const auto& p : dash.points) yr.add(p.y());
        curves.push_back(solid);
        dashes.push_back(dash);
        HandleReading r;
        r.curve = label;
        r.color = color;
        r.x = handle;
        r.y = law->deltaQ(n, handle, b);
        if (auto l16 = law->loss16(n, handle)) {
          r.lossQ = *l16 + r.y;
          r.worseThanRandom = *r.lossQ > std::log(s.vocab());
        }
        spec.readings.push_back(r);
        atHandle.points.push_back({handle, r.y});
      }
    }
  }
  // The comparison law (e.g. Kumar et al.), dotted, same colours, up to the handle.
  QVector<PlotSeries> comparison;
  if (const LawPtr other = s.comparisonLaw()) {
    const int nSizes = s.sizes().size();
    // One grey legend entry stands for all the dotted curves.
    comparison.push_back({QCoreApplication::translate("qid::ui::Charts", "%1 (dotted)").arg(other->name()), PlotSeries::Kind::Dotted, QColor(90, 90, 90), {}, {}, {}, true});
    for (int b : s.bits()) {
      for (int i = 0; i < nSizes; ++i) {
        PlotSeries dots{other->name() + QStringLiteral(" ") + sizeLabel(s.sizes()[i]) + QString::number(b),
                        PlotSeries::Kind::Dotted, shade(bitColor(b), i, nSizes), {}, {}, {}, false};
        for (double d : logSpace(spec.xMin, handle, 40)) {
          const double v = other->deltaQ(s.sizes()[i], d, b);
          if (std::isfinite(v) && v > 0) dots.points.push_back({d, v});
        }
        comparison.push_back(dots);
      }
    }
  }
  if (!std::isfinite(yr.lo)) yr = ValueRange{1e-3, 10};
  spec.yMin = std::max(decadeBelow(yr.lo), 1e-4);
  spec.yMax = std::min(decadeAbove(yr.hi), 1e3);
  if (spec.yMax <= spec.yMin) spec.yMax = spec.yMin * 100;

  // Beyond the D the law was fitted on (or the data's end), predictions are
  // extrapolations: shade that region.
  if (law) {
    const auto fitted = law->fittedRange(QStringLiteral("D"));
    const double from = fitted ? fitted->second : dataMax;
    if (from < spec.xMax)
      spec.series.push_back(extrapolationRegion(from, spec.xMax, spec.yMin, QCoreApplication::translate("qid::ui::Charts", "extrapolated (D beyond the fit)")));
  }

  // The grey band: Loss_q > ln(vocab), i.e. ΔqLoss above ln V − Loss16(N, D),
  // drawn for the smallest size shown (the first to cross it).
  if (law && !s.sizes().isEmpty()) {
    const double nMin = *std::min_element(s.sizes().begin(), s.sizes().end());
    PlotSeries band{QCoreApplication::translate("qid::ui::Charts", "worse than random, %1").arg(sizeLabel(nMin)), PlotSeries::Kind::Band,
                    QColor(150, 150, 150, 110), {}, {}, {}, true};
    for (double d : logSpace(spec.xMin, spec.xMax, 40)) {
      const auto l16 = law->loss16(nMin, d);
      if (!l16) break;
      band.points.push_back({d, std::max(std::log(s.vocab()) - *l16, spec.yMin)});
    }
    if (!band.points.isEmpty()) spec.series.push_back(band);
  }
  // Bootstrap uncertainty bands (laws with samples), one per curve, to the handle.
  QVector<PlotSeries> bands;
  if (law && s.showBands() && law->hasSamples()) {
    const int nSizes = s.sizes().size();
    bool first = true;
    for (int b : s.bits()) {
      for (int i = 0; i < nSizes; ++i) {
        const double n = s.sizes()[i];
        QColor c = shade(bitColor(b), i, nSizes);
        c.setAlpha(55);
        PlotSeries band{first ? QCoreApplication::translate("qid::ui::Charts", "95% bootstrap band") : sizeLabel(n) + QCoreApplication::translate("qid::ui::Charts", " band"), PlotSeries::Kind::Interval,
                        c, {}, {}, {}, first};
        first = false;
        for (double d : logSpace(spec.xMin, handle, 28)) {
          if (const auto iv = law->interval(n, d, b)) {
            band.points.push_back({d, std::max(iv->first, spec.yMin)});
            band.upper.push_back({d, std::max(iv->second, spec.yMin)});
          }
        }
        if (!band.points.isEmpty()) bands.push_back(band);
      }
    }
  }
  spec.series += bands;
  spec.series += curves;
  spec.series += dashes;
  spec.series += comparison;
  for (const PlotSeries& ps : byBits) spec.series.push_back(ps);
  if (!atHandle.points.isEmpty()) spec.series.push_back(atHandle);
  return spec;
}

}  // namespace qid::ui
