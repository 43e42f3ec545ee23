#include "extrapolation_handle.h"

#include <QCursor>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <algorithm>

namespace qid::ui {

namespace {
constexpr double kGrip = 7;  // half width of the grab zone, px
}

ExtrapolationHandle::ExtrapolationHandle(std::function<double(double)> toValue,
                                         std::function<double(double)> toPixel, QGraphicsItem* parent)
    : QGraphicsObject(parent), toValue_(std::move(toValue)), toPixel_(std::move(toPixel)) {
  setAcceptHoverEvents(true);
  setCursor(Qt::SizeHorCursor);
  setZValue(100);
  setToolTip(tr("Drag to move the extrapolation horizon"));
}

void ExtrapolationHandle::setRange(double minValue, double maxValue) {
  min_ = minValue;
  max_ = maxValue;
  setValue(value_);
}

void ExtrapolationHandle::setValue(double v) {
  value_ = std::clamp(v, min_, max_);
  relayout();
}

void ExtrapolationHandle::setSpan(double top, double bottom) {
  prepareGeometryChange();
  top_ = top;
  bottom_ = bottom;
  relayout();
}

void ExtrapolationHandle::relayout() { setPos(toPixel_(value_), 0); }

QRectF ExtrapolationHandle::boundingRect() const {
  return QRectF(-kGrip, top_ - 14, 2 * kGrip, bottom_ - top_ + 14);
}

void ExtrapolationHandle::paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) {
  p->setRenderHint(QPainter::Antialiasing);
  QColor c(40, 40, 40);
  p->setPen(QPen(c, hover_ ? 2.5 : 1.5));
  p->drawLine(QPointF(0, top_), QPointF(0, bottom_));
  // A grip triangle above the plot area.
  QPolygonF tri{QPointF(-kGrip, top_ - 12), QPointF(kGrip, top_ - 12), QPointF(0, top_)};
  p->setBrush(hover_ ? QColor(230, 120, 0) : c);
  p->setPen(Qt::NoPen);
  p->drawPolygon(tri);
}

void ExtrapolationHandle::mousePressEvent(QGraphicsSceneMouseEvent* e) {
  e->accept();
  emit dragStarted();
}

void ExtrapolationHandle::mouseMoveEvent(QGraphicsSceneMouseEvent* e) {
  const double v = std::clamp(toValue_(e->scenePos().x()), min_, max_);
  if (v == value_) return;
  value_ = v;
  relayout();
  emit dragged(v);
}

void ExtrapolationHandle::mouseReleaseEvent(QGraphicsSceneMouseEvent* e) {
  e->accept();
  emit dragFinished();
}

void ExtrapolationHandle::hoverEnterEvent(QGraphicsSceneHoverEvent*) {
  hover_ = true;
  update();
}

void ExtrapolationHandle::hoverLeaveEvent(QGraphicsSceneHoverEvent*) {
  hover_ = false;
  update();
}

}  // namespace qid::ui
