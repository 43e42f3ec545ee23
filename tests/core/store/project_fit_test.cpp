// Fitting laws to stored measurements (the seam of `fit --project` and the
// GUI's refit).
#include "store/project_fit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "common/error.h"
#include "laws/law_family.h"
#include "store/measurement_table.h"
#include "store/project.h"
#include "support/fake_sweep.h"
#include "test_support.h"

using namespace qid::store;
using qid::test::TempDir;

namespace {

std::string errorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const qid::Error& e) {
    return e.what();
  }
  return "";
}

qid::laws::FitOptions quickOptions(int bootstrap = 0) {
  qid::laws::FitOptions o;
  o.bootstrap = bootstrap;
  o.crossValidate = false;
  o.backtest = false;
  return o;
}

}  // namespace

TEST(MeasurementTable, ColumnsFollowTheFields) {
  Measurement m;
  m.cellId = "c";
  m.N = 1e7;
  m.D = 2e9;
  m.bits = 3;
  m.delta = 0.25;
  m.loss16 = 3.5;
  auto t = measurementTable({m}, "proj");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t.values[0][size_t(t.column("N"))], 1e7);
  EXPECT_EQ(t.values[0][size_t(t.column("bits"))], 3);
  EXPECT_EQ(t.values[0][size_t(t.column("delta_q_loss"))], 0.25);
  EXPECT_TRUE(std::isnan(t.values[0][size_t(t.column("lossq"))]));
  EXPECT_EQ(t.text[0][size_t(t.column("D"))], "2000000000");
}

// FakeCellRunner's losses follow the paper's unified law (k x 0.8 for gptq):
// a unified fit on the stored gptq measurements recovers its exponents.
TEST(ProjectFit, UnifiedLawRecoversThePaperExponentsAndIsSaved) {
  TempDir tmp;
  ASSERT_EQ(qid::test::runFakeSweep(tmp / "p.qidlab", tmp.path()), 64);
  Project p(tmp / "p.qidlab");
  auto sel = selectFitData(p, "method=gptq");
  ASSERT_EQ(sel.rows.size(), 48u);
  auto family = qid::laws::makeFamily("ouyang-unified");
  auto fit = fitMeasurements(sel.rows, family, quickOptions(50), {}, p.path().string());
  ASSERT_TRUE(fit.converged) << fit.message;
  EXPECT_EQ(fit.points, 48);
  auto value = [&](const char* n) { return *fit.law.param(n); };
  // The runner's noise is 1% of (1 + dqLoss) per window over 32 windows, up
  // to ~12% of the smallest (4-bit) values. The fit's standard errors are
  // ~0.0012 for alpha and beta and ~0.007 for gamma, and the seeded run lands
  // within 0.002 / 0.002 / 0.01; the bounds leave about 8 standard errors.
  EXPECT_NEAR(value("alpha"), 0.2261, 0.01);
  EXPECT_NEAR(value("beta"), 0.5251, 0.01);
  EXPECT_NEAR(value("gamma"), 5.4967, 0.06);
  EXPECT_NEAR(std::log(value("k")), std::log(0.8 * 0.017), 0.3);
  EXPECT_GT(*fit.r2Log, 0.99);

  auto record = makeFitRecord(fit, "unified gptq", selectionJson(sel, p.path().string()));
  auto id = p.saveFit(record);
  auto fits = p.fits();
  ASSERT_EQ(fits.size(), 1u);
  EXPECT_EQ(fits[0].id, id);
  EXPECT_EQ(fits[0].law, "ouyang-unified");
  EXPECT_DOUBLE_EQ(fits[0].params["beta"].get<double>(), value("beta"));
  EXPECT_EQ(fits[0].selection["filter"], "method=gptq");
  EXPECT_EQ(fits[0].selection["count"], 48);
  EXPECT_EQ(fits[0].selection["cell_ids"].size(), 48u);
  EXPECT_EQ(fits[0].selection["cell_ids"][0], sel.rows[0].cellId);
  ASSERT_TRUE(fits[0].result["ci"].contains("gamma"));
  EXPECT_LT(fits[0].result["ci"]["gamma"][0].get<double>(), fits[0].result["ci"]["gamma"][1].get<double>());

  // rtn is gptq's law times 1.25: adding its rows to one law fits worse.
  auto both = fitMeasurements(selectFitData(p, "").rows, family, quickOptions(), {}, "p");
  ASSERT_EQ(both.points, 64);
  auto gptq3 = fit;
  EXPECT_GT(both.rss / both.points, gptq3.rss / gptq3.points);
}

TEST(ProjectFit, Loss16LawsTakeOneRowPerBaseline) {
  TempDir tmp;
  qid::test::FakeSweepSpec spec;
  spec.windows = 8;
  qid::test::runFakeSweep(tmp / "p.qidlab", tmp.path(), spec);
  Project p(tmp / "p.qidlab");
  auto sel = selectFitData(p, "");
  ASSERT_EQ(sel.rows.size(), 64u);
  auto fit = fitMeasurements(sel.rows, qid::laws::makeFamily("loss16-chinchilla"), quickOptions(), {}, "p");
  EXPECT_EQ(fit.points, 16);  // 4 sizes x 4 steps
}

TEST(ProjectFit, ErrorsNameTheMeasurement) {
  TempDir tmp;
  Project p(tmp / "p.qidlab");
  EXPECT_NE(errorOf([&] { selectFitData(p, ""); }).find("holds no measurements"), std::string::npos);
  auto add = [&](const std::string& id, std::optional<double> N, double D, double delta) {
    Measurement m;
    m.cellId = id;
    m.modelId = "pythia";
    m.method = "gptq";
    m.bits = 3;
    m.N = N;
    m.D = D;
    m.step = 10;
    m.delta = delta;
    p.insertMeasurement(m);
  };
  for (int i = 0; i < 6; ++i) add("ok" + std::to_string(i), 1e7 * (i + 1), 1e9 * (i + 2), 0.1 * (i + 1));
  EXPECT_NE(errorOf([&] { selectFitData(p, "bits=4"); }).find("no measurement matches the filter 'bits=4'"),
            std::string::npos);
  auto family = qid::laws::makeFamily("ouyang-unified");
  add("nonegative-delta-cell", 1e7, 1e9, -0.01);
  std::string err = errorOf([&] { fitMeasurements(p.measurements(), family, quickOptions(), {}, "p.qidlab"); });
  EXPECT_NE(err.find("p.qidlab: measurement pythia@step10 gptq 3b (cell nonegative-d)"), std::string::npos) << err;
  EXPECT_NE(err.find("delta>0"), std::string::npos) << err;
  // The filter the message suggests works.
  EXPECT_NO_THROW(fitMeasurements(selectFitData(p, "delta>0").rows, family, quickOptions(), {}, "p"));
  add("no-n-cell", std::nullopt, 1e9, 0.1);
  err = errorOf([&] { fitMeasurements(selectFitData(p, "delta>0").rows, family, quickOptions(), {}, "p"); });
  EXPECT_NE(err.find("(cell no-n-cell) has no N"), std::string::npos) << err;
  add("zero-d-cell", 1e7, 0, 0.1);
  err = errorOf([&] { fitMeasurements(selectFitData(p, "delta>0,N>0").rows, family, quickOptions(), {}, "p"); });
  EXPECT_NE(err.find("has D=0"), std::string::npos) << err;
}
