// qidlab-plot: scripted paper figures, rendered offscreen through qidwidgets.
// qidlab-cli (which links no Qt) runs this program for `qidlab-cli plot`.
#include <QApplication>
#include <QStringList>

#include "plot_command.h"
#include "widget_resources.h"

int main(int argc, char** argv) {
  // No display needed: render on the offscreen platform unless told otherwise.
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  // Qt would take options such as --style for itself: it sees only the
  // program name, and the arguments go to the plot command untouched.
  QStringList args;
  for (int i = 0; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);
  int qtArgc = 1;
  QApplication app(qtArgc, argv);
  qid::ui::initResources();
  QApplication::setApplicationName(QStringLiteral("qidlab-plot"));
  QApplication::setApplicationVersion(QStringLiteral(QIDLAB_VERSION));
  return qid::ui::runPlotCommand(args);
}
