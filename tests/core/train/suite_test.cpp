#include "train/suite.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "test_support.h"

using namespace qid::train;
namespace fs = std::filesystem;

TEST(Suite, PresetsParseAndBadPlansAreNamed) {
  const auto names = suitePresetNames();
  EXPECT_NE(std::find(names.begin(), names.end(), "quick"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "tiny"), names.end());
  for (const auto& n : names) {
    const SuitePlan p = loadSuitePlan(n);
    EXPECT_FALSE(p.sizes.empty()) << n;
  }
  const SuitePlan quick = loadSuitePlan("quick");
  EXPECT_EQ(quick.sizes.size(), 3u);
  EXPECT_THROW(loadSuitePlan("no-such-preset"), qid::Error);
  EXPECT_THROW(parseSuitePlan(nlohmann::json{{"sizes", nlohmann::json::array()}}, "x.json"), qid::Error);
  EXPECT_THROW(parseSuitePlan(nlohmann::json::parse(R"({"sizes":[{"name":"a","layers":1,"hidden":30,"heads":4}]})"),
                              "x.json"),
               qid::Error);
  // The plan survives a JSON round trip.
  const SuitePlan again = parseSuitePlan(toJson(quick), "round trip");
  EXPECT_EQ(toJson(again), toJson(quick));
}

TEST(Suite, TrainsEverySizeOnTheSameDataWithAHeldOutText) {
  qid::test::TempDir dir;
  std::string text;
  for (int i = 0; i < 3000; ++i) text += "And it came to pass in verse " + std::to_string(i % 97) + ".\n";
  qid::test::writeFile(dir / "corpus.txt", text);
  SuitePlan plan;
  plan.sizes = {{"a", 1, 16, 1}, {"b", 1, 32, 2}};
  plan.seqLen = 16;
  plan.batchSize = 2;
  plan.totalSteps = 4;
  plan.checkpointInterval = 2;
  plan.evalWindows = 1;
  plan.bitnetTwins = true;
  SuiteInputs in;
  in.corpusFiles = {dir / "corpus.txt"};
  const SuiteResult r = trainSuite(plan, in, dir / "suite");
  ASSERT_EQ(r.runs.size(), 4u);  // two sizes, each with a BitNet twin
  EXPECT_TRUE(fs::exists(dir / "suite" / "eval.txt"));
  EXPECT_TRUE(fs::exists(dir / "suite" / "tokenizer.json"));
  EXPECT_EQ(static_cast<std::size_t>(r.trainTokens + r.evalTokens), text.size());  // byte-level
  for (const auto& run : r.runs) {
    ASSERT_EQ(run.result.checkpoints.size(), 4u);  // steps 0, 1, 2, 4
    EXPECT_EQ(run.result.checkpoints.back().meta.tokensSeen, 4 * 32);
  }
  EXPECT_EQ(listSuiteRuns(dir / "suite").size(), 4u);
  EXPECT_EQ(toJson(readSuitePlan(dir / "suite")), toJson(plan));
}
