#include "study/reproduce_settings.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "model/model_config.h"
#include "train/suite.h"

using namespace qid::study;
using nlohmann::json;

TEST(ReproduceSettings, EveryBundledPresetHasSoundSettings) {
  for (const auto& name : qid::train::suitePresetNames()) {
    const auto plan = qid::train::loadSuitePlan(name);
    const ReproduceSettings s = parseReproduceSettings(plan.extra, name);
    const auto methods = s.methodNames();
    EXPECT_NE(std::find(methods.begin(), methods.end(), "rtn"), methods.end()) << name;
    EXPECT_NE(std::find(methods.begin(), methods.end(), "gptq"), methods.end()) << name;
    EXPECT_EQ(s.bitsOf("gptq"), (std::vector<int>{2, 3, 4})) << name;
    const bool small = name == "tiny" || name == "quick";
    // NF4 and AWQ only outside --quick and --tiny.
    EXPECT_EQ(std::find(methods.begin(), methods.end(), "nf4") != methods.end(), !small) << name;
    EXPECT_EQ(std::find(methods.begin(), methods.end(), "awq") != methods.end(), !small) << name;
    EXPECT_EQ(s.fitMethod, "gptq") << name;
  }
}

TEST(ReproduceSettings, QuickSpansOverToUnderTrained) {
  const auto plan = qid::train::loadSuitePlan("quick");
  ASSERT_EQ(plan.sizes.size(), 3u);
  const double D = static_cast<double>(plan.totalSteps * plan.tokensPerStep());
  auto tokensPerParam = [&](const qid::train::SuiteSize& s) {
    return D / static_cast<double>(qid::model::countParameters(plan.modelConfig(s, 257)).nonEmbedding);
  };
  EXPECT_GT(tokensPerParam(plan.sizes.front()), 60.0);  // clearly over-trained (3x Chinchilla's 20)
  EXPECT_LT(tokensPerParam(plan.sizes.back()), 20.0 / 3);  // clearly under-trained
}

TEST(ReproduceSettings, DefaultsAndBadBlocks) {
  const ReproduceSettings d = parseReproduceSettings(json::object(), "x.json");
  EXPECT_EQ(d.methodNames(), (std::vector<std::string>{"rtn", "gptq", "nf4", "awq"}));
  EXPECT_EQ(d.bitsOf("nf4"), (std::vector<int>{4}));
  EXPECT_EQ(d.fitMinStep, 1);
  const ReproduceSettings r = parseReproduceSettings(
      json::parse(R"({"methods": [{"method": "rtn", "bits": 3}], "fit": {"method": "rtn", "min_step": 8},
                      "eval": {"windows": 10}, "fluctuation": {"bits": [2]}})"),
      "x.json");
  EXPECT_EQ(r.bitsOf("rtn"), (std::vector<int>{3}));
  EXPECT_EQ(r.fitMinStep, 8);
  EXPECT_EQ(r.evalWindows, 10);
  EXPECT_EQ(r.fluctuationBits, (std::vector<int>{2}));
  EXPECT_EQ(parseReproduceSettings(toJson(r), "round trip").methods, r.methods);
  for (const char* bad : {R"({"methods": []})", R"({"methods": [{"bits": [2]}]})", R"({"eval": 3})",
                          R"({"eval": {"windows": "all"}})", R"({"fit": {"method": "fp4"}})",
                          R"({"calibration": {"samples": 0}})", R"({"fluctuation": {"bits": []}})", R"([])"}) {
    try {
      parseReproduceSettings(json::parse(bad), "plan.json");
      ADD_FAILURE() << bad;
    } catch (const qid::Error& e) {
      EXPECT_NE(std::string(e.what()).find("plan.json"), std::string::npos) << e.what();
    }
  }
}
