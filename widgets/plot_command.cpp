#include "plot_command.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>

#include "chart_builders.h"
#include "common/error.h"
#include "core_law.h"
#include "figure_export.h"
#include "project_loader.h"
#include "project_session.h"

namespace qid::ui {

namespace {
int fail(const QString& text, int code = 1) {
  std::fprintf(stderr, "qidlab-plot: error: %s\n", qPrintable(text));
  return code;
}
}  // namespace

int runPlotCommand(const QStringList& args) {
  QCommandLineParser cli;
  cli.setApplicationDescription(QStringLiteral(
      "Renders one QiD Lab chart offscreen into a figure for a paper (PDF, SVG or PNG), through the same "
      "chart builders and export routine as the GUI. Without --project it draws the bundled Paper project "
      "(the paper's laws and Table 1)."));
  cli.addHelpOption();
  const QCommandLineOption project(QStringLiteral("project"), QStringLiteral("Project file (*.qidlab), or 'paper' (default)."),
                                   QStringLiteral("P"), QStringLiteral("paper"));
  const QCommandLineOption chart(QStringLiteral("chart"),
                                 QStringLiteral("Chart: %1 (default tokens).").arg(chartNames().join(QStringLiteral(", "))),
                                 QStringLiteral("NAME"), QStringLiteral("tokens"));
  const QCommandLineOption law(QStringLiteral("law"),
                               QStringLiteral("Law to draw: a law of the project by name, a bundled preset, or a law "
                                              "file such as reproduce's OUT/laws/unified.json (default: the project's "
                                              "first law, ouyang2025-unified for the Paper project)."),
                               QStringLiteral("NAME|FILE"));
  const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("Output file; the suffix picks the format: .pdf, .svg or .png."),
                               QStringLiteral("FILE"));
  const QCommandLineOption extrapolate(QStringLiteral("extrapolate"),
                                       QStringLiteral("Extrapolate the law curves to D tokens (the handle; default 1e14)."),
                                       QStringLiteral("D"));
  const QCommandLineOption style(QStringLiteral("style"),
                                 QStringLiteral("Figure style: single (3.5 in column), double (7 in) or screen (default single)."),
                                 QStringLiteral("NAME"), QStringLiteral("single"));
  const QCommandLineOption dpi(QStringLiteral("dpi"), QStringLiteral("Resolution of PNG (and PDF images), default 300."),
                               QStringLiteral("N"), QStringLiteral("300"));
  const QCommandLineOption sizes(QStringLiteral("sizes"), QStringLiteral("Hypothetical model sizes drawn from the law, e.g. 7B,70B,405B."),
                                 QStringLiteral("LIST"));
  const QCommandLineOption bits(QStringLiteral("bits"), QStringLiteral("Bit widths of the law curves, e.g. 2,3,4."), QStringLiteral("LIST"));
  const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print what was written as one JSON object."));
  cli.addOptions({project, chart, law, out, extrapolate, style, dpi, sizes, bits, json});
  if (!cli.parse(args)) return fail(cli.errorText(), 2);
  if (cli.isSet(QStringLiteral("help"))) {
    std::fputs(qPrintable(cli.helpText()), stdout);
    return 0;
  }
  if (!cli.positionalArguments().isEmpty())
    return fail(QStringLiteral("unexpected argument '%1'").arg(cli.positionalArguments().first()), 2);
  if (!cli.isSet(out)) return fail(QStringLiteral("--out FILE is required (fig.pdf, fig.svg or fig.png)"), 2);
  const QString chartName = cli.value(chart);
  if (!chartNames().contains(chartName))
    return fail(QStringLiteral("unknown chart '%1' (%2)").arg(chartName, chartNames().join(QStringLiteral(", "))), 2);
  if (!exportStyleNames().contains(cli.value(style)))
    return fail(QStringLiteral("unknown style '%1' (%2)").arg(cli.value(style), exportStyleNames().join(QStringLiteral(", "))), 2);
  bool ok = false;
  const int dpiValue = cli.value(dpi).toInt(&ok);
  if (!ok) return fail(QStringLiteral("--dpi '%1' is not a whole number").arg(cli.value(dpi)), 2);

