#pragma once
// Draws a PlotSpec's HeatMap inside a chart's plot area (cells between the
// geometric midpoints of their centres) and its colour bar to the right.
// It maps values through the chart, so it follows the axes on resize.
#include <QGraphicsItem>
#include <functional>

#include "plot_spec.h"

class QChart;

namespace qid::ui {

// The colour of t in [0, 1]: dark blue, teal, green, yellow (low to high).
QColor heatColor(double t);

class HeatMapItem : public QGraphicsItem {
 public:
  explicit HeatMapItem(QChart* chart);
  void setMap(const HeatMap& map, double fontPx);
  void relayout();  // after the plot area changed
  QRectF boundingRect() const override;
  void paint(QPainter* p, const QStyleOptionGraphicsItem* opt, QWidget* w) override;
  static constexpr double kBarSpace = 86;  // px the colour bar needs right of the plot

 private:
  double fraction(double v) const;
  QChart* chart_;
  HeatMap map_;
  double fontPx_ = 12;
  QRectF area_;
};

}  // namespace qid::ui
