// The Figure 12 charts draw what core stored in the project's
// weight_fluctuations table: one box per checkpoint and kind (|ΔW|, then
// |Q(W) − W| per bit width) with core's box statistics, one scatter point
// per joined measurement at (ratio, ΔqLoss) with Spearman's ρ in the title,
// and a clear message for a project without fluctuation rows.
#include <gtest/gtest.h>

#include <QImage>
#include <QLineSeries>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>

#include "analysis/box_stats.h"
#include "analysis/fluctuation_store.h"
#include "analysis/rank_correlation.h"
#include "chart_builders.h"
#include "chart_canvas.h"
#include "figure_export.h"
#include "fluctuation_data.h"
#include "plot_data_export.h"
#include "project_loader.h"
#include "project_session.h"
#include "store/project.h"
#include "store_rows.h"
#include "test_support.h"

namespace qid::ui {
namespace {

using qid::analysis::BoxStats;
using qid::analysis::FluctuationRow;

// Deterministic values of one distribution: a spread over scale·[0.1, 3].
std::vector<float> spread(double scale, int salt) {
  std::vector<float> v;
  for (int i = 0; i < 57; ++i) v.push_back(float(scale * (0.1 + std::fmod(i * 0.37 + salt * 0.11, 2.9))));
  return v;
}

struct Fixture {
  qid::test::TempDir tmp;
  std::filesystem::path file = tmp / "fluct.qidlab";
  const std::vector<std::int64_t> steps{2, 4, 8, 16};
  const std::vector<int> bits{2, 3, 4};
  std::map<std::pair<std::int64_t, int>, BoxStats> push;  // big run: (step, bits)
  std::map<std::int64_t, BoxStats> movement;               // big run: step
  std::map<std::string, std::pair<double, double>> expectedPoint;  // cell id -> (ratio, ΔqLoss)

  static std::string ckpt(const std::string& run, std::int64_t step) { return run + "-step" + std::to_string(step); }

