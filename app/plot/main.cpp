// qidlab-plot: scripted paper figures, rendered offscreen through qidwidgets.
// qidlab-cli (which links no Qt) runs this program for `qidlab-cli plot`.
#include <QApplication>

#include "plot_command.h"
#include "widget_resources.h"

int main(int argc, char** argv) {
  // No display needed: render on the offscreen platform unless told otherwise.
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  qid::ui::initResources();
  QApplication::setApplicationName(QStringLiteral("qidlab-plot"));
  QApplication::setApplicationVersion(QStringLiteral(QIDLAB_VERSION));
  return qid::ui::runPlotCommand(QApplication::arguments());
}
