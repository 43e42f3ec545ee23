#pragma once
// Paper figures: one paint routine (ChartCanvas::exportPaint), three devices.
// No dialogs here; the caller picks the path. Errors throw qid::Error.
#include <QString>
#include <QStringList>

#include "plot_spec.h"

namespace qid::ui {

struct ExportStyle {
  QString name;            // "single", "double", "screen"
  double widthIn = 3.5;    // figure width, inches
  double heightIn = 2.6;
  double fontPt = 8;       // base font size at the figure's physical size
  double lineWidth = 1.2;  // in points
  bool legendBelow = true;
};

ExportStyle exportStyle(const QString& name);  // unknown names give "single"
QStringList exportStyleNames();

enum class ExportFormat { Png, Svg, Pdf };
// From the file suffix (.png, .svg, .pdf); throws qid::Error otherwise.
ExportFormat exportFormatFor(const QString& path);

// Renders spec offscreen at the style's physical size and writes it. dpi is
// used for PNG (pixels) and PDF (internal resolution).
void exportFigure(const PlotSpec& spec, const ExportStyle& style, const QString& path, int dpi = 300);

}  // namespace qid::ui
