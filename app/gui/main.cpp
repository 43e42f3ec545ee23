// qidlab: the desktop GUI. A thin main over qidwidgets.
//   qidlab [PROJECT]
//   qidlab --screenshot FILE.png [--project P] [--chart NAME] [--lang CODE]
//   qidlab --bench-drag [--bench-bands]    prints the handle-drag frame time
#include <QApplication>
#include <QCommandLineParser>
#include <cstdio>

#include "app_settings.h"
#include "chart_builders.h"
#include "drag_bench.h"
#include "common/error.h"
#include "language.h"
#include "main_window.h"
#include "screenshot.h"
#include "widget_resources.h"

int main(int argc, char** argv) {
  // A screenshot needs no display: choose the offscreen platform before Qt starts.
  for (int i = 1; i < argc; ++i)
    if ((qstrcmp(argv[i], "--screenshot") == 0 || qstrcmp(argv[i], "--bench-drag") == 0) &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
      qputenv("QT_QPA_PLATFORM", "offscreen");

  QApplication app(argc, argv);
  qid::ui::initResources();
  QApplication::setOrganizationName(QStringLiteral("QiD Lab"));
  QApplication::setApplicationName(QStringLiteral("QiD Lab"));
  QApplication::setApplicationVersion(QStringLiteral(QIDLAB_VERSION));
  QGuiApplication::setDesktopFileName(QStringLiteral("io.github.qidlab.QiDLab"));  // Wayland app id = the desktop entry

  QCommandLineParser cli;
  cli.setApplicationDescription(QStringLiteral("QiD Lab: quantization-induced degradation workbench"));
  cli.addHelpOption();
  cli.addVersionOption();
  QCommandLineOption shot(QStringLiteral("screenshot"), QStringLiteral("Render the main window offscreen to FILE.png and exit."),
                          QStringLiteral("FILE.png"));
  QCommandLineOption project(QStringLiteral("project"), QStringLiteral("Project to open (a .qidlab file, or 'paper')."),
                             QStringLiteral("P"));
  QCommandLineOption chart(QStringLiteral("chart"),
                           QStringLiteral("Tab to show: %1, table.").arg(qid::ui::chartNames().join(QStringLiteral(", "))),
                           QStringLiteral("NAME"));
  QCommandLineOption benchDrag(QStringLiteral("bench-drag"),
                               QStringLiteral("Drag the handle over 1500 points and 12 curves offscreen, print the frame time, exit."));
  QCommandLineOption benchBands(QStringLiteral("bench-bands"), QStringLiteral("With --bench-drag: also draw bootstrap bands."));
  QCommandLineOption benchPoints(QStringLiteral("bench-points"), QStringLiteral("With --bench-drag: measured points (default 1500)."),
                                 QStringLiteral("N"), QStringLiteral("1500"));
  QCommandLineOption lang(QStringLiteral("lang"), QStringLiteral("UI language, e.g. zh_CN or en."), QStringLiteral("CODE"));
  QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size for --screenshot, e.g. 1400x860."),
                          QStringLiteral("WxH"));
  cli.addOptions({shot, project, chart, lang, size, benchDrag, benchBands, benchPoints});
  cli.addPositionalArgument(QStringLiteral("project"), QStringLiteral("Project to open."));
  cli.process(app);

  if (cli.isSet(benchDrag)) {
    const qid::ui::DragBenchResult r = qid::ui::runDragBench(cli.value(benchPoints).toInt(), 3, 4, 120, cli.isSet(benchBands));
    std::printf("%s\n", qPrintable(r.text()));
    return 0;
  }
  const bool screenshot = cli.isSet(shot);
  // Screenshots are reproducible: they ignore saved settings unless asked.
  const QString language = cli.isSet(lang) ? cli.value(lang) : screenshot ? QStringLiteral("en") : qid::ui::settings::language.get();
  qid::ui::installTranslators(app, language);

  qid::ui::MainWindow window;
  QString which = cli.isSet(project) ? cli.value(project) : QString();
  if (which.isEmpty() && !cli.positionalArguments().isEmpty()) which = cli.positionalArguments().first();
  if (which.isEmpty()) which = screenshot ? QStringLiteral("paper") : qid::ui::settings::lastProject.get();
  if (!window.openProject(which) && screenshot) {
    std::fprintf(stderr, "qidlab: error: cannot open project %s\n", qPrintable(which));
    return 1;
  }
  if (cli.isSet(chart) && !window.selectChart(cli.value(chart))) {
    std::fprintf(stderr, "qidlab: error: unknown chart '%s' (%s, table)\n", qPrintable(cli.value(chart)),
                 qPrintable(qid::ui::chartNames().join(QStringLiteral(", "))));
    return 1;
  }
  if (screenshot) {
    const QStringList wh = cli.value(size).split(QLatin1Char('x'));
    if (wh.size() == 2) window.resize(wh[0].toInt(), wh[1].toInt());
    try {
      qid::ui::saveScreenshot(window, cli.value(shot));
    } catch (const qid::Error& e) {
      std::fprintf(stderr, "qidlab: error: %s\n", e.what());
      return 1;
    }
    return 0;
  }
  if (!screenshot) window.restoreState(qid::ui::settings::windowState.get());
  window.show();
  return QApplication::exec();
}
