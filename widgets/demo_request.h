#pragma once
// What the micro-suite demo runs: a suite preset of core's reproduce
// (study/reproduce.h) into an output folder, whose project the window opens.
#include <QDir>
#include <QString>
#include <QStringList>

namespace qid::ui {

struct DemoRequest {
  QString preset = QStringLiteral("tiny");  // tiny | quick | full-* (resources/suites)
  QString outDir;                           // OUT: suite/, study.qidlab, laws/, report.md
  QStringList corpusFiles;                  // training text; empty: the King James Bible
  int workers = 1;                          // CPU workers of the sweep
  QString plotter;                          // a qidlab-plot executable for OUT/charts; empty: none

  QString projectPath() const { return QDir(outDir).filePath(QStringLiteral("study.qidlab")); }
};

}  // namespace qid::ui
