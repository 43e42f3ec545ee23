#include "heat_map_item.h"

#include <QChart>
#include <QPainter>
#include <cmath>

namespace qid::ui {

QColor heatColor(double t) {
  // Piecewise-linear through five anchors, dark to light (readable in grey too).
  static const QColor anchors[] = {QColor(40, 20, 90), QColor(40, 80, 150), QColor(30, 150, 140),
                                   QColor(120, 200, 80), QColor(250, 230, 60)};
  t = std::clamp(t, 0.0, 1.0) * 4;
  const int i = std::min(3, int(t));
  const double f = t - i;
  const QColor& a = anchors[i];
  const QColor& b = anchors[i + 1];
  return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * f), float(a.greenF() + (b.greenF() - a.greenF()) * f),
                          float(a.blueF() + (b.blueF() - a.blueF()) * f));
}

// Above the grid (z 2) and the axes' shades, below the axes (3) and series (4).
HeatMapItem::HeatMapItem(QChart* chart) : chart_(chart) { setZValue(2.5); }

void HeatMapItem::setMap(const HeatMap& map, double fontPx) {
  prepareGeometryChange();
  map_ = map;
  fontPx_ = fontPx;
  relayout();
}

void HeatMapItem::relayout() {
  prepareGeometryChange();
  area_ = chart_->plotArea();
  update();
}

QRectF HeatMapItem::boundingRect() const { return area_.adjusted(0, -fontPx_, kBarSpace, fontPx_); }

double HeatMapItem::fraction(double v) const {
  if (map_.logScale) {
    const double lo = std::log10(map_.vMin), hi = std::log10(map_.vMax);
    return hi > lo ? (std::log10(v) - lo) / (hi - lo) : 0.5;
  }
  return map_.vMax > map_.vMin ? (v - map_.vMin) / (map_.vMax - map_.vMin) : 0.5;
}

void HeatMapItem::paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) {
  const int nx = int(map_.xs.size()), ny = int(map_.ys.size());
  if (nx < 2 || ny < 2 || chart_->series().isEmpty() || map_.values.size() != qsizetype(nx) * ny) return;
  QAbstractSeries* ref = chart_->series().first();
  auto edge = [](const QVector<double>& c, int i) {  // boundary i between cells i-1 and i
    if (i <= 0) return c[0] * std::sqrt(c[0] / c[1]);
    if (i >= c.size()) return c.back() * std::sqrt(c.back() / c[c.size() - 2]);
    return std::sqrt(c[i - 1] * c[i]);
  };
  p->save();
  p->setClipRect(area_);
  p->setPen(Qt::NoPen);
  for (int iy = 0; iy < ny; ++iy) {
    const double y0 = edge(map_.ys, iy), y1 = edge(map_.ys, iy + 1);
    for (int ix = 0; ix < nx; ++ix) {
      const double v = map_.values[iy * nx + ix];
      if (!std::isfinite(v) || v <= 0) continue;
      const QPointF a = chart_->mapToPosition(QPointF(edge(map_.xs, ix), y0), ref);
      const QPointF b = chart_->mapToPosition(QPointF(edge(map_.xs, ix + 1), y1), ref);
      p->setBrush(heatColor(fraction(v)));
      p->drawRect(QRectF(a, b).normalized().adjusted(-0.3, -0.3, 0.3, 0.3));  // no hairline gaps
    }
  }
  p->restore();

  // The colour bar with decade labels and its title.
  const QRectF bar(area_.right() + 12, area_.top(), 12, area_.height());
  const int steps = 64;
  p->setPen(Qt::NoPen);
  for (int i = 0; i < steps; ++i) {
    p->setBrush(heatColor(1.0 - (i + 0.5) / steps));
    p->drawRect(QRectF(bar.left(), bar.top() + bar.height() * i / steps, bar.width(), bar.height() / steps + 0.5));
  }
  p->setPen(QPen(QColor(90, 90, 90), 0.8));
  p->setBrush(Qt::NoBrush);
  p->drawRect(bar);
  QFont f = p->font();
  f.setPixelSize(int(std::lround(fontPx_ * 0.85)));
  p->setFont(f);
  p->setPen(Qt::black);
  if (map_.logScale) {
    for (double dec = std::ceil(std::log10(map_.vMin) - 1e-9); dec <= std::log10(map_.vMax) + 1e-9; dec += 1) {
      const double y = bar.bottom() - bar.height() * fraction(std::pow(10.0, dec));
      p->drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 3, y));
      p->drawText(QPointF(bar.right() + 5, y + fontPx_ * 0.3), QStringLiteral("1e%1").arg(int(dec)));
    }
  }
  p->save();
  p->translate(bar.right() + fontPx_ * 4.2, bar.center().y());
  p->rotate(90);
  const QRectF titleBox(-bar.height() / 2, -fontPx_, bar.height(), fontPx_ * 1.4);
  p->drawText(titleBox, Qt::AlignCenter, map_.label);
  p->restore();
}

}  // namespace qid::ui
