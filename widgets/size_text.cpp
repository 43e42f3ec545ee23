#include "size_text.h"

#include "chart_palette.h"

namespace qid::ui {

std::optional<double> parseSize(const QString& text) {
  QString t = text.trimmed().toUpper();
  if (t.isEmpty()) return std::nullopt;
  double scale = 1;
  const QChar last = t.back();
  if (last == QLatin1Char('K')) scale = 1e3;
  if (last == QLatin1Char('M')) scale = 1e6;
  if (last == QLatin1Char('B') || last == QLatin1Char('G')) scale = 1e9;
  if (last == QLatin1Char('T')) scale = 1e12;
  if (scale != 1) t.chop(1);
  bool ok = false;
  const double v = t.toDouble(&ok) * scale;
  if (!ok || !(v > 0)) return std::nullopt;
  return v;
}

QString sizeText(double n) { return sizeLabel(n); }

std::optional<QVector<double>> parseSizeList(const QString& text) {
  QVector<double> out;
  for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    const auto v = parseSize(part);
    if (!v) return std::nullopt;
    out.push_back(*v);
  }
  if (out.isEmpty()) return std::nullopt;
  return out;
}

}  // namespace qid::ui
