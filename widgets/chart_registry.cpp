// Chart names as the command line, settings and exports spell them.
#include <QStringList>

#include "chart_builders.h"

namespace qid::ui {

QStringList chartNames() {
  return {QStringLiteral("tokens"), QStringLiteral("size"),      QStringLiteral("bits"),
          QStringLiteral("lossq"),  QStringLiteral("map"),       QStringLiteral("predicted"),
          QStringLiteral("fluctuation"), QStringLiteral("fluctuation_ratio")};
}

PlotSpec chartByName(const QString& name, const ProjectSession& s) {
  if (name == QLatin1String("size")) return sizeChart(s);
  if (name == QLatin1String("bits")) return bitsChart(s);
  if (name == QLatin1String("lossq")) return lossQChart(s);
  if (name == QLatin1String("map")) return mapChart(s);
  if (name == QLatin1String("predicted")) return predictedChart(s);
  if (name == QLatin1String("fluctuation")) return fluctuationChart(s);
  if (name == QLatin1String("fluctuation_ratio")) return fluctuationRatioChart(s);
  return tokensChart(s);
}

PlotSeries extrapolationRegion(double from, double to, double yMin, const QString& label) {
  return {label, PlotSeries::Kind::Band, QColor(70, 130, 220, 28), {{from, yMin}, {to, yMin}}, {}, {}, true};
}

}  // namespace qid::ui
