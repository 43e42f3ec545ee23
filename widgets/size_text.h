#pragma once
// Model sizes as people type them: "7B", "410M", "1.4e9", "70m".
#include <QString>
#include <QStringList>
#include <QVector>
#include <optional>

namespace qid::ui {

std::optional<double> parseSize(const QString& text);
QString sizeText(double n);  // the inverse: 7e9 → "7B"
// "7B, 70B, 405B" → {7e9, 7e10, 4.05e11}; nullopt when any item is bad.
std::optional<QVector<double>> parseSizeList(const QString& text);

}  // namespace qid::ui
