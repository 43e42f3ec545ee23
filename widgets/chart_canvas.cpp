#include "chart_canvas.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QGuiApplication>
#include <QGraphicsTextItem>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>
#include <cmath>

#include "extrapolation_handle.h"
#include "heat_map_item.h"
#include "legend_painter.h"

namespace qid::ui {

namespace {

// Fonts are sized in pixels of the 96-ppi layout, so that painting the scene
// on a device with another resolution (PNG at 600 DPI, PDF) keeps the
// proportions of the layout.
QFont layoutFont(double pointSize) {
  QFont f;
  f.setPixelSize(std::max(6, int(std::lround(pointSize * 96.0 / 72.0))));
  return f;
}

QAbstractAxis* makeAxis(bool log, double lo, double hi, const QString& title, double fontPt) {
  const QFont labelFont = layoutFont(fontPt * 0.9);
  const QFont titleFont = layoutFont(fontPt);
  QAbstractAxis* axis = nullptr;
  if (log) {
    auto* a = new QLogValueAxis;
    a->setBase(10);
    a->setLabelFormat(QStringLiteral("%.0e"));
    a->setMinorTickCount(-1);
    // A hair wider than whole decades, so the end decades get their labels
    // (10^k computed in floating point may land just inside the range).
    a->setRange(lo * (1 - 1e-9), hi * (1 + 1e-9));
    axis = a;
  } else {
    auto* a = new QValueAxis;
    a->setRange(lo, hi);
    a->setLabelFormat(QStringLiteral("%g"));
    a->applyNiceNumbers();
    // Ticks anchored at 0: counted up from the axis minimum, a tick meant to
    // be 0 came out as 8.7e-19 on axes that cross zero.
    if (a->tickCount() > 1) {
      a->setTickType(QValueAxis::TicksDynamic);
      a->setTickAnchor(0.0);
      a->setTickInterval((a->max() - a->min()) / (a->tickCount() - 1));
    }
    axis = a;
  }
  axis->setTitleText(title);
  axis->setTitleFont(titleFont);
  axis->setLabelsFont(labelFont);
  axis->setGridLineColor(QColor(225, 225, 225));
  // Solid minor grid lines: dashed ones cost more to draw than the data.
  axis->setMinorGridLinePen(QPen(QColor(240, 240, 240), 1, Qt::SolidLine));
  return axis;
}

QList<QPointF> toList(const QVector<QPointF>& v) { return QList<QPointF>(v.begin(), v.end()); }

// A linear x axis labelled only at the given positions (checkpoints, ...).
QAbstractAxis* makeTickAxis(const QVector<AxisTick>& ticks, double lo, double hi, const QString& title, double fontPt) {
  auto* a = new QCategoryAxis;
  a->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
  a->setRange(lo, hi);
  a->setStartValue(lo);
  for (const AxisTick& t : ticks) a->append(t.label, t.x);
  a->setTitleText(title);
  a->setTitleFont(layoutFont(fontPt));
  a->setLabelsFont(layoutFont(fontPt * 0.9));
  a->setGridLineColor(QColor(225, 225, 225));
  return a;
}

// The whiskers, the box outline and the median of one box as one polyline
// (segments drawn twice are invisible).
QList<QPointF> boxOutline(const PlotBox& b) {
  const double l = b.x - b.halfWidth, r = b.x + b.halfWidth;
  return {{b.x, b.whiskerLow}, {b.x, b.q1}, {l, b.q1}, {l, b.q3}, {r, b.q3}, {r, b.q1}, {l, b.q1},
          {l, b.median}, {r, b.median}, {r, b.q3}, {b.x, b.q3}, {b.x, b.whiskerHigh}};
}

}  // namespace

ChartCanvas::ChartCanvas(QWidget* parent) : QChartView(new QChart, parent) {
  setRenderHint(QPainter::Antialiasing);
  setOptimizationFlags(QGraphicsView::DontSavePainterState | QGraphicsView::DontAdjustForAntialiasing);
  chart()->setBackgroundRoundness(0);
  chart()->setMargins(QMargins(6, 6, 6, 6));
  chart()->legend()->setAlignment(Qt::AlignRight);
  auto toValue = [this](double px) {
    if (chart()->series().isEmpty()) return 0.0;
    return chart()->mapToValue(QPointF(px, chart()->plotArea().center().y()), chart()->series().first()).x();
  };
  auto toPixel = [this](double v) { return valueToPixelX(v); };
  handle_ = new ExtrapolationHandle(toValue, toPixel);
  scene()->addItem(handle_);
  handle_->hide();
  readings_ = new QGraphicsTextItem;
  readings_->setZValue(90);
  scene()->addItem(readings_);
  readings_->hide();
  message_ = new QGraphicsTextItem;
  message_->setZValue(95);
  scene()->addItem(message_);
  message_->hide();
  // While the handle is dragged the chart paints without antialiasing (about
  // a third cheaper per frame); the release repaints it smooth.
  connect(handle_, &ExtrapolationHandle::dragStarted, this, [this] { setRenderHint(QPainter::Antialiasing, false); });
  connect(handle_, &ExtrapolationHandle::dragFinished, this, [this] {
    setRenderHint(QPainter::Antialiasing, true);
    viewport()->update();
  });
  connect(handle_, &ExtrapolationHandle::dragStarted, this, &ChartCanvas::handleDragStarted);
  connect(handle_, &ExtrapolationHandle::dragged, this, &ChartCanvas::handleDragged);
  connect(handle_, &ExtrapolationHandle::dragFinished, this, &ChartCanvas::handleDragFinished);
  connect(chart(), &QChart::plotAreaChanged, this, [this] { layoutOverlay(); });
}

double ChartCanvas::valueToPixelX(double x) const {
  if (chart()->series().isEmpty()) return 0;
  const double y = spec_.logY ? std::max(spec_.yMin, 1e-300) : spec_.yMin;
  return chart()->mapToPosition(QPointF(x, y), chart()->series().first()).x() + chart()->pos().x();
}

void ChartCanvas::setBaseFont(double pointSize, double lineWidth) {
  fontPt_ = pointSize;
  lineWidth_ = lineWidth;
  rebuild();
}

void ChartCanvas::setLegendAlignment(Qt::Alignment a) {
  legendAlignment_ = a;
  chart()->legend()->setAlignment(a);
}

void ChartCanvas::setDarkTheme(bool dark) {
  chart()->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
  chart()->setBackgroundRoundness(0);
  rebuild();  // the series keep their own colours
}

void ChartCanvas::setInteractive(bool on) {
  interactive_ = on;
  layoutOverlay();
}

bool ChartCanvas::sameStructure(const PlotSpec& a, const PlotSpec& b) const {
  if (a.series.size() != b.series.size() || a.name != b.name || a.xMin != b.xMin || a.xMax != b.xMax ||
      a.yMin != b.yMin || a.yMax != b.yMax || a.logX != b.logX || a.logY != b.logY ||
      a.xLabel != b.xLabel || a.yLabel != b.yLabel || a.title != b.title ||
      a.heatMap.has_value() != b.heatMap.has_value() || a.boxes != b.boxes || a.xTicks != b.xTicks ||
      a.emptyMessage != b.emptyMessage)
    return false;
  for (int i = 0; i < a.series.size(); ++i) {
    const auto& x = a.series[i];
    const auto& y = b.series[i];
    if (x.kind != y.kind || x.name != y.name || x.color != y.color || x.inLegend != y.inLegend) return false;
  }
  return true;
}

void ChartCanvas::setSpec(const PlotSpec& spec) {
  const bool fast = !chart()->series().isEmpty() && sameStructure(spec_, spec);
  spec_ = spec;
  if (fast) {
    updateValues();
  } else {
    rebuild();
  }
}

void ChartCanvas::rebuild() {
  QChart* c = chart();
  c->removeAllSeries();
  selection_ = nullptr;
  for (QAbstractAxis* a : c->axes()) {
    c->removeAxis(a);
    delete a;
  }
  QFont titleFont = layoutFont(fontPt_ * 1.1);
  titleFont.setBold(true);
  c->setTitleFont(titleFont);
  c->setTitle(spec_.title);
  c->legend()->setFont(layoutFont(fontPt_ * 0.85));
  QAbstractAxis* ax = spec_.xTicks.isEmpty() ? makeAxis(spec_.logX, spec_.xMin, spec_.xMax, spec_.xLabel, fontPt_)
                                              : makeTickAxis(spec_.xTicks, spec_.xMin, spec_.xMax, spec_.xLabel, fontPt_);
  QAbstractAxis* ay = makeAxis(spec_.logY, spec_.yMin, spec_.yMax, spec_.yLabel, fontPt_);
  c->addAxis(ax, Qt::AlignBottom);
  c->addAxis(ay, Qt::AlignLeft);

  for (const PlotSeries& s : spec_.series) {
    QAbstractSeries* added = nullptr;
    switch (s.kind) {
      case PlotSeries::Kind::Line:
      case PlotSeries::Kind::Dashed:
      case PlotSeries::Kind::Dotted: {
        auto* ls = new QLineSeries;
        const Qt::PenStyle style = s.kind == PlotSeries::Kind::Dashed  ? Qt::DashLine
                                   : s.kind == PlotSeries::Kind::Dotted ? Qt::DotLine
                                                                        : Qt::SolidLine;
        QPen pen(s.color, s.kind == PlotSeries::Kind::Dotted ? lineWidth_ * 0.75 : lineWidth_, style);
        pen.setCapStyle(Qt::FlatCap);
        ls->setPen(pen);
        ls->replace(toList(s.points));
        added = ls;
        break;
      }
      case PlotSeries::Kind::Scatter: {
        auto* ss = new QScatterSeries;
        ss->setMarkerSize(std::max(5.0, fontPt_ * 0.75));
        ss->setColor(s.color);
        ss->setBorderColor(s.color.darker(140));
        ss->replace(toList(s.points));
        if (!s.ids.isEmpty()) {
          connect(ss, &QScatterSeries::clicked, this, [this, ss](const QPointF& at) {
            // The series' nearest point in pixels is the one clicked; read
            // the spec now, as the fast path may have moved the points.
            const qsizetype idx = chart()->series().indexOf(ss);
            if (idx < 0 || idx >= spec_.series.size()) return;
            const PlotSeries& ps = spec_.series[idx];
            int best = -1;
            double bestD = 1e300;
            const QPointF atPx = chart()->mapToPosition(at, ss);
            for (int i = 0; i < ps.points.size() && i < ps.ids.size(); ++i) {
              const QPointF d = chart()->mapToPosition(ps.points[i], ss) - atPx;
              const double dd = d.x() * d.x() + d.y() * d.y();
              if (dd < bestD) {
                bestD = dd;
                best = i;
              }
            }
            if (best >= 0)
              emit pointClicked(ps.ids[best], QGuiApplication::keyboardModifiers().testFlag(Qt::ControlModifier));
          });
        }
        added = ss;
        break;
      }
      case PlotSeries::Kind::Band:
      case PlotSeries::Kind::Interval: {
        auto* lower = new QLineSeries;
        auto* upper = new QLineSeries;
        lower->replace(toList(s.points));
        if (s.kind == PlotSeries::Kind::Interval) {
          upper->replace(toList(s.upper));
        } else {
          for (const QPointF& p : s.points) upper->append(p.x(), spec_.yMax * 10);
        }
        auto* area = new QAreaSeries(upper, lower);
        area->setColor(s.color);
        area->setBorderColor(s.kind == PlotSeries::Kind::Interval ? Qt::transparent : s.color.darker(115));
        added = area;
        break;
      }
    }
    added->setName(s.name);
    c->addSeries(added);
    added->attachAxis(ax);
    added->attachAxis(ay);
    for (QLegendMarker* m : c->legend()->markers(added)) m->setVisible(s.inLegend);
  }
  QSet<QString> boxGroups;
  for (PlotBox b : spec_.boxes) {
    // A log axis cannot show 0 (a weight already on the grid moves by 0): such
    // values are drawn at the bottom of the plot.
    if (spec_.logY)
      for (double* v : {&b.whiskerLow, &b.q1, &b.median, &b.q3, &b.whiskerHigh}) *v = std::max(*v, spec_.yMin);
    auto* lower = new QLineSeries;
    auto* upper = new QLineSeries;
    lower->append(b.x - b.halfWidth, b.q1);
    lower->append(b.x + b.halfWidth, b.q1);
    upper->append(b.x - b.halfWidth, b.q3);
    upper->append(b.x + b.halfWidth, b.q3);
    auto* fill = new QAreaSeries(upper, lower);
    QColor fillColor = b.color;
    fillColor.setAlpha(110);
    fill->setColor(fillColor);
    fill->setBorderColor(Qt::transparent);
    fill->setName(b.group);
    auto* outline = new QLineSeries;
    outline->setPen(QPen(b.color.darker(130), std::max(1.0, lineWidth_ * 0.6)));
    outline->replace(boxOutline(b));
    for (QAbstractSeries* part : {static_cast<QAbstractSeries*>(fill), static_cast<QAbstractSeries*>(outline)}) {
      c->addSeries(part);
      part->attachAxis(ax);
      part->attachAxis(ay);
    }
    const bool first = !boxGroups.contains(b.group);
    boxGroups.insert(b.group);
    for (QLegendMarker* m : c->legend()->markers(fill)) m->setVisible(first);
    for (QLegendMarker* m : c->legend()->markers(outline)) m->setVisible(false);
  }
  if (spec_.heatMap) {
    if (!heat_) {
      heat_ = new HeatMapItem(c);
      heat_->setParentItem(c);
    }
    heat_->setMap(*spec_.heatMap, fontPt_ * 96.0 / 72.0);
    heat_->show();
    c->legend()->setAlignment(Qt::AlignBottom);  // the colour bar takes the right side
    c->setMargins(QMargins(6, 6, 6 + int(HeatMapItem::kBarSpace * fontPt_ / 10), 6));
  } else {
    if (heat_) heat_->hide();
    c->legend()->setAlignment(legendAlignment_);
    c->setMargins(QMargins(6, 6, 6, 6));
  }
  selection_ = new QScatterSeries;
  selection_->setName(tr("Selected"));
  selection_->setMarkerSize(std::max(9.0, fontPt_ * 1.3));
  selection_->setColor(Qt::transparent);
  selection_->setBorderColor(QColor(255, 120, 0));
  QPen selPen(QColor(255, 120, 0), 2.5);
  selection_->setPen(selPen);
  c->addSeries(selection_);
  selection_->attachAxis(ax);
  selection_->attachAxis(ay);
  for (QLegendMarker* m : c->legend()->markers(selection_)) m->setVisible(false);
  updateHighlight();
  layoutOverlay();
}

void ChartCanvas::updateValues() {
  const auto all = chart()->series();
  for (int i = 0; i < spec_.series.size() && i < all.size(); ++i) {
    const PlotSeries& s = spec_.series[i];
    if (s.kind == PlotSeries::Kind::Band || s.kind == PlotSeries::Kind::Interval) {
      auto* area = static_cast<QAreaSeries*>(all[i]);
      area->lowerSeries()->replace(toList(s.points));
      if (s.kind == PlotSeries::Kind::Interval) area->upperSeries()->replace(toList(s.upper));
      continue;
    }
    auto* xy = static_cast<QXYSeries*>(all[i]);
    if (xy->count() == s.points.size() && xy->points() == toList(s.points)) continue;
    xy->replace(toList(s.points));
  }
  if (heat_ && spec_.heatMap) heat_->setMap(*spec_.heatMap, fontPt_ * 96.0 / 72.0);
  updateHighlight();
  layoutOverlay();
}

void ChartCanvas::setHighlighted(const QSet<qint64>& ids) {
  highlighted_ = ids;
  updateHighlight();
}

void ChartCanvas::updateHighlight() {
  if (!selection_) return;
  QList<QPointF> pts;
  if (!highlighted_.isEmpty()) {
    for (const PlotSeries& s : spec_.series) {
      for (int i = 0; i < s.ids.size() && i < s.points.size(); ++i)
        if (highlighted_.contains(s.ids[i])) pts.append(s.points[i]);
    }
  }
  selection_->replace(pts);
}

void ChartCanvas::layoutOverlay() {
  if (heat_ && heat_->isVisible()) heat_->relayout();
  message_->setVisible(!spec_.emptyMessage.isEmpty());
  if (!spec_.emptyMessage.isEmpty()) {
    const QRectF plot = chart()->plotArea().translated(chart()->pos());
    message_->setFont(layoutFont(fontPt_ * 1.2));
    message_->setDefaultTextColor(QColor(90, 90, 90));
    message_->setTextWidth(std::max(120.0, plot.width() * 0.8));
    message_->setHtml(QStringLiteral("<div align='center'>%1</div>").arg(spec_.emptyMessage.toHtmlEscaped()));
    const QRectF box = message_->boundingRect();
    message_->setPos(plot.center().x() - box.width() / 2, plot.center().y() - box.height() / 2);
  }
  const bool show = interactive_ && spec_.handleX.has_value() && !chart()->series().isEmpty();
  handle_->setVisible(show);
  readings_->setVisible(show && !spec_.readings.isEmpty());
  if (!show) return;
  const QRectF area = chart()->plotArea().translated(chart()->pos());
  handle_->setSpan(area.top(), area.bottom());
  handle_->setRange(spec_.handleMin, spec_.handleMax);
  handle_->setValue(*spec_.handleX);

  QString html = QStringLiteral("<table bgcolor='#ffffff' cellspacing='0' cellpadding='1' style='font-size:%1px'>")
                     .arg(std::lround(fontPt_ * 0.85 * 96.0 / 72.0));
  html += tr("<tr><td colspan='3'><b>D = %1 tokens</b></td></tr>").arg(*spec_.handleX, 0, 'e', 2);
  html += tr("<tr><td></td><td>ΔqLoss</td><td>Loss_q</td></tr>");
  for (const HandleReading& r : spec_.readings) {
    const QString lq = r.lossQ ? QString::number(*r.lossQ, 'f', 3) : QStringLiteral("–");
    html += QStringLiteral("<tr><td><span style='color:%1'>&#9632;</span> %2</td><td align='right'>%3</td>"
                           "<td align='right'>%4%5</td></tr>")
                .arg(r.color.name(), r.curve.toHtmlEscaped(), QString::number(r.y, 'g', 4), lq,
                     r.worseThanRandom ? QStringLiteral(" <span style='color:#b00'>&#10007;</span>") : QString());
  }
  html += QStringLiteral("</table>");
  readings_->setHtml(html);
  const QRectF box = readings_->boundingRect();
  double x = handle_->pos().x() + 10;
  if (x + box.width() > area.right()) x = handle_->pos().x() - 10 - box.width();
  readings_->setPos(x, area.top() + 4);
  readings_->setDefaultTextColor(Qt::black);
}

void ChartCanvas::resizeEvent(QResizeEvent* e) {
  QChartView::resizeEvent(e);
  layoutOverlay();
}

QString ChartCanvas::shownMessage() const { return message_->isVisible() ? message_->toPlainText() : QString(); }

QFont ChartCanvas::legendFont() const { return layoutFont(fontPt_ * 0.85); }

void ChartCanvas::setPaintedLegend(bool on) {
  paintedLegend_ = on;
  chart()->legend()->setVisible(!on);
}

double ChartCanvas::paintedLegendHeight(double width) const {
  return paintedLegend_ ? LegendPainter(spec_, legendFont(), lineWidth_).heightFor(width) : 0;
}

void ChartCanvas::exportPaint(QPainter* painter, const QRectF& target) {
  const bool wasInteractive = interactive_;
  const QSet<qint64> selected = highlighted_;
  setInteractive(false);
  setHighlighted({});
  painter->setRenderHint(QPainter::Antialiasing);
  const QRectF source(chart()->pos(), chart()->size());
  if (!paintedLegend_) {
    scene()->render(painter, target, source, Qt::KeepAspectRatio);
  } else {
    // The chart on top, the multi-column legend below, both in layout pixels
    // scaled to the device.
    const double scale = target.width() / source.width();
    scene()->render(painter, QRectF(target.topLeft(), source.size() * scale), source, Qt::KeepAspectRatio);
    const LegendPainter legend(spec_, legendFont(), lineWidth_);
    painter->save();
    painter->translate(target.left(), target.top() + source.height() * scale);
    painter->scale(scale, scale);
    legend.paint(painter, QRectF(8, 0, source.width() - 16, legend.heightFor(source.width() - 16)));
    painter->restore();
  }
  setHighlighted(selected);
  setInteractive(wasInteractive);
}

}  // namespace qid::ui
