// Stored measurements become fit points: duplicate revisions stay out by
// default, and the paired standard errors weight the fit.
#include "store/fit_table.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/error.h"
#include "laws/law_fit.h"
#include "store/project.h"
#include "test_support.h"

using namespace qid::store;

namespace {

Measurement point(const std::string& id, const std::string& ckpt, std::int64_t step, double delta, double se) {
  Measurement m;
  m.cellId = id;
  m.modelId = "pythia-70m";
  m.checkpointId = ckpt;
  m.N = 1.9e7;
  m.step = step;
  m.D = double(step) * 2097152.0;
  m.method = "gptq";
  m.bits = 3;
  m.delta = delta;
  m.stderr_ = se;
  m.ciLo = delta - 1.96 * se;
  m.ciHi = delta + 1.96 * se;
  return m;
}

}  // namespace

TEST(FitTable, DuplicatesStayOutAndStandardErrorsWeighTheFit) {
  qid::test::TempDir tmp;
  Project p(tmp / "a.qidlab");
  // dq = 1e-6 * D^0.5 exactly, except the duplicate (claims step 2000, is main).
  const std::int64_t steps[] = {1000, 4000, 16000, 143000};
  for (auto s : steps) {
    std::string ck = std::string("ck").append(std::to_string(s));
    p.upsertModel({ck, "hf-commit", std::string("content").append(std::to_string(s)), "pythia-70m", "r", "", {}, {}, {}, s, {}, ""});
    p.insertMeasurement(point(std::string("c").append(std::to_string(s)), ck, s, 1e-6 * std::sqrt(double(s) * 2097152.0), 0.001));
  }
  p.upsertModel({"ckdup", "hf-commit", "content143000", "pythia-70m", "r", "", {}, {}, {}, 2000, {}, ""});
  p.insertMeasurement(point("cdup", "ckdup", 2000, 5.0, 0.001));
  EXPECT_EQ(p.refreshDuplicates(), 1);

  auto table = measurementTable(p.measurements({}, true));
  ASSERT_EQ(table.size(), 4u);
  EXPECT_EQ(measurementTable(p.measurements(MeasurementFilter::parse("duplicate=include"), true)).size(), 5u);
  qid::laws::FitOptions o;
  o.weightByUncertainty = true;
  auto fit = qid::laws::fitLaw(qid::laws::makeFamily("ouyang-tokens"), table, o);
  ASSERT_TRUE(fit.converged) << fit.message;
  EXPECT_NEAR(fit.law.params[1], 0.5, 1e-9);
  EXPECT_NE(fit.weighting.find("stderr"), std::string::npos) << fit.weighting;
  // A row without a standard error cannot be weighted, and says which.
  auto rows = p.measurements({}, true);
  rows[2].stderr_.reset();
  try {
    qid::laws::fitLaw(qid::laws::makeFamily("ouyang-tokens"), measurementTable(rows), o);
    FAIL() << "weighted a point without a standard error";
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("project line 3: column 'stderr' holds '(none)'"), std::string::npos)
        << e.what();
  }
}
