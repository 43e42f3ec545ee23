#pragma once
// The draggable vertical line on a chart: where the extrapolation ends. It
// knows only pixels and a value range; the chart maps between the two.
#include <QGraphicsObject>
#include <functional>

namespace qid::ui {

class ExtrapolationHandle : public QGraphicsObject {
  Q_OBJECT
 public:
  // toValue/toPixel map scene x to the axis value and back.
  ExtrapolationHandle(std::function<double(double)> toValue, std::function<double(double)> toPixel,
                      QGraphicsItem* parent = nullptr);

  void setRange(double minValue, double maxValue);
  void setValue(double v);  // no signal: for model → view updates
  double value() const { return value_; }
  void setSpan(double top, double bottom);  // plot area in scene y
  void relayout();                          // after the plot area moved

  QRectF boundingRect() const override;
  void paint(QPainter* p, const QStyleOptionGraphicsItem* opt, QWidget* w) override;

 signals:
  void dragStarted();
  void dragged(double value);
  void dragFinished();

 protected:
  void mousePressEvent(QGraphicsSceneMouseEvent* e) override;
  void mouseMoveEvent(QGraphicsSceneMouseEvent* e) override;
  void mouseReleaseEvent(QGraphicsSceneMouseEvent* e) override;
  void hoverEnterEvent(QGraphicsSceneHoverEvent* e) override;
  void hoverLeaveEvent(QGraphicsSceneHoverEvent* e) override;

 private:
  std::function<double(double)> toValue_, toPixel_;
  double min_ = 1, max_ = 1e14, value_ = 1e12;
  double top_ = 0, bottom_ = 100;
  bool hover_ = false;
};

}  // namespace qid::ui
