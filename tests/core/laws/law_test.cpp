#include <gtest/gtest.h>

#include <cmath>

#include "common/error.h"
#include "laws/law.h"
#include "laws/law_predict.h"
#include "test_support.h"

using namespace qid::laws;

TEST(LawPresets, AllBundledPresetsLoadWithCitations) {
  auto names = presetNames();
  for (const char* want : {"ouyang2025-unified", "ouyang2025-tokens", "ouyang2025-size",
                           "ouyang2025-bits", "ouyang2025-loss16", "kumar2024-ptq"})
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  for (const auto& n : names) {
    Law law = loadLaw(n);
    EXPECT_EQ(law.name, n);
    EXPECT_FALSE(law.citation.empty()) << n;
    EXPECT_EQ(law.params.size(), law.family->paramNames().size()) << n;
  }
}

TEST(LawPresets, UnifiedGivesFigure1NumbersFor7B) {
  Law law = loadLaw("ouyang2025-unified");
  EXPECT_NEAR(law.evaluate({{"N", 7e9}, {"D", 1e14}, {"P", 2}}), 50.26, 0.005);
  EXPECT_NEAR(law.evaluate({{"N", 7e9}, {"D", 1e14}, {"P", 3}}), 5.411, 0.0005);
  EXPECT_NEAR(law.evaluate({{"N", 7e9}, {"D", 1e14}, {"bits", 4}}), 1.113, 0.0005);
}

TEST(LawPresets, PerFactorPrefactorsAreUnknownSoEvaluationFailsClearly) {
  Law law = loadLaw("ouyang2025-tokens");
  EXPECT_FALSE(law.complete());
  EXPECT_NEAR(*law.param("beta"), 0.5316, 1e-12);
  EXPECT_FALSE(law.param("k").has_value());
  EXPECT_THROW(law.evaluate({{"D", 1e12}}), qid::Error);
}

TEST(LawInverse, ClosedFormRoundTripsForEveryCompletePreset) {
  for (const auto& n : presetNames()) {
    Law law = loadLaw(n);
    if (!law.complete()) continue;
    Vars at{{"N", 7e9}, {"D", 3e12}, {"P", 3}};
    double y = law.evaluate(at);
    double d = law.inverse(y, at);
    EXPECT_NEAR(d / 3e12, 1.0, 1e-9) << n;
  }
}

TEST(LawInverse, RootFindMatchesClosedForm) {
  Law law = loadLaw("ouyang2025-unified");
  nlohmann::json j = law.toJson();
  j["family"] = "formula";
  j["expression"] = "k*D^beta/(N^alpha*P^gamma)";
  j["variables"] = {"N", "D", "P"};
  j["param_names"] = {"k", "alpha", "beta", "gamma"};
  Law f = Law::fromJson(j, "test");
  Vars at{{"N", 70e9}, {"P", 4}};
  EXPECT_NEAR(f.inverse(0.3, at) / law.inverse(0.3, at), 1.0, 1e-9);
}

TEST(LawInverse, UnreachableTargetThrows) {
  Law l16 = loadLaw("ouyang2025-loss16");
  // The loss never falls below the N term alone.
  EXPECT_THROW(l16.inverse(0.5, {{"N", 7e9}}), qid::Error);
}

TEST(LawJson, RoundTripsThroughAFile) {
  qid::test::TempDir tmp;
  Law law = loadLaw("kumar2024-ptq");
  law.stderrs = {0.01, 0.02, 0.03, 0.04};
  law.samples = {{0.06, 0.5, 0.34, 0.6}, {0.05, 0.5, 0.34, 0.6}};
  std::string path = (tmp / "k.json").string();
  saveLaw(law, path);
  Law back = loadLaw(path);
  EXPECT_EQ(back.family->name(), "kumar2024");
  EXPECT_EQ(back.params, law.params);
  EXPECT_EQ(back.stderrs, law.stderrs);
  EXPECT_EQ(back.samples.size(), 2u);
  EXPECT_EQ(back.source, path);
}

TEST(LawJson, BadFilesNameTheProblem) {
  qid::test::TempDir tmp;
  auto expectError = [&](const std::string& content, const std::string& needle) {
    std::string path = (tmp / "bad.json").string();
    qid::test::writeFile(path, content);
    try {
      loadLaw(path);
      ADD_FAILURE() << "no error for " << content;
    } catch (const qid::Error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("bad.json"), std::string::npos) << e.what();
    }
  };
  expectError("{", "not valid JSON");
  expectError(R"({"params": {}})", "family");
  expectError(R"({"family": "nope", "params": {}})", "unknown law family 'nope'");
  expectError(R"({"family": "ouyang-tokens", "params": {"k": 1}})", "'beta' is missing");
  expectError(R"({"family": "ouyang-tokens", "params": {"k": 1, "beta": 1, "x": 2}})", "'x'");
  EXPECT_THROW(loadLaw("no-such-law"), qid::Error);
}

TEST(LawPredict, GridPairsLoss16AndFlagsWorseThanRandom) {
  Law law = loadLaw("ouyang2025-unified");
  auto preds = predictGrid(law, {7e9, 70e9, 405e9}, {1e14}, {2, 3, 4});
  ASSERT_EQ(preds.size(), 9u);
  for (const auto& p : preds) {
    ASSERT_TRUE(p.loss16 && p.lossq);
    EXPECT_NEAR(*p.lossq, *p.loss16 + p.value, 1e-12);
    EXPECT_EQ(p.worseThanRandom, *p.lossq > std::log(50304.0));
    EXPECT_FALSE(p.warnings.empty());  // 1e14 tokens is far beyond Pythia's 3e11
  }
  EXPECT_TRUE(preds[0].worseThanRandom);   // 7B at 2 bits: 50 nats
  EXPECT_FALSE(preds[2].worseThanRandom);  // 7B at 4 bits
}

TEST(LawPredict, ExtrapolationWarningStatesTheFactor) {
  Law law = loadLaw("ouyang2025-unified");
  auto w = extrapolationWarnings(law, {{"N", 1e9}, {"D", 1e11}}, 2.0);
  EXPECT_TRUE(w.empty());
  w = extrapolationWarnings(law, {{"N", 1e9}, {"D", 1e14}}, 2.0);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("333x"), std::string::npos) << w[0];
}
