#include "hub/pythia_suite.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "support/tiny_checkpoint.h"
#include "test_support.h"

namespace qid::hub {
namespace {

TEST(PythiaSuite, NineSizesAndTheirRepos) {
  ASSERT_EQ(pythiaSizes().size(), 9u);
  EXPECT_EQ(pythiaSizes().front().name, "14m");
  EXPECT_EQ(pythiaSizes().back().name, "12b");
  EXPECT_EQ(pythiaSizes()[3].layers, 24);
  EXPECT_EQ(pythiaRepo("410m", true), "EleutherAI/pythia-410m-deduped");
  EXPECT_EQ(pythiaRepo("1.4b", false), "EleutherAI/pythia-1.4b");
  EXPECT_THROW(pythiaRepo("7b", false), Error);
}

TEST(PythiaSuite, ScheduleHas154Steps) {
  const auto& s = pythiaSteps();
  ASSERT_EQ(s.size(), 154u);
  EXPECT_EQ(std::vector<std::int64_t>(s.begin(), s.begin() + 12),
            (std::vector<std::int64_t>{0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000}));
  EXPECT_EQ(s.back(), 143000);
  EXPECT_TRUE(isPythiaStep(64));
  EXPECT_FALSE(isPythiaStep(1500));
  EXPECT_FALSE(isPythiaStep(3));
}

TEST(PythiaSuite, TokensPerStep) {
  EXPECT_DOUBLE_EQ(pythiaTokens(1), 2097152.0);
  EXPECT_DOUBLE_EQ(pythiaTokens(143000), 299892736000.0);
  EXPECT_EQ(pythiaStepOfRevision("step1000"), 1000);
  EXPECT_EQ(pythiaStepOfRevision("main"), 143000);
  EXPECT_EQ(pythiaStepOfRevision("stepx"), std::nullopt);
  EXPECT_EQ(pythiaStepOfRevision("v1"), std::nullopt);
}

// Golden values: the non-embedding and total parameter counts of the Pythia
// paper (Biderman et al. 2023, Table 1) for 70M and 160M.
TEST(PythiaSuite, ParamsFromConfigMatchThePythiaPaper) {
  qid::test::TempDir tmp;
  qid::test::writeFile(tmp / "70m.json",
                       R"({"model_type":"gpt_neox","hidden_size":512,"num_hidden_layers":6,"intermediate_size":2048,"vocab_size":50304,"tie_word_embeddings":false})");
  auto p70 = paramsFromConfig(tmp / "70m.json");
  EXPECT_EQ(p70.nonEmbedding, 18915328);
  EXPECT_EQ(p70.total, 70426624);
  qid::test::writeFile(tmp / "160m.json",
                       R"({"model_type":"gpt_neox","hidden_size":768,"num_hidden_layers":12,"intermediate_size":3072,"vocab_size":50304})");
  auto p160 = paramsFromConfig(tmp / "160m.json");
  EXPECT_EQ(p160.nonEmbedding, 85056000);
  EXPECT_EQ(p160.total, 162322944);
}

TEST(PythiaSuite, ParamsFromBadConfigNameTheFile) {
  qid::test::TempDir tmp;
  qid::test::writeFile(tmp / "llama.json", R"({"model_type":"llama","hidden_size":8})");
  qid::test::writeFile(tmp / "broken.json", R"({"model_type":"gpt_neox","hidden_size":)");
  qid::test::writeFile(tmp / "short.json", R"({"model_type":"gpt_neox","hidden_size":8})");
  for (const char* f : {"llama.json", "broken.json", "short.json", "absent.json"}) {
    try {
      paramsFromConfig(tmp / f);
      ADD_FAILURE() << f;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(f), std::string::npos) << e.what();
    }
  }
}

TEST(HubSelector, StrideRangeExpandsToScheduledSteps) {
  auto c = expandSelector("suite:pythia-160m-deduped@step1000..step143000/8000");
  ASSERT_EQ(c.size(), 18u);  // 1000, 9000, ..., 137000
  EXPECT_EQ(c.front().repoId, "EleutherAI/pythia-160m-deduped");
  EXPECT_EQ(c.front().revision, "step1000");
  EXPECT_EQ(c[1].revision, "step9000");
  EXPECT_EQ(c.back().revision, "step137000");
  EXPECT_EQ(c.back().step, 137000);
  EXPECT_DOUBLE_EQ(c.back().tokens, 137000.0 * 2097152.0);
}

TEST(HubSelector, RangesListsAndDefaults) {
  auto early = expandSelector("suite:pythia-70m@0..512");
  ASSERT_EQ(early.size(), 11u);
  EXPECT_EQ(early[0].revision, "step0");
  EXPECT_EQ(early[10].revision, "step512");
  EXPECT_EQ(expandSelector("suite:pythia-70m").size(), 154u);
  auto list = expandSelector("suite:pythia-410m@step1,step1000,main,step1");
  ASSERT_EQ(list.size(), 3u);  // duplicates dropped
  EXPECT_EQ(list[2].revision, "main");
  EXPECT_EQ(list[2].step, 143000);
  auto sizes = expandSelector("suite:pythia-{70m,160m}-deduped@step143000");
  ASSERT_EQ(sizes.size(), 2u);
  EXPECT_EQ(sizes[1].repoId, "EleutherAI/pythia-160m-deduped");
  EXPECT_EQ(expandSelector("suite:pythia-*@main").size(), 9u);
}

TEST(HubSelector, HubSelectorsTakeAnyRepo) {
  auto c = expandSelector("hub:org/tiny@step1,v2");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].repoId, "org/tiny");
  EXPECT_EQ(c[0].step, 1);
  EXPECT_EQ(c[1].step, -1);
  EXPECT_EQ(expandSelector("hub:org/tiny")[0].revision, "main");
  EXPECT_TRUE(isHubSelector("suite:pythia-70m"));
  EXPECT_FALSE(isHubSelector("/models/pythia"));
}

TEST(HubSelector, BadSelectorsNameTheToken) {
  auto msg = [](const std::string& s) {
    try {
      expandSelector(s);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(msg("suite:pythia-7b@main").find("unknown Pythia size '7b'"), std::string::npos);
  EXPECT_NE(msg("suite:pythia-70m@step1500").find("step 1500 is not a Pythia checkpoint"), std::string::npos);
  EXPECT_NE(msg("suite:pythia-70m@stepX").find("'stepX' is not a step"), std::string::npos);
  EXPECT_NE(msg("suite:pythia-70m@2000..1000").find("runs backwards"), std::string::npos);
  EXPECT_NE(msg("suite:pythia-70m@1000..2000/0").find("stride"), std::string::npos);
  EXPECT_NE(msg("suite:pythia-70m@600..900").find("names no checkpoint"), std::string::npos);
  EXPECT_NE(msg("suite:pythia-70m@").find("nothing after '@'"), std::string::npos);
  EXPECT_NE(msg("suite:gpt2").find("expected suite:pythia-SIZE"), std::string::npos);
  EXPECT_NE(msg("hub:bad repo").find("invalid hub repo id"), std::string::npos);
  EXPECT_NE(msg("hub:org/x@1..2").find("take a list of revisions"), std::string::npos);
}

}  // namespace
}  // namespace qid::hub
