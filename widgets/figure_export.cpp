#include "figure_export.h"

#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>

#include "chart_canvas.h"
#include "common/error.h"

namespace qid::ui {

namespace {
// The scene is laid out at this many pixels per inch; every device then
// scales it to its own resolution (vector all the way for SVG and PDF).
constexpr double kLayoutDpi = 96;

[[noreturn]] void fail(const QString& path, const QString& what) {
  throw qid::Error(QStringLiteral("cannot write %1: %2").arg(path, what).toStdString());
}
}  // namespace

QStringList exportStyleNames() {
  return {QStringLiteral("single"), QStringLiteral("double"), QStringLiteral("screen")};
}

ExportStyle exportStyle(const QString& name) {
  if (name == QLatin1String("double")) return {QStringLiteral("double"), 7.0, 3.8, 9, 1.5, true};
  if (name == QLatin1String("screen")) return {QStringLiteral("screen"), 10.0, 6.25, 11, 2.0, false};
  return {QStringLiteral("single"), 3.5, 3.6, 7, 1.1, true};
}

ExportFormat exportFormatFor(const QString& path) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix == QLatin1String("png")) return ExportFormat::Png;
  if (suffix == QLatin1String("svg")) return ExportFormat::Svg;
  if (suffix == QLatin1String("pdf")) return ExportFormat::Pdf;
  fail(path, QStringLiteral("unknown figure format '.%1' (use .png, .svg or .pdf)").arg(suffix));
}

void exportFigure(const PlotSpec& spec, const ExportStyle& style, const QString& path, int dpi) {
  const ExportFormat format = exportFormatFor(path);
  if (dpi < 36 || dpi > 2400) fail(path, QStringLiteral("DPI %1 is out of range 36..2400").arg(dpi));
  const QSizeF layoutPx(style.widthIn * kLayoutDpi, style.heightIn * kLayoutDpi);

  ChartCanvas canvas;
  canvas.setInteractive(false);
  canvas.setLegendAlignment(style.legendBelow ? Qt::AlignBottom : Qt::AlignRight);
  // Font sizes and line widths are points at the figure's physical size.
  canvas.setBaseFont(style.fontPt, style.lineWidth * kLayoutDpi / 72.0);
  canvas.setSpec(spec);
  canvas.setPaintedLegend(style.legendBelow);
  canvas.resize(layoutPx.toSize());
  canvas.scene()->setSceneRect(QRectF(QPointF(0, 0), layoutPx));
  // The chart leaves room at the bottom for the painted legend.
  const double legendPx = std::min(canvas.paintedLegendHeight(layoutPx.width() - 16), layoutPx.height() * 0.45);
  canvas.chart()->resize(QSizeF(layoutPx.width(), layoutPx.height() - legendPx));

  switch (format) {
    case ExportFormat::Png: {
      QImage image(qRound(style.widthIn * dpi), qRound(style.heightIn * dpi), QImage::Format_ARGB32);
      image.setDotsPerMeterX(qRound(dpi / 0.0254));
      image.setDotsPerMeterY(qRound(dpi / 0.0254));
      image.fill(Qt::white);
      {
        QPainter p(&image);
        canvas.exportPaint(&p, QRectF(QPointF(0, 0), QSizeF(image.size())));
      }
      if (!image.save(path, "PNG")) fail(path, QStringLiteral("the PNG writer failed"));
      break;
    }
    case ExportFormat::Svg: {
      QSvgGenerator svg;
      svg.setFileName(path);
      svg.setResolution(int(kLayoutDpi));
      svg.setSize(layoutPx.toSize());
      svg.setViewBox(QRectF(QPointF(0, 0), layoutPx));
      svg.setTitle(spec.title);
      svg.setDescription(QStringLiteral("QiD Lab figure"));
      QPainter p;
      if (!p.begin(&svg)) fail(path, QStringLiteral("the SVG writer could not open the file"));
      canvas.exportPaint(&p, QRectF(QPointF(0, 0), layoutPx));
      p.end();
      break;
    }
    case ExportFormat::Pdf: {
      QPdfWriter pdf(path);
      pdf.setResolution(dpi);
      pdf.setPageSize(QPageSize(QSizeF(style.widthIn, style.heightIn), QPageSize::Inch, QString(),
                                QPageSize::ExactMatch));
      pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
      pdf.setTitle(spec.title);
      pdf.setCreator(QStringLiteral("QiD Lab"));
      QPainter p;
      if (!p.begin(&pdf)) fail(path, QStringLiteral("the PDF writer could not open the file"));
      canvas.exportPaint(&p, QRectF(0, 0, pdf.width(), pdf.height()));
      p.end();
      break;
    }
  }
  if (!QFileInfo::exists(path)) fail(path, QStringLiteral("nothing was written"));
}

}  // namespace qid::ui
