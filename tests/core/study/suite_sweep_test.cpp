#include "study/suite_sweep.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "test_support.h"

using namespace qid::study;
namespace fs = std::filesystem;

TEST(SuiteSweep, EverySixteenBitCheckpointWithItsStepDAndLr) {
  qid::test::TempDir dir;
  std::string text;
  for (int i = 0; i < 1500; ++i) text += "Verse " + std::to_string(i % 71) + " of the text.\n";
  qid::test::writeFile(dir / "corpus.txt", text);
  qid::train::SuitePlan plan;
  plan.name = "sw";
  plan.sizes = {{"a", 1, 16, 1}, {"b", 1, 32, 2}};
  plan.seqLen = 16;
  plan.batchSize = 2;
  plan.totalSteps = 4;
  plan.checkpointInterval = 4;  // 0, 1, 2, 4
  plan.evalWindows = 1;
  plan.bitnetTwins = true;
  qid::train::SuiteInputs in;
  in.corpusFiles = {dir / "corpus.txt"};
  qid::train::trainSuite(plan, in, dir / "suite");
  const ReproduceSettings s = parseReproduceSettings(
      nlohmann::json::parse(R"({"methods": [{"method": "rtn", "bits": [2, 3]}], "fit": {"method": "rtn"},
                               "eval": {"windows": 5}})"),
      "test");
  const qid::jobs::SweepPlan p = suiteSweepPlan(dir / "suite", plan, s);
  EXPECT_EQ(p.name, "reproduce-sw");
  ASSERT_EQ(p.models.size(), 8u);  // 2 sizes x 4 checkpoints; the BitNet twins are not swept
  for (const auto& m : p.models) {
    EXPECT_TRUE(m.name == "a" || m.name == "b") << m.name;
    ASSERT_TRUE(m.step && m.D && m.lr);
    EXPECT_DOUBLE_EQ(*m.D, static_cast<double>(*m.step * 32));
    EXPECT_EQ(m.revision, "step" + std::to_string(*m.step));
    EXPECT_DOUBLE_EQ(*m.lr, plan.schedule().lrAt(*m.step));
    EXPECT_TRUE(fs::path(m.path).is_absolute());
  }
  EXPECT_EQ(p.eval.seqlen, 16);
  EXPECT_EQ(p.eval.windows, 5);
  EXPECT_EQ(fs::path(p.calib.path).filename(), "calib.txt");
  EXPECT_EQ(p.calib.seqlen, 16);
  EXPECT_EQ(qid::jobs::expandPlan(p).size(), 16u);
  fs::remove(dir / "suite" / "calib.txt");
  EXPECT_THROW(suiteSweepPlan(dir / "suite", plan, s), qid::Error);
}
