// Chart names as the command line, settings and exports spell them.
#include <QStringList>

#include "chart_builders.h"

namespace qid::ui {

QStringList chartNames() {
  return {QStringLiteral("tokens"), QStringLiteral("size"), QStringLiteral("bits"), QStringLiteral("lossq")};
}

PlotSpec chartByName(const QString& name, const ProjectSession& s) {
  if (name == QLatin1String("size")) return sizeChart(s);
  if (name == QLatin1String("bits")) return bitsChart(s);
  if (name == QLatin1String("lossq")) return lossQChart(s);
  return tokensChart(s);
}

}  // namespace qid::ui
