#pragma once
// A tiny plan on disk (plan.json with relative paths, 12 cells) and helpers
// that stand in for finished array tasks by running their shards locally.
#include <filesystem>
#include <string>

#include "core/jobs/sweep_fixture.h"
#include "jobs/fake_cell_runner.h"
#include "jobs/sweep.h"
#include "store/project.h"
#include "test_support.h"

namespace qid::test {

// Writes ROOT/plan/plan.json (12 cells) and returns its path.
inline std::filesystem::path writeTinyPlanFile(const std::filesystem::path& root, const std::string& name = "tiny") {
  auto dir = root / "plan";
  std::filesystem::create_directories(dir);
  auto plan = tinyPlan(dir, name);
  writeFile(dir / "plan.json", plan.dump(2));
  return dir / "plan.json";
}

// What array task `index` of `n` does: its shard, in a scratch project,
// writing result files into resultsDir.
inline jobs::SweepSummary runShardLocally(const std::filesystem::path& planFile, const std::filesystem::path& resultsDir,
                                          int index, int n, const std::filesystem::path& scratchDir) {
  store::Project scratch(scratchDir / ("task" + std::to_string(index) + ".qidlab"));
  jobs::FakeCellRunner runner;
  jobs::SweepOptions o;
  o.shard = std::to_string(index) + "/" + std::to_string(n);
  o.resultsDir = resultsDir;
  jobs::Sweep sweep(scratch, jobs::SweepPlan::load(planFile), runner, o);
  return sweep.run();
}

}  // namespace qid::test
