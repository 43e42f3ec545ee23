#pragma once
// The legend of an exported figure, painted below the plot in as many
// columns as fit the width (Qt Charts' own legend puts every entry on one
// row, which a 3.5 in column cannot hold). Part of the one export paint
// routine, so PNG, SVG and PDF get the same legend.
#include <QFont>
#include <QRectF>

#include "plot_spec.h"

class QPainter;

namespace qid::ui {

class LegendPainter {
 public:
  LegendPainter(const PlotSpec& spec, const QFont& font, double lineWidth);
  bool empty() const { return entries_.isEmpty(); }
  // The height the legend needs at this width (layout pixels).
  double heightFor(double width) const;
  void paint(QPainter* p, const QRectF& area) const;

 private:
  // The most columns (filled top to bottom) whose widest entries fit.
  int columnsFor(double width) const;
  QVector<double> columnWidths(int cols) const;
  QVector<PlotSeries> entries_;  // name, kind and colour of each entry (no points)
  QVector<double> widths_;
  QFont font_;
  double lineWidth_;
  double rowHeight_, swatch_;
};

}  // namespace qid::ui
