#pragma once
// A QChartView that draws one PlotSpec: log axes, lines, dashed
// extrapolations, scatter points, the grey band, the draggable handle with
// its readings, and highlighted (selected) points. exportPaint() is the one
// paint routine every export device goes through.
#include <QChartView>
#include <QSet>

#include "plot_spec.h"

class QGraphicsTextItem;
class QScatterSeries;

namespace qid::ui {

class ExtrapolationHandle;
class HeatMapItem;

class ChartCanvas : public QChartView {
  Q_OBJECT
 public:
  explicit ChartCanvas(QWidget* parent = nullptr);

  // Rebuilds the chart, or updates the points in place when only the values
  // changed (the fast path a handle drag takes).
  void setSpec(const PlotSpec& spec);
  const PlotSpec& spec() const { return spec_; }

  void setHighlighted(const QSet<qint64>& ids);
  void setInteractive(bool on);  // handle and readings shown (off for offscreen exports)
  void setBaseFont(double pointSize, double lineWidth = 2.0);
  void setLegendAlignment(Qt::Alignment a);
  void setDarkTheme(bool dark);  // on screen only; exports stay light
  // The message shown over an empty chart (hidden when the spec has none).
  QString shownMessage() const;
  // Exports: Qt's legend off, exportPaint paints a multi-column one below.
  void setPaintedLegend(bool on);
  double paintedLegendHeight(double width) const;  // layout pixels
  QFont legendFont() const;
  ExtrapolationHandle* handle() const { return handle_; }
  double valueToPixelX(double x) const;

  // Paints the chart into target on any device. The handle, the readings box
  // and the selection are hidden meanwhile. It opens no dialog.
  void exportPaint(QPainter* painter, const QRectF& target);

 signals:
  void handleDragStarted();
  void handleDragged(double x);
  void handleDragFinished();
  // A measured point was clicked (add: Ctrl held, extend the selection).
  void pointClicked(qint64 id, bool add);

 protected:
  void resizeEvent(QResizeEvent* e) override;

 private:
  void rebuild();
  bool sameStructure(const PlotSpec& a, const PlotSpec& b) const;
  void updateValues();
  void layoutOverlay();
  void updateHighlight();

  PlotSpec spec_;
  QSet<qint64> highlighted_;
  ExtrapolationHandle* handle_ = nullptr;
  QGraphicsTextItem* readings_ = nullptr;
  QGraphicsTextItem* message_ = nullptr;  // the spec's emptyMessage, over the plot
  QScatterSeries* selection_ = nullptr;
  HeatMapItem* heat_ = nullptr;
  bool interactive_ = true;
  bool paintedLegend_ = false;
  Qt::Alignment legendAlignment_ = Qt::AlignRight;
  double fontPt_ = 10, lineWidth_ = 2.0;
};

}  // namespace qid::ui
