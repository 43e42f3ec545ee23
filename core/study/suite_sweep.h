#pragma once
// The sweep plan that quantizes every checkpoint of a trained micro-suite:
// each 16-bit run's checkpoints (BitNet twins are left out: they are trained
// ternary) with their exact step, D and learning rate, the reproduce
// methods, the suite's held-out text for evaluation and a slice of its
// training text for calibration.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "jobs/sweep_plan.h"
#include "study/reproduce_settings.h"
#include "train/suite.h"

namespace qid::study {

// The sweep plan's name for a suite ("reproduce-<suite name>").
std::string suiteSweepName(const train::SuitePlan& plan);

// The plan as JSON (what `qidlab-cli sweep --plan` reads) and parsed. Throws
// qid::Error when the suite folder has no checkpoints, no eval.txt or no
// calib.txt.
nlohmann::json suiteSweepPlanJson(const std::filesystem::path& suiteDir, const train::SuitePlan& plan,
                                  const ReproduceSettings& settings);
jobs::SweepPlan suiteSweepPlan(const std::filesystem::path& suiteDir, const train::SuitePlan& plan,
                               const ReproduceSettings& settings);

}  // namespace qid::study
