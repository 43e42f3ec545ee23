#pragma once
// qidlab-plot: renders one chart of a project offscreen into a paper figure,
// through the same builders and the one export routine the GUI uses.
//   qidlab-plot [--project P] --chart tokens|size|bits|lossq|map|predicted|fluctuation|fluctuation_ratio
//               [--law NAME] --out fig.pdf|svg|png [--extrapolate 1e14]
//               [--style single|double|screen] [--dpi N] [--json]
// Exit status: 0 written, 1 bad input or a failed write, 2 usage error.
#include <QStringList>

namespace qid::ui {

// args: the program name first, as QCoreApplication::arguments() gives.
int runPlotCommand(const QStringList& args);

}  // namespace qid::ui
