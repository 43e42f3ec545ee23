// The charts show what the core law says: the training-level map's cells,
// the predicted-vs-actual points, bootstrap bands from a core refit, and the
// extrapolation region from the law's fitted range.
#include <gtest/gtest.h>

#include <cmath>

#include "chart_builders.h"
#include "core_law.h"
#include "laws/law.h"
#include "laws/law_fit.h"
#include "project_loader.h"
#include "project_session.h"

namespace qid::ui {
namespace {

// Rows on the unified law with a known multiplicative wobble.
QVector<MeasurementRow> lawRows(const qid::laws::Law& law) {
  QVector<MeasurementRow> rows;
  qint64 id = 1;
  for (double n : {7e7, 1.6e8, 4.1e8, 1e9, 2.8e9})
    for (int bits : {2, 3, 4})
      for (double d : {2e9, 2e10, 1e11, 3e11}) {
        MeasurementRow r;
        r.id = id;
        r.n = n;
        r.d = d;
        r.bits = bits;
        r.method = QStringLiteral("gptq");
        r.deltaQ = law.evaluate({{"N", n}, {"D", d}, {"P", double(bits)}}) * (1 + 0.08 * std::sin(double(id)));
        ++id;
        rows.push_back(r);
      }
  return rows;
}

const PlotSeries* findSeries(const PlotSpec& spec, PlotSeries::Kind kind, const QString& namePart = {}) {
  for (const PlotSeries& s : spec.series)
    if (s.kind == kind && (namePart.isEmpty() || s.name.contains(namePart))) return &s;
  return nullptr;
}

TEST(Charts, EveryNamedChartBuilds) {
  ProjectSession s;
  loadPaperProject(s);
  for (const QString& name : chartNames()) {
    const PlotSpec spec = chartByName(name, s);
    EXPECT_EQ(spec.name, name);
    EXPECT_FALSE(spec.xLabel.isEmpty()) << name.toStdString();
    EXPECT_FALSE(spec.yLabel.isEmpty()) << name.toStdString();
    EXPECT_LT(spec.xMin, spec.xMax);
    EXPECT_LT(spec.yMin, spec.yMax);
  }
}

TEST(Charts, MapCellsAreTheLawsValues) {
  ProjectSession s;
  loadPaperProject(s);
  const PlotSpec spec = mapChart(s);
  ASSERT_TRUE(spec.heatMap.has_value());
  const HeatMap& m = *spec.heatMap;
  ASSERT_EQ(m.values.size(), m.xs.size() * m.ys.size());
  const qid::laws::Law law = qid::laws::loadLaw("ouyang2025-unified");
  for (int iy = 0; iy < m.ys.size(); iy += 7)
    for (int ix = 0; ix < m.xs.size(); ix += 9) {
      const double expected = law.evaluate({{"N", m.ys[iy]}, {"D", m.xs[ix]}, {"P", double(s.mapBits())}});
      EXPECT_NEAR(m.values[iy * m.xs.size() + ix], expected, 1e-12 * expected);
    }
  // Iso-lines: each point reaches its target (the law's inverse).
  const PlotSeries* iso = findSeries(spec, PlotSeries::Kind::Line, QStringLiteral("= 0.3"));
  ASSERT_NE(iso, nullptr);
  for (const QPointF& p : iso->points)
    EXPECT_NEAR(law.evaluate({{"N", p.y()}, {"D", p.x()}, {"P", double(s.mapBits())}}), 0.3, 1e-6);
}

TEST(Charts, PredictedAgainstActualUsesTheCurrentLaw) {
  ProjectSession s;
  loadPaperProject(s);
  const qid::laws::Law law = qid::laws::loadLaw("ouyang2025-unified");
  s.setRows(lawRows(law));
  const PlotSpec spec = predictedChart(s);
  int points = 0;
  for (const PlotSeries& ps : spec.series) {
    if (ps.kind != PlotSeries::Kind::Scatter) continue;
    for (int i = 0; i < ps.points.size(); ++i) {
      const MeasurementRow* row = nullptr;
      for (const MeasurementRow& r : s.rows())
        if (r.id == ps.ids[i]) row = &r;
      ASSERT_NE(row, nullptr);
      EXPECT_DOUBLE_EQ(ps.points[i].x(), row->deltaQ);
      const double predicted = law.evaluate({{"N", row->n}, {"D", row->d}, {"P", double(row->bits)}});
      EXPECT_NEAR(ps.points[i].y(), predicted, 1e-12 * predicted);
      ++points;
    }
  }
  EXPECT_EQ(points, s.rows().size());
}

TEST(Charts, RefitIsTheCoreFitAndItsBandsAreTheCoreIntervals) {
  ProjectSession s;
  loadPaperProject(s);
  const qid::laws::Law law = qid::laws::loadLaw("ouyang2025-unified");
  const QVector<MeasurementRow> rows = lawRows(law);
  s.setRows(rows);
  const LawPtr fitted = s.currentLaw()->refit(rows, 60);
  // The same fit straight from core.
  qid::laws::DataTable table;
  for (const MeasurementRow& r : rows) table.addRow({{"N", r.n}, {"D", r.d}, {"P", double(r.bits)}, {"delta_q_loss", r.deltaQ}});
  qid::laws::FitOptions o;
  o.bootstrap = 60;
  const qid::laws::FitResult core = qid::laws::fitLaw(law.family, table, o);
  const auto params = fitted->params();
  ASSERT_EQ(params.size(), int(core.law.params.size()));
  for (int i = 0; i < params.size(); ++i) EXPECT_DOUBLE_EQ(params[i].value, core.law.params[i]);
  EXPECT_TRUE(fitted->hasSamples());
  EXPECT_EQ(fitted->stats().points, rows.size());

  s.setCurrentLaw(s.upsertLaw(fitted));
  EXPECT_EQ(findSeries(tokensChart(s), PlotSeries::Kind::Interval), nullptr);  // bands are off
  s.setShowBands(true);
  const PlotSpec spec = tokensChart(s);
  const PlotSeries* band = findSeries(spec, PlotSeries::Kind::Interval);
  ASSERT_NE(band, nullptr);
  ASSERT_EQ(band->points.size(), band->upper.size());
  const double n = s.sizes().front();
  const int bits = s.bits().front();
  for (int i = 0; i < band->points.size(); i += 5) {
    const double d = band->points[i].x();
    const auto iv = core.law.predictionInterval({{"N", n}, {"D", d}, {"P", double(bits)}});
    ASSERT_TRUE(iv.has_value());
    EXPECT_NEAR(band->points[i].y(), std::max(iv->lo, spec.yMin), 1e-12 * iv->hi);
    EXPECT_NEAR(band->upper[i].y(), std::max(iv->hi, spec.yMin), 1e-12 * iv->hi);
    EXPECT_LE(band->points[i].y(), band->upper[i].y());
  }
}

TEST(Charts, ExtrapolationRegionStartsAtTheFittedRange) {
  ProjectSession s;
  loadPaperProject(s);
  const PlotSpec spec = tokensChart(s);
  const PlotSeries* region = findSeries(spec, PlotSeries::Kind::Band, QStringLiteral("extrapolated"));
  ASSERT_NE(region, nullptr);
  const auto fitted = s.currentLaw()->fittedRange(QStringLiteral("D"));
  ASSERT_TRUE(fitted.has_value());
  EXPECT_DOUBLE_EQ(region->points.front().x(), fitted->second);  // the preset's D range (Pythia's 300B)
  EXPECT_DOUBLE_EQ(region->points.back().x(), spec.xMax);
  // Model sizes beyond the fitted N are shaded on the size chart too.
  const PlotSpec size = sizeChart(s);
  const PlotSeries* nRegion = findSeries(size, PlotSeries::Kind::Band, QStringLiteral("extrapolated"));
  ASSERT_NE(nRegion, nullptr);
  EXPECT_DOUBLE_EQ(nRegion->points.front().x(), s.currentLaw()->fittedRange(QStringLiteral("N"))->second);
}

TEST(Charts, HypotheticalSizesAndBitsAreUndoable) {
  ProjectSession s;
  loadPaperProject(s);
  s.setSizes({1e9, 1e12});
  s.setBits({3});
  EXPECT_EQ(tokensChart(s).readings.size(), 2);
  s.undoStack()->undo();
  EXPECT_EQ(tokensChart(s).readings.size(), 2 * 3);
  s.undoStack()->undo();
  EXPECT_EQ(s.sizes(), (QVector<double>{7e9, 70e9, 405e9}));
}

}  // namespace
}  // namespace qid::ui
