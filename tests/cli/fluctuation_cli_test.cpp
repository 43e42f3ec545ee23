// End-to-end tests of qidlab-cli fluctuation on a suite the test trains.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.h"

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

using qid::test::runCli;
using qid::test::TempDir;

namespace {

// A two-size suite of 8 steps (checkpoints 0, 1, 2, 4, 8) on a generated text.
void trainSuite(const TempDir& dir) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "And the word was verse " + std::to_string(i % 83) + ".\n";
  qid::test::writeFile(dir / "corpus.txt", text);
  const auto r = runCli("train --out " + (dir / "suite").string() + " --corpus " + (dir / "corpus.txt").string() +
                        " --size a:1x16x1 --size b:1x32x2 --steps 8 --seqlen 16 --batch 2 --checkpoint-every 4 --quiet");
  ASSERT_EQ(r.exitCode, 0) << r.err;
}

}  // namespace

TEST(FluctuationCli, TableJsonFileAndProject) {
  TempDir dir;
  trainSuite(dir);
  auto text = runCli("fluctuation --suite " + (dir / "suite").string() + " --bits 2,4 --quiet");
  ASSERT_EQ(text.exitCode, 0) << text.err;
  EXPECT_NE(text.out.find("ratio 2b"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("8 checkpoint pairs"), std::string::npos) << text.out;

  auto js = runCli("fluctuation --suite " + (dir / "suite").string() + " --bits 3 --json --out " +
                   (dir / "f.json").string() + " --project " + (dir / "p.qidlab").string());
  ASSERT_EQ(js.exitCode, 0) << js.err;
  const auto j = nlohmann::json::parse(js.out);
  ASSERT_EQ(j["checkpoints"].size(), 8u);  // 2 runs x 4 pairs
  const auto& c = j["checkpoints"][0];
  EXPECT_EQ(c["bits"][0]["bits"], 3);
  for (const char* k : {"min", "p05", "q1", "median", "q3", "p95", "max", "mean"}) {
    EXPECT_TRUE(c["movement"][k].is_number()) << k;
    EXPECT_TRUE(c["bits"][0]["push"][k].is_number()) << k;
  }
  EXPECT_LE(c["movement"]["min"].get<double>(), c["movement"]["p05"].get<double>());
  EXPECT_LE(c["movement"]["p95"].get<double>(), c["movement"]["max"].get<double>());
  EXPECT_EQ(c["linears"].size(), 4u);  // one block: qkv, dense, h_to_4h, 4h_to_h
  EXPECT_EQ(j["project"]["rows_written"], 8);
  EXPECT_EQ(nlohmann::json::parse(qid::test::readFile(dir / "f.json")), j);
}

TEST(FluctuationCli, BadInputIsOneLine) {
  TempDir dir;
  auto missing = runCli("fluctuation --suite " + (dir / "nothing").string());
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_NE(missing.err.find("nothing"), std::string::npos) << missing.err;
  trainSuite(dir);
  auto gptq = runCli("fluctuation --suite " + (dir / "suite").string() + " --method gptq");
  EXPECT_EQ(gptq.exitCode, 1);
  EXPECT_NE(gptq.err.find("data-free"), std::string::npos) << gptq.err;
  auto bits = runCli("fluctuation --suite " + (dir / "suite").string() + " --bits 2,x");
  EXPECT_EQ(bits.exitCode, 1);
  EXPECT_NE(bits.err.find("--bits"), std::string::npos) << bits.err;
}
