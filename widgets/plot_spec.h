#pragma once
// What one chart shows, as plain data: the interactive view, the export
// routine, the CSV writer and the matplotlib script all read this, so the
// four outputs cannot disagree.
#include <QColor>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVector>
#include <optional>

namespace qid::ui {

struct PlotSeries {
  enum class Kind { Line, Dashed, Dotted, Scatter, Band };  // Dotted: a comparison law
  QString name;
  Kind kind = Kind::Line;
  QColor color;
  QVector<QPointF> points;      // Band: the lower edge; it fills up to the y maximum
  QVector<qint64> ids;          // Scatter: measurement ids, parallel to points
  bool inLegend = true;
};

// A value read off a curve at the handle position.
struct HandleReading {
  QString curve;
  QColor color;
  double x = 0;
  double y = 0;                 // the plotted value (e.g. ΔqLoss)
  std::optional<double> lossQ;  // Loss16 + ΔqLoss when the law has a Loss16
  bool worseThanRandom = false;
};

struct PlotSpec {
  QString name;                 // "tokens", "size", "bits", ...
  QString title;
  QString xLabel, yLabel;
  bool logX = true, logY = true;
  double xMin = 1, xMax = 10, yMin = 1e-3, yMax = 10;
  QVector<PlotSeries> series;
  std::optional<double> handleX;           // the extrapolation handle, if the chart has one
  double handleMin = 0, handleMax = 0;     // where the handle may go
  QVector<HandleReading> readings;         // values at the handle
};

}  // namespace qid::ui
