// Loss_q = Loss16 + ΔqLoss vs training tokens (the paper's Figure 7), with
// the 16-bit loss and the random-guessing level ln(vocab).
#include <QCoreApplication>
#include <cmath>

#include "chart_builders.h"
#include "chart_palette.h"
#include "chart_range.h"
#include "project_session.h"

namespace qid::ui {

PlotSpec lossQChart(const ProjectSession& s) {
  PlotSpec spec;
  spec.name = QStringLiteral("lossq");
  spec.title = QCoreApplication::translate("qid::ui::Charts", "Quantized loss vs training tokens");
  spec.xLabel = QCoreApplication::translate("qid::ui::Charts", "Training tokens D");
  spec.yLabel = QCoreApplication::translate("qid::ui::Charts", "Loss_q = Loss16 + ΔqLoss (nats/token)");
  spec.xMin = 1e9;
  spec.xMax = ProjectSession::kMaxTokens;
  const double dataMax = s.dataMaxTokens(), handle = s.handleTokens();
  spec.handleX = handle;
  spec.handleMin = dataMax;
  spec.handleMax = ProjectSession::kMaxTokens;
  const double lnV = std::log(s.vocab());
  ValueRange yr;
  yr.add(lnV);
  const LawPtr law = s.currentLaw();
  const int count = s.sizes().size();
  if (law && law->loss16(1e9, 1e9)) {
    for (int i = 0; i < count; ++i) {
      const double n = s.sizes()[i];
      PlotSeries l16{QCoreApplication::translate("qid::ui::Charts", "%1, 16-bit").arg(sizeLabel(n)), PlotSeries::Kind::Line, shade(QColor(90, 90, 90), i, count), {}, {}, {}, true};
      for (double d : logSpace(spec.xMin, spec.xMax, 48)) l16.points.push_back({d, *law->loss16(n, d)});
      for (const auto& p : l16.points) yr.add(p.y());
      spec.series.push_back(l16);
    }
    for (int b : s.bits()) {
      for (int i = 0; i < count; ++i) {
        const double n = s.sizes()[i];
        const QColor c = shade(bitColor(b), i, count);
        const QString label = QCoreApplication::translate("qid::ui::Charts", "%1, %2-bit").arg(sizeLabel(n)).arg(b);
        PlotSeries solid{label, PlotSeries::Kind::Line, c, {}, {}, {}, true};
        PlotSeries dash{label + QCoreApplication::translate("qid::ui::Charts", " (extrapolated)"), PlotSeries::Kind::Dashed, c, {}, {}, {}, false};
        for (double d : logSpace(spec.xMin, dataMax, 40)) solid.points.push_back({d, *law->loss16(n, d) + law->deltaQ(n, d, b)});
        for (double d : logSpace(dataMax, handle, 30)) dash.points.push_back({d, *law->loss16(n, d) + law->deltaQ(n, d, b)});
        for (const auto& p : solid.points) yr.add(p.y());
        for (const auto& p : dash.points) yr.add(p.y());
        spec.series.push_back(solid);
        spec.series.push_back(dash);
        const double dq = law->deltaQ(n, handle, b);
        const double lq = *law->loss16(n, handle) + dq;
        HandleReading r{label, c, handle, dq, lq, lq > lnV};
        spec.readings.push_back(r);
      }
    }
  }
  spec.series.push_back({QCoreApplication::translate("qid::ui::Charts", "random guessing, ln V = %1").arg(lnV, 0, 'f', 3), PlotSeries::Kind::Dashed,
                         QColor(120, 120, 120), {{spec.xMin, lnV}, {spec.xMax, lnV}}, {}, {}, true});
  spec.yMin = std::max(1.0, std::floor(yr.lo));
  spec.yMax = std::min(decadeAbove(yr.hi), 1e3);
  if (law) {
    const auto fitted = law->fittedRange(QStringLiteral("D"));
    const double from = fitted ? fitted->second : dataMax;
    if (from < spec.xMax)
      spec.series.prepend(extrapolationRegion(from, spec.xMax, spec.yMin, QCoreApplication::translate("qid::ui::Charts", "extrapolated (D beyond the fit)")));
  }
  return spec;
}

}  // namespace qid::ui
