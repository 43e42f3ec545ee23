#include "legend_painter.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStringList>
#include <cmath>

namespace qid::ui {

LegendPainter::LegendPainter(const PlotSpec& spec, const QFont& font, double lineWidth)
    : font_(font), lineWidth_(lineWidth) {
  const QFontMetricsF fm(font_);
  rowHeight_ = fm.height() * 1.15;
  swatch_ = fm.height() * 1.6;
  auto add = [&](const QString& name, PlotSeries::Kind kind, const QColor& color) {
    entries_.push_back({name, kind, color, {}, {}, {}, true});
    widths_.push_back(swatch_ + fm.height() * 0.5 + fm.horizontalAdvance(name) + fm.height());
  };
  for (const PlotSeries& s : spec.series)
    if (s.inLegend && !s.name.isEmpty()) add(s.name, s.kind, s.color);
  // One entry per group of boxes, drawn as a filled swatch.
  QStringList groups;
  for (const PlotBox& b : spec.boxes) {
    if (b.group.isEmpty() || groups.contains(b.group)) continue;
    groups << b.group;
    QColor c = b.color;
    c.setAlpha(110);
    add(b.group, PlotSeries::Kind::Interval, c);
  }
}

QVector<double> LegendPainter::columnWidths(int cols) const {
  const int rows = int(std::ceil(double(entries_.size()) / cols));
  QVector<double> w(cols, 0.0);
  for (int i = 0; i < entries_.size(); ++i) w[i / rows] = std::max(w[i / rows], widths_[i]);
  return w;
}

int LegendPainter::columnsFor(double width) const {
  for (int cols = int(entries_.size()); cols > 1; --cols) {
    double total = 0;
    for (double w : columnWidths(cols)) total += w;
    if (total <= width) return cols;
  }
  return 1;
}

double LegendPainter::heightFor(double width) const {
  if (entries_.isEmpty()) return 0;
  const int rows = int(std::ceil(double(entries_.size()) / columnsFor(width)));
  return rows * rowHeight_ + rowHeight_ * 0.3;
}

void LegendPainter::paint(QPainter* p, const QRectF& area) const {
  if (entries_.isEmpty()) return;
  const int cols = columnsFor(area.width());
  const QVector<double> widths = columnWidths(cols);
  double used = 0;
  for (double w : widths) used += w;
  const double spare = cols > 1 ? std::max(0.0, (area.width() - used) / cols) : 0;
  QVector<double> left(cols, area.left());
  for (int c = 1; c < cols; ++c) left[c] = left[c - 1] + widths[c - 1] + spare;
  const int rows = int(std::ceil(double(entries_.size()) / cols));
  p->save();
  p->setFont(font_);
  const QFontMetricsF fm(font_);
  for (int i = 0; i < entries_.size(); ++i) {
    const PlotSeries& s = entries_[i];
    const int col = i / rows, row = i % rows;  // fill column by column, like a paper's legend
    const double x = left[col], y = area.top() + row * rowHeight_;
    const double colWidth = cols > 1 ? widths[col] + spare : area.width();
    const double mid = y + rowHeight_ / 2;
    const QRectF sw(x, mid - fm.height() * 0.35, swatch_, fm.height() * 0.7);
    switch (s.kind) {
      case PlotSeries::Kind::Line:
      case PlotSeries::Kind::Dashed:
      case PlotSeries::Kind::Dotted: {
        QPen pen(s.color, s.kind == PlotSeries::Kind::Dotted ? lineWidth_ * 0.75 : lineWidth_,
                 s.kind == PlotSeries::Kind::Dashed ? Qt::DashLine : s.kind == PlotSeries::Kind::Dotted ? Qt::DotLine : Qt::SolidLine);
        pen.setCapStyle(Qt::FlatCap);
        p->setPen(pen);
        p->drawLine(QPointF(sw.left(), mid), QPointF(sw.right(), mid));
        break;
      }
      case PlotSeries::Kind::Scatter:
        p->setPen(QPen(s.color.darker(140), 0.8));
        p->setBrush(s.color);
        p->drawEllipse(QPointF(sw.center().x(), mid), fm.height() * 0.28, fm.height() * 0.28);
        break;
      case PlotSeries::Kind::Band:
      case PlotSeries::Kind::Interval: {
        QColor c = s.color;
        c.setAlpha(std::max(c.alpha(), 90));
        p->setPen(QPen(s.color.darker(130), 0.6));
        p->setBrush(c);
        p->drawRect(sw);
        break;
      }
    }
    p->setPen(Qt::black);
    p->setBrush(Qt::NoBrush);
    const QRectF text(sw.right() + fm.height() * 0.5, y, colWidth - swatch_ - fm.height() * 0.8, rowHeight_);
    p->drawText(text, Qt::AlignVCenter | Qt::AlignLeft, fm.elidedText(s.name, Qt::ElideRight, text.width()));
  }
  p->restore();
}

}  // namespace qid::ui