  Fixture() {
    qid::store::Project project(file);
    std::vector<FluctuationRow> rows;
    for (const auto& [run, N] : {std::pair<std::string, double>{"small", 1e4}, {"big", 5e4}}) {
      for (std::size_t i = 0; i < steps.size(); ++i) {
        const std::int64_t step = steps[i];
        // Training moves the weights less and less; the push stays.
        const BoxStats mv = qid::analysis::boxStats(spread(1e-2 / double(step), int(step)));
        for (int b : bits) {
          FluctuationRow r;
          r.run = run;
          r.checkpointId = ckpt(run, step);
          r.prevCheckpointId = i ? ckpt(run, steps[i - 1]) : run + "-step1";
          r.step = step;
          r.prevStep = i ? steps[i - 1] : 1;
          r.D = double(step) * 256;
          r.N = N;
          r.method = "rtn";
          r.bits = b;
          r.groupSize = 16;
          r.movement = mv;
          r.push = qid::analysis::boxStats(spread(0.05 / std::pow(2.0, b), b * 7 + int(step)));
          r.ratio = r.push.median / r.movement.median;
          r.ratioMean = r.push.mean / r.movement.mean;
          rows.push_back(r);
          if (run == "big") {
            push[{step, b}] = r.push;
            movement[step] = mv;
          }
          // Two measurements of this checkpoint at this bit width (gptq, rtn).
          for (const char* method : {"gptq", "rtn"}) {
            qid::store::Measurement m;
            m.cellId = run + "-" + std::to_string(step) + "-" + method + std::to_string(b);
            m.modelId = run;
            m.revision = "step" + std::to_string(step);
            m.checkpointId = r.checkpointId;
            m.N = N;
            m.D = r.D;
            m.step = step;
            m.method = method;
            m.bits = b;
            m.loss16 = 3.0;
            m.delta = 0.01 * double(step) / b + (method[0] == 'r' ? 0.002 : 0);
            m.lossq = 3.0 + m.delta;
            EXPECT_TRUE(project.insertMeasurement(m));
            expectedPoint[m.cellId] = {r.ratio, m.delta};
          }
        }
      }
    }
    // A measurement whose checkpoint has no fluctuation row: not plotted.
    qid::store::Measurement orphan;
    orphan.cellId = "orphan";
    orphan.modelId = "big";
    orphan.checkpointId = "elsewhere";
    orphan.method = "gptq";
    orphan.bits = 3;
    orphan.delta = 0.3;
    project.insertMeasurement(orphan);
    qid::analysis::FluctuationStore(project).put(rows);
  }
};

QVector<PlotBox> boxesOf(const PlotSpec& spec, const QString& groupPart) {
  QVector<PlotBox> out;
  for (const PlotBox& b : spec.boxes)
    if (b.group.contains(groupPart)) out.push_back(b);
  std::sort(out.begin(), out.end(), [](const PlotBox& a, const PlotBox& b) { return a.x < b.x; });
  return out;
}

void expectSameBox(const PlotBox& box, const BoxStats& s) {
  EXPECT_DOUBLE_EQ(box.min, s.min);
  EXPECT_DOUBLE_EQ(box.q1, s.q1);
  EXPECT_DOUBLE_EQ(box.median, s.median);
  EXPECT_DOUBLE_EQ(box.q3, s.q3);
  EXPECT_DOUBLE_EQ(box.max, s.max);
  // Conventional whiskers: the 5th and 95th percentiles core computed.
  ASSERT_TRUE(std::isfinite(s.p05) && std::isfinite(s.p95));
  EXPECT_DOUBLE_EQ(box.whiskerLow, s.p05);
  EXPECT_DOUBLE_EQ(box.whiskerHigh, s.p95);
}

TEST(FluctuationChart, OneBoxPerCheckpointAndKindWithCoresQuartiles) {
  Fixture f;
  ProjectSession s;
  loadStoreProject(s, QString::fromStdString(f.file.string()), false);
  const PlotSpec spec = fluctuationChart(s);
  EXPECT_TRUE(spec.emptyMessage.isEmpty());
  EXPECT_TRUE(spec.title.contains(QStringLiteral("big"))) << spec.title.toStdString();  // the largest run
  EXPECT_TRUE(spec.logY);
  EXPECT_FALSE(spec.xLabel.isEmpty());
  EXPECT_FALSE(spec.yLabel.isEmpty());
  ASSERT_EQ(spec.boxes.size(), qsizetype(f.steps.size() * (1 + f.bits.size())));
  ASSERT_EQ(spec.xTicks.size(), qsizetype(f.steps.size()));
  for (std::size_t i = 0; i < f.steps.size(); ++i) EXPECT_EQ(spec.xTicks[qsizetype(i)].label, QString::number(f.steps[i]));

  const QVector<PlotBox> moves = boxesOf(spec, QStringLiteral("ΔW"));
  ASSERT_EQ(moves.size(), qsizetype(f.steps.size()));
  for (std::size_t i = 0; i < f.steps.size(); ++i) {
    expectSameBox(moves[qsizetype(i)], f.movement.at(f.steps[i]));
    EXPECT_NEAR(moves[qsizetype(i)].x, spec.xTicks[qsizetype(i)].x, 0.5);  // within its checkpoint's slot
  }
  for (int b : f.bits) {
    const QVector<PlotBox> pushes = boxesOf(spec, QStringLiteral("%1-bit").arg(b));
    ASSERT_EQ(pushes.size(), qsizetype(f.steps.size())) << b;
    for (std::size_t i = 0; i < f.steps.size(); ++i) {
      expectSameBox(pushes[qsizetype(i)], f.push.at({f.steps[i], b}));
      EXPECT_GT(pushes[qsizetype(i)].x, moves[qsizetype(i)].x);  // beside the movement, in bit order
    }
  }
  // Every drawn value is inside the log axis, and the axis says what the whiskers are.
  for (const PlotBox& b : spec.boxes) {
    EXPECT_GE(b.whiskerLow, spec.yMin);
    EXPECT_LE(b.whiskerHigh, spec.yMax);
  }
  EXPECT_TRUE(spec.xLabel.contains(QStringLiteral("whiskers: 5th–95th percentile"))) << spec.xLabel.toStdString();
  EXPECT_FALSE(spec.xLabel.contains(QStringLiteral("min–max")));

  // The size filter picks the run: below 2e4 parameters only "small" is left.
  RowFilter small;
  small.maxN = 2e4;
  s.setFilter(small);
  EXPECT_TRUE(fluctuationChart(s).title.contains(QStringLiteral("small")));

  // The CSV export has the numbers of every box, whiskers and min/max both.
  s.setFilter({});
  const QString csv = plotCsv(spec);
  for (const char* part : {"min", "whisker_low", "q1", "median", "q3", "whisker_high", "max"})
    EXPECT_EQ(csv.count(QStringLiteral(",box:%1,").arg(QLatin1String(part))), spec.boxes.size()) << part;
}

// One run, one checkpoint: the 3-bit push of `push`, the movement of `movement`.
std::filesystem::path oneCheckpointProject(const qid::test::TempDir& tmp, const BoxStats& movement, const BoxStats& push) {
  const auto file = tmp / "one.qidlab";
  qid::store::Project project(file);
  FluctuationRow r;
  r.run = "solo";
  r.checkpointId = "solo-step8";
  r.prevCheckpointId = "solo-step4";
  r.step = 8;
  r.prevStep = 4;
  r.D = 2048;
  r.N = 1e4;
  r.method = "rtn";
  r.bits = 3;
  r.groupSize = 16;
  r.movement = movement;
  r.push = push;
  r.ratio = push.median / movement.median;
  r.ratioMean = push.mean / movement.mean;
  qid::analysis::FluctuationStore(project).put({r});
  return file;
}

TEST(FluctuationChart, AWeightOnTheGridDoesNotStretchTheAxisToItsMinimum) {
  // 2 of 100 pushes are ~1e-9, as for weights already on the grid: min ≪ p05.
  std::vector<float> push;
  for (int i = 0; i < 98; ++i) push.push_back(float(1e-3 * (1 + i % 10)));
  push.push_back(1e-9f);
  push.push_back(2e-9f);
  const BoxStats pushStats = qid::analysis::boxStats(push);
  const BoxStats moveStats = qid::analysis::boxStats(spread(1e-3, 3));
  ASSERT_LT(pushStats.min * 1e6, pushStats.p05);
  qid::test::TempDir tmp;
  ProjectSession s;
  loadStoreProject(s, QString::fromStdString(oneCheckpointProject(tmp, moveStats, pushStats).string()), false);
  const PlotSpec spec = fluctuationChart(s);
  ASSERT_TRUE(spec.emptyMessage.isEmpty());
  const QVector<PlotBox> pushes = boxesOf(spec, QStringLiteral("3-bit"));
  ASSERT_EQ(pushes.size(), 1);
  expectSameBox(pushes[0], pushStats);
  // The axis is set by the whiskers: it stays within a decade of the 5th percentile.
  EXPECT_GT(spec.yMin, pushStats.min);
  EXPECT_GT(spec.yMin, 1e-6);
  EXPECT_LE(spec.yMin, pushStats.p05);
  EXPECT_LE(spec.yMin, moveStats.p05);
  EXPECT_GE(spec.yMax, std::max(pushStats.p95, moveStats.p95));
  // matplotlib draws the same whiskers.
  const QString py = matplotlibScript(spec, ExportStyle{}, QStringLiteral("fluct"));
  EXPECT_TRUE(py.contains(QStringLiteral("'whislo': ") + QString::number(pushStats.p05))) << py.toStdString();
  EXPECT_TRUE(py.contains(QStringLiteral("'whishi': ") + QString::number(pushStats.p95)));
  // The canvas outline goes from whisker to whisker.
  ChartCanvas canvas;
  canvas.resize(800, 500);
  canvas.setSpec(spec);
  double lo = INFINITY, hi = -INFINITY;
  for (QAbstractSeries* part : canvas.chart()->series())
    if (auto* line = qobject_cast<QLineSeries*>(part); line && part->name().isEmpty() && line->count() == 12)
      for (const QPointF& p : line->points()) {
        lo = std::min(lo, p.y());
        hi = std::max(hi, p.y());
      }
  EXPECT_GE(lo, spec.yMin);
  EXPECT_DOUBLE_EQ(hi, std::max(pushStats.p95, moveStats.p95));
}

TEST(FluctuationChart, RowsStoredWithoutPercentilesDrawWhiskersToMinAndMax) {
  // A row written before p05/p95 existed: they load as NaN.
  BoxStats push = qid::analysis::boxStats(spread(1e-2, 5));
  BoxStats move = qid::analysis::boxStats(spread(1e-3, 2));
  push.p05 = push.p95 = move.p05 = move.p95 = std::numeric_limits<double>::quiet_NaN();
  qid::test::TempDir tmp;
  ProjectSession s;
  loadStoreProject(s, QString::fromStdString(oneCheckpointProject(tmp, move, push).string()), false);
  const PlotSpec spec = fluctuationChart(s);
  ASSERT_EQ(spec.boxes.size(), 2);
  for (const PlotBox& b : spec.boxes) {
    EXPECT_DOUBLE_EQ(b.whiskerLow, b.min);
    EXPECT_DOUBLE_EQ(b.whiskerHigh, b.max);
  }
  EXPECT_TRUE(spec.xLabel.contains(QStringLiteral("min–max"))) << spec.xLabel.toStdString();
}

TEST(FluctuationChart, RatioScatterHasOnePointPerJoinedMeasurementAndSpearmanInTheTitle) {
  Fixture f;
  ProjectSession s;
  loadStoreProject(s, QString::fromStdString(f.file.string()), false);
  const PlotSpec spec = fluctuationRatioChart(s);
  EXPECT_TRUE(spec.emptyMessage.isEmpty());
  std::map<qint64, QPointF> plotted;
  int points = 0;
  for (const PlotSeries& ps : spec.series) {
    if (ps.kind != PlotSeries::Kind::Scatter) continue;
    ASSERT_EQ(ps.points.size(), ps.ids.size());
    for (int i = 0; i < ps.points.size(); ++i) plotted[ps.ids[i]] = ps.points[i];
    points += int(ps.points.size());
  }
  ASSERT_EQ(points, int(f.expectedPoint.size()));  // the orphan is left out
  std::vector<double> xs, ys;
  for (const auto& [cell, xy] : f.expectedPoint) {
    const auto it = plotted.find(rowIdForCell(cell));
    ASSERT_NE(it, plotted.end()) << cell;
    EXPECT_DOUBLE_EQ(it->second.x(), xy.first) << cell;
    EXPECT_DOUBLE_EQ(it->second.y(), xy.second) << cell;
    xs.push_back(xy.first);
    ys.push_back(xy.second);
  }
  const double rho = qid::analysis::spearman(xs, ys);
  ASSERT_TRUE(std::isfinite(rho));
  EXPECT_TRUE(spec.title.contains(QStringLiteral("ρ = ") + QString::number(rho, 'f', 2))) << spec.title.toStdString();
  EXPECT_TRUE(spec.logX);
  EXPECT_TRUE(spec.logY);  // every ΔqLoss is positive here

  // The session's filter applies: 3-bit gptq only.
  RowFilter only;
  only.bits = {3};
  only.methods = {QStringLiteral("gptq")};
  s.setFilter(only);
  int filtered = 0;
  for (const PlotSeries& ps : fluctuationRatioChart(s).series)
    if (ps.kind == PlotSeries::Kind::Scatter) filtered += int(ps.points.size());
  EXPECT_EQ(filtered, 2 * int(f.steps.size()));  // two runs x the steps
}

TEST(FluctuationChart, TheCanvasDrawsTheBoxesAndThePlotCommandRendersBoth) {
  Fixture f;
  ProjectSession s;
  loadStoreProject(s, QString::fromStdString(f.file.string()), false);
  ChartCanvas canvas;
  canvas.resize(900, 600);
  const PlotSpec spec = fluctuationChart(s);
  canvas.setSpec(spec);
  EXPECT_TRUE(canvas.shownMessage().isEmpty());
  // Each box is a fill and an outline, plus the selection overlay.
  EXPECT_EQ(canvas.chart()->series().size(), 2 * spec.boxes.size() + 1);
  for (const char* chart : {"fluctuation", "fluctuation_ratio"}) {
    const auto out = f.tmp / (std::string(chart) + ".png");
    std::string cmd(1, '\'');
    cmd += (std::filesystem::path(QIDLAB_CLI_PATH).parent_path() / "qidlab-plot").string();
    cmd += "' --project '" + f.file.string() + "' --chart " + chart + " --out '" + out.string() + "' --dpi 100";
    const auto r = qid::test::runShell(cmd);
    ASSERT_EQ(r.exitCode, 0) << chart << ": " << r.err;
    EXPECT_FALSE(QImage(QString::fromStdString(out.string())).isNull()) << chart;
  }
}

TEST(FluctuationChart, AProjectWithoutFluctuationRowsSaysHowToGetThem) {
  qid::test::TempDir tmp;
  const QString file = QString::fromStdString((tmp / "empty.qidlab").string());
  ProjectSession s;
  loadStoreProject(s, file, true);
  ASSERT_TRUE(s.fluctuation()->empty());
  for (const PlotSpec& spec : {fluctuationChart(s), fluctuationRatioChart(s)}) {
    EXPECT_EQ(spec.emptyMessage, noFluctuationMessage()) << spec.name.toStdString();
    EXPECT_TRUE(spec.emptyMessage.contains(QStringLiteral("qidlab-cli fluctuation")));
    EXPECT_TRUE(spec.emptyMessage.contains(QStringLiteral("micro-suite demo")));
    EXPECT_TRUE(spec.boxes.isEmpty());
    for (const PlotSeries& ps : spec.series) EXPECT_NE(ps.kind, PlotSeries::Kind::Scatter);
    EXPECT_LT(spec.xMin, spec.xMax);
    EXPECT_LT(spec.yMin, spec.yMax);
    ChartCanvas canvas;
    canvas.resize(800, 500);
    canvas.setSpec(spec);
    EXPECT_TRUE(canvas.shownMessage().contains(QStringLiteral("No fluctuation data"))) << canvas.shownMessage().toStdString();
  }
  // The bundled Paper project has none either.
  loadPaperProject(s);
  EXPECT_EQ(fluctuationChart(s).emptyMessage, noFluctuationMessage());
}

}  // namespace
}  // namespace qid::ui
