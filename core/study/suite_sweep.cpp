#include "study/suite_sweep.h"

#include "common/error.h"
#include "train/checkpoint_meta.h"

namespace qid::study {

namespace fs = std::filesystem;
using nlohmann::json;

std::string suiteSweepName(const train::SuitePlan& plan) { return "reproduce-" + plan.name; }

json suiteSweepPlanJson(const fs::path& suiteDir, const train::SuitePlan& plan, const ReproduceSettings& s) {
  const fs::path evalText = suiteDir / train::kSuiteEvalFile;
  const fs::path calibText = suiteDir / train::kSuiteCalibFile;
  for (const auto& f : {evalText, calibText})
    if (!fs::is_regular_file(f))
      throw Error(suiteDir.string() + " is not a trained micro-suite: " + f.filename().string() + " is missing");
  json models = json::array();
  for (const auto& runDir : train::listSuiteRuns(suiteDir)) {
    for (const auto& c : train::listRunCheckpoints(runDir)) {
      if (c.meta.bitnet) continue;
      models.push_back({{"path", fs::absolute(c.dir).string()},
                        {"name", c.meta.run.empty() ? runDir.filename().string() : c.meta.run},
                        {"revision", train::stepFolderName(c.meta.step)},
                        {"step", c.meta.step},
                        {"D", static_cast<double>(c.meta.tokensSeen)},
                        {"lr", c.meta.learningRate}});
    }
  }
  if (models.empty()) throw Error(suiteDir.string() + " holds no 16-bit checkpoints to sweep");
  const int seqlen = s.evalSeqlen > 0 ? s.evalSeqlen : static_cast<int>(plan.seqLen);
  return {{"name", suiteSweepName(plan)},
          {"models", models},
          {"methods", s.methods},
          {"eval", {{"path", fs::absolute(evalText).string()}, {"seqlen", seqlen}, {"windows", s.evalWindows}}},
          {"calibration",
           {{"path", fs::absolute(calibText).string()},
            {"samples", s.calibSamples},
            {"seqlen", s.calibSeqlen > 0 ? s.calibSeqlen : seqlen},
            {"seed", s.calibSeed}}},
          {"dtype", "float32"},
          {"tokens_per_step", static_cast<double>(plan.tokensPerStep())}};
}

jobs::SweepPlan suiteSweepPlan(const fs::path& suiteDir, const train::SuitePlan& plan, const ReproduceSettings& s) {
  return jobs::SweepPlan::parse(suiteSweepPlanJson(suiteDir, plan, s), fs::absolute(suiteDir),
                                (suiteDir / "suite.json").string());
}

}  // namespace qid::study