  try {
    ProjectSession session;
    loadProject(session, cli.value(project));
    if (cli.isSet(law)) {
      int index = -1;
      QStringList names;
      for (int i = 0; i < session.laws().size(); ++i) {
        names << session.laws()[i]->name();
        if (session.laws()[i]->name() == cli.value(law)) index = i;
      }
      if (index < 0) {
        // Not one of the project's: a law file or a bundled preset (core's loader).
        try {
          index = session.upsertLaw(std::make_shared<CoreLaw>(qid::laws::loadLaw(cli.value(law).toStdString())));
        } catch (const qid::Error& e) {
          return fail(QStringLiteral("unknown law '%1' in %2 (laws: %3): %4")
                          .arg(cli.value(law), cli.value(project), names.join(QStringLiteral(", ")),
                               QString::fromStdString(e.what())));
        }
      }
      session.setCurrentLaw(index);
    }
    if (cli.isSet(sizes)) {
      QVector<double> v;
      for (const QString& part : cli.value(sizes).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        QString t = part.trimmed().toUpper();
        double scale = t.endsWith(QLatin1Char('B')) ? 1e9 : t.endsWith(QLatin1Char('M')) ? 1e6 : t.endsWith(QLatin1Char('T')) ? 1e12 : 1;
        if (scale != 1) t.chop(1);
        const double n = t.toDouble(&ok) * scale;
        if (!ok || !(n > 0)) return fail(QStringLiteral("--sizes: cannot read '%1' (write 7B, 70B, 1.4e9)").arg(part), 2);
        v.push_back(n);
      }
      session.setSizes(v);
    }
    if (cli.isSet(bits)) {
      QVector<int> v;
      for (const QString& part : cli.value(bits).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const int b = part.trimmed().toInt(&ok);
        if (!ok || b < 1 || b > 16) return fail(QStringLiteral("--bits: cannot read '%1' (write 2,3,4)").arg(part), 2);
        v.push_back(b);
      }
      session.setBits(v);
    }
    if (cli.isSet(extrapolate)) {
      const double d = cli.value(extrapolate).toDouble(&ok);
      if (!ok || !(d > 0)) return fail(QStringLiteral("--extrapolate '%1' is not a positive number of tokens").arg(cli.value(extrapolate)), 2);
      if (d > ProjectSession::kMaxTokens || d < session.dataMaxTokens())
        return fail(QStringLiteral("--extrapolate %1 is outside %2 .. %3 tokens (the data's end .. 1e14)")
                        .arg(d, 0, 'g', 3)
                        .arg(session.dataMaxTokens(), 0, 'g', 3)
                        .arg(ProjectSession::kMaxTokens, 0, 'g', 3), 2);
      session.moveHandle(d);
    }
    const PlotSpec spec = chartByName(chartName, session);
    const ExportStyle st = exportStyle(cli.value(style));
    exportFigure(spec, st, cli.value(out), dpiValue);
    if (cli.isSet(json)) {
      QJsonObject o{{QStringLiteral("out"), QFileInfo(cli.value(out)).absoluteFilePath()},
                    {QStringLiteral("chart"), chartName},
                    {QStringLiteral("law"), session.currentLaw() ? session.currentLaw()->name() : QString()},
                    {QStringLiteral("project"), cli.value(project)},
                    {QStringLiteral("style"), st.name},
                    {QStringLiteral("width_in"), st.widthIn},
                    {QStringLiteral("height_in"), st.heightIn},
                    {QStringLiteral("dpi"), dpiValue},
                    {QStringLiteral("extrapolate"), session.handleTokens()},
                    {QStringLiteral("bytes"), QFileInfo(cli.value(out)).size()}};
      std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    } else {
      std::printf("wrote %s (%s, %.1f x %.1f in)\n", qPrintable(cli.value(out)), qPrintable(chartName), st.widthIn, st.heightIn);
    }
  } catch (const qid::Error& e) {
    return fail(QString::fromStdString(e.what()));
  }
  return 0;
}

}  // namespace qid::ui
