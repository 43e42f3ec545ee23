#pragma once
// Colours shared by every chart: one hue per bit width, darker for larger
// models, so a curve, its points and its reading match across charts.
#include <QColor>
#include <QString>

namespace qid::ui {

inline QColor bitColor(int bits) {
  switch (bits) {
    case 2: return QColor(0xd6, 0x27, 0x28);
    case 3: return QColor(0xe6, 0x8a, 0x00);
    case 4: return QColor(0x1f, 0x77, 0xb4);
    case 8: return QColor(0x2c, 0xa0, 0x2c);
    default: return QColor::fromHsv((bits * 47) % 360, 200, 190);
  }
}

// index-th of count shades: the first (smallest model) lightest.
inline QColor shade(const QColor& base, int index, int count) {
  if (count <= 1) return base;
  const int factor = 150 - (100 * index) / (count - 1);  // 150 .. 50 → lighter .. darker
  return factor >= 100 ? base.lighter(factor) : base.darker(100 + (100 - factor));
}

// "7B", "410M", "1.4B"
inline QString sizeLabel(double n) {
  if (n >= 1e12) return QString::number(n / 1e12, 'g', 3) + QStringLiteral("T");
  if (n >= 1e9) return QString::number(n / 1e9, 'g', 3) + QStringLiteral("B");
  if (n >= 1e6) return QString::number(n / 1e6, 'g', 3) + QStringLiteral("M");
  return QString::number(n, 'g', 3);
}

}  // namespace qid::ui
