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
  // Dotted: a comparison law. Band: filled from points up to the top of the
  // plot. Interval: filled between points (lower) and upper (an uncertainty band).
  enum class Kind { Line, Dashed, Dotted, Scatter, Band, Interval };
  QString name;
  Kind kind = Kind::Line;
  QColor color;
  QVector<QPointF> points;      // Band, Interval: the lower edge
  QVector<QPointF> upper;       // Interval: the upper edge, same x as points
  QVector<qint64> ids;          // Scatter: measurement ids, parallel to points
  bool inLegend = true;
};

// A colour-coded grid (the training-level map): values[iy * xs.size() + ix]
// at the cell centred on (xs[ix], ys[iy]); NaN cells stay empty.
struct HeatMap {
  QString label;                // the colour bar's title, with units
  QVector<double> xs, ys;       // cell centres, increasing (log-spaced on log axes)
  QVector<double> values;
  double vMin = 1e-3, vMax = 1;
  bool logScale = true;         // colours spaced in log10(value)
};

// One box of a boxplot (from core's analysis::BoxStats): a box from q1 to
// q3 with a line at the median and whiskers from whiskerLow to whiskerHigh
// (the 5th and 95th percentiles; min and max where those are unknown),
// centred on x and halfWidth wide on each side (x-axis units). min and max
// are kept for the data export only: they are not drawn. Boxes of one group
// share a colour and one legend entry.
struct PlotBox {
  QString group;                // the legend entry, e.g. "|ΔW| training movement"
  QColor color;
  double x = 0, halfWidth = 0.1;
  double min = 0, q1 = 0, median = 0, q3 = 0, max = 0;
  double whiskerLow = 0, whiskerHigh = 0;
  QString label;                // what the box summarises, e.g. "step 16, 3-bit"
  bool operator==(const PlotBox&) const = default;
};

// A labelled position on a linear x axis (categories such as checkpoints).
struct AxisTick {
  double x = 0;
  QString label;
  bool operator==(const AxisTick&) const = default;
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
  std::optional<HeatMap> heatMap;          // drawn under the series
  QVector<PlotBox> boxes;                  // boxplots, drawn over the series
  QVector<AxisTick> xTicks;                // non-empty: the x axis (linear) labelled only here
  QString emptyMessage;                    // non-empty: no data, say this over the plot
};

}  // namespace qid::ui
