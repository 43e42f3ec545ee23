#include "plot_data_export.h"

#include <QFile>
#include <QTextStream>

#include "common/error.h"

namespace qid::ui {

namespace {

QString kindName(PlotSeries::Kind k) {
  switch (k) {
    case PlotSeries::Kind::Line: return QStringLiteral("line");
    case PlotSeries::Kind::Dashed: return QStringLiteral("dashed");
    case PlotSeries::Kind::Dotted: return QStringLiteral("dotted");
    case PlotSeries::Kind::Scatter: return QStringLiteral("scatter");
    case PlotSeries::Kind::Band: return QStringLiteral("band");
    case PlotSeries::Kind::Interval: return QStringLiteral("interval_low");
  }
  return {};
}

QString csvField(const QString& s) {
  if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"'))) return s;
  QString q = s;
  q.replace(QLatin1String("\""), QLatin1String("\"\""));
  return QLatin1Char('"') + q + QLatin1Char('"');
}

QString pyString(const QString& s) {
  QString q = s;
  q.replace(QLatin1String("\\"), QLatin1String("\\\\")).replace(QLatin1String("'"), QLatin1String("\\'"));
  return QLatin1Char('\'') + q + QLatin1Char('\'');
}

QString pyList(const QVector<QPointF>& pts, bool xs) {
  QStringList parts;
  for (const QPointF& p : pts) parts << QString::number(xs ? p.x() : p.y(), 'g', 10);
  return QLatin1Char('[') + parts.join(QLatin1String(", ")) + QLatin1Char(']');
}

}  // namespace

QString plotCsv(const PlotSpec& spec) {
  QString out;
  QTextStream ts(&out);
  ts << "series,kind,x,y\n";
  for (const PlotSeries& s : spec.series) {
    for (const QPointF& p : s.points)
      ts << csvField(s.name) << ',' << kindName(s.kind) << ',' << QString::number(p.x(), 'g', 10) << ','
         << QString::number(p.y(), 'g', 10) << '\n';
    for (const QPointF& p : s.upper)  // the upper edge of an interval
      ts << csvField(s.name) << ",interval_high," << QString::number(p.x(), 'g', 10) << ','
         << QString::number(p.y(), 'g', 10) << '\n';
  }
  if (spec.heatMap) {
    const HeatMap& m = *spec.heatMap;
    for (int iy = 0; iy < m.ys.size(); ++iy)
      for (int ix = 0; ix < m.xs.size(); ++ix)
        ts << csvField(m.label) << ",cell:" << QString::number(m.values[iy * m.xs.size() + ix], 'g', 10) << ','
           << QString::number(m.xs[ix], 'g', 10) << ',' << QString::number(m.ys[iy], 'g', 10) << '\n';
  }
  // A box as seven rows at its x: box:min, box:whisker_low, box:q1,
  // box:median, box:q3, box:whisker_high, box:max (the whiskers are drawn,
  // min and max are not).
  for (const PlotBox& b : spec.boxes) {
    const std::pair<const char*, double> parts[] = {{"min", b.min},       {"whisker_low", b.whiskerLow},
                                                    {"q1", b.q1},         {"median", b.median},
                                                    {"q3", b.q3},         {"whisker_high", b.whiskerHigh},
                                                    {"max", b.max}};
    for (const auto& [part, v] : parts)
      ts << csvField(b.group + QStringLiteral(" (") + b.label + QLatin1Char(')')) << ",box:" << part << ','
         << QString::number(b.x, 'g', 10) << ',' << QString::number(v, 'g', 10) << '\n';
  }
  if (spec.handleX) ts << "handle,vline," << QString::number(*spec.handleX, 'g', 10) << ",\n";
  return out;
}

QString matplotlibScript(const PlotSpec& spec, const ExportStyle& style, const QString& figureName) {
  QString out;
  QTextStream ts(&out);
  ts << "#!/usr/bin/env python3\n"
     << "# Redraws the QiD Lab figure " << pyString(spec.title) << " with matplotlib.\n"
     << "import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n\n"
     << "plt.rcParams.update({'font.size': " << style.fontPt << ", 'lines.linewidth': " << style.lineWidth
     << "})\n"
     << "fig, ax = plt.subplots(figsize=(" << style.widthIn << ", " << style.heightIn << "))\n";
  for (const PlotSeries& s : spec.series) {
    const QString x = pyList(s.points, true), y = pyList(s.points, false);
    const QString label = s.inLegend ? pyString(s.name) : QStringLiteral("'_nolegend_'");
    const QString color = pyString(s.color.name());
    switch (s.kind) {
      case PlotSeries::Kind::Line:
        ts << "ax.plot(" << x << ", " << y << ", color=" << color << ", label=" << label << ")\n";
        break;
      case PlotSeries::Kind::Dashed:
        ts << "ax.plot(" << x << ", " << y << ", '--', color=" << color << ", label=" << label << ")\n";
        break;
      case PlotSeries::Kind::Dotted:
        ts << "ax.plot(" << x << ", " << y << ", ':', lw=" << style.lineWidth * 0.75 << ", color=" << color
           << ", label=" << label << ")\n";
        break;
      case PlotSeries::Kind::Scatter:
        ts << "ax.scatter(" << x << ", " << y << ", s=12, color=" << color << ", label=" << label
           << ", zorder=3)\n";
        break;
      case PlotSeries::Kind::Interval:
        ts << "ax.fill_between(" << x << ", " << y << ", " << pyList(s.upper, false) << ", color=" << color
           << ", alpha=0.25, lw=0, label=" << label << ")\n";
        break;
      case PlotSeries::Kind::Band:
        ts << "ax.fill_between(" << x << ", " << y << ", " << spec.yMax * 10 << ", color='0.6', alpha=0.45, lw=0, label="
           << label << ")\n";
        break;
    }
  }
  if (!spec.boxes.isEmpty()) {
    // Precomputed statistics, drawn by matplotlib's bxp; one legend entry per group.
    QStringList groups;
    for (const PlotBox& b : spec.boxes) {
      const bool first = !groups.contains(b.group);
      if (first) groups << b.group;
      ts << "ax.bxp([{'whislo': " << b.whiskerLow << ", 'q1': " << b.q1 << ", 'med': " << b.median << ", 'q3': " << b.q3
         << ", 'whishi': " << b.whiskerHigh << ", 'fliers': []}], positions=[" << b.x << "], widths=[" << 2 * b.halfWidth
         << "], patch_artist=True, manage_ticks=False, boxprops={'facecolor': " << pyString(b.color.name())
         << ", 'alpha': 0.6}, medianprops={'color': 'black'}, label=" << (first ? pyString(b.group) : QStringLiteral("'_nolegend_'"))
         << ")\n";
    }
  }
  if (spec.heatMap) {
    const HeatMap& m = *spec.heatMap;
    QStringList rows;
    for (int iy = 0; iy < m.ys.size(); ++iy) {
      QStringList cells;
      for (int ix = 0; ix < m.xs.size(); ++ix) cells << QString::number(m.values[iy * m.xs.size() + ix], 'g', 8);
      rows << QLatin1Char('[') + cells.join(QLatin1String(", ")) + QLatin1Char(']');
    }
    QVector<QPointF> xs, ys;
    for (double v : m.xs) xs.push_back({v, 0});
    for (double v : m.ys) ys.push_back({v, 0});
    ts << "from matplotlib.colors import LogNorm\n"
       << "mesh = ax.pcolormesh(" << pyList(xs, true) << ", " << pyList(ys, true) << ", [" << rows.join(QLatin1String(", "))
       << "], shading='nearest', norm=LogNorm(" << m.vMin << ", " << m.vMax << "), cmap='viridis', zorder=0)\n"
       << "fig.colorbar(mesh, ax=ax, label=" << pyString(m.label) << ")\n";
  }
  if (!spec.xTicks.isEmpty()) {
    QVector<QPointF> at;
    QStringList labels;
    for (const AxisTick& t : spec.xTicks) {
      at.push_back({t.x, 0});
      labels << pyString(t.label);
    }
    ts << "ax.set_xticks(" << pyList(at, true) << ", [" << labels.join(QLatin1String(", ")) << "])\n";
  }
  if (!spec.emptyMessage.isEmpty())
    ts << "ax.text(0.5, 0.5, " << pyString(spec.emptyMessage) << ", transform=ax.transAxes, ha='center', va='center')\n";
  ts << "ax.set_xscale('" << (spec.logX && spec.xTicks.isEmpty() ? "log" : "linear") << "')\n"
     << "ax.set_yscale('" << (spec.logY ? "log" : "linear") << "')\n"
     << "ax.set_xlim(" << spec.xMin << ", " << spec.xMax << ")\n"
     << "ax.set_ylim(" << spec.yMin << ", " << spec.yMax << ")\n"
     << "ax.set_xlabel(" << pyString(spec.xLabel) << ")\n"
     << "ax.set_ylabel(" << pyString(spec.yLabel) << ")\n"
     << "ax.set_title(" << pyString(spec.title) << ", fontsize=" << style.fontPt << ")\n"
     << "ax.grid(True, which='major', color='0.9')\n"
     << "ax.legend(fontsize=" << style.fontPt * 0.8 << ", loc='best')\n"
     << "fig.tight_layout()\n"
     << "fig.savefig(" << pyString(figureName) << ")\n";
  return out;
}

void writeTextFile(const QString& path, const QString& text) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
    throw qid::Error(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()).toStdString());
  f.write(text.toUtf8());
}

}  // namespace qid::ui
