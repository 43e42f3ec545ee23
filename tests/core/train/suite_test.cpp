#include "train/suite.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "model/tokenizer.h"
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
  // Byte-level tokens by default: 256 bytes plus <|endoftext|>, and every checkpoint carries the tokenizer.
  const auto tok = qid::model::Tokenizer::fromFile(dir / "suite" / "tokenizer.json");
  EXPECT_LE(tok.vocabSize(), 260u);
  for (const auto& run : r.runs)
    for (const auto& c : run.result.checkpoints)
      EXPECT_EQ(qid::test::readFile(c.dir / "tokenizer.json"), qid::test::readFile(dir / "suite" / "tokenizer.json"));
  // The calibration slice is the start of the training text, whole lines.
  const std::string calib = qid::test::readFile(dir / "suite" / "calib.txt");
  EXPECT_FALSE(calib.empty());
  EXPECT_EQ(calib.back(), '\n');
  EXPECT_EQ(r.calibText, dir / "suite" / "calib.txt");
  EXPECT_EQ(toJson(readSuitePlan(dir / "suite")), toJson(plan));
}

TEST(Suite, CalibrationSliceEndsOnALineOrCharacterBoundary) {
  EXPECT_EQ(calibrationSlice("ab\ncd\nef", 100), "ab\ncd\nef");
  EXPECT_EQ(calibrationSlice("ab\ncd\nef", 6), "ab\ncd\n");
  EXPECT_EQ(calibrationSlice("ab\ncd\nef", 5), "ab\n");
  // One long line: cut before a multi-byte character, never inside it.
  EXPECT_EQ(calibrationSlice("aa\xc3\xa9" "bb", 3), "aa");
  EXPECT_EQ(calibrationSlice("aa\xc3\xa9" "bb", 4), "aa\xc3\xa9");
}

TEST(Suite, AnyTokenizerJsonMayReplaceByteLevelTokens) {
  QID_REQUIRE_SHARED(tokenizer, "tokenizers/gpt-neox-20b.tokenizer.json");
  qid::test::TempDir dir;
  std::string text;
  for (int i = 0; i < 400; ++i) text += "And it came to pass in verse " + std::to_string(i % 97) + ".\n";
  qid::test::writeFile(dir / "corpus.txt", text);
  SuitePlan plan;
  plan.sizes = {{"a", 1, 16, 1}};
  plan.seqLen = 16;
  plan.batchSize = 2;
  plan.totalSteps = 2;
  plan.checkpointInterval = 2;
  plan.evalWindows = 1;
  SuiteInputs in;
  in.corpusFiles = {dir / "corpus.txt"};
  in.tokenizerJson = tokenizer;
  const SuiteResult r = trainSuite(plan, in, dir / "suite");
  EXPECT_LT(static_cast<std::size_t>(r.trainTokens + r.evalTokens), text.size() / 2);  // BPE, not bytes
  const auto config = qid::model::loadModelConfig(r.runs[0].result.checkpoints.back().dir);
  EXPECT_GE(config.vocabSize, 50254);
  EXPECT_EQ(qid::test::readFile(dir / "suite" / "tokenizer.json"), qid::test::readFile(tokenizer));
}
