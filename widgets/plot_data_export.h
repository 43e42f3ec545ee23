#pragma once
// The plotted data behind a figure: as CSV, and as a standalone matplotlib
// script that redraws the same figure. Errors throw qid::Error.
#include <QString>

#include "figure_export.h"
#include "plot_spec.h"

namespace qid::ui {

QString plotCsv(const PlotSpec& spec);
QString matplotlibScript(const PlotSpec& spec, const ExportStyle& style, const QString& figureName);

void writeTextFile(const QString& path, const QString& text);

}  // namespace qid::ui
