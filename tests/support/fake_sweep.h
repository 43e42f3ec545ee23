#pragma once
// A project filled the way a real sweep fills it, in a fraction of a second:
// tiny checkpoint folders (tiny_checkpoint.h) of several sizes and steps, a
// plan over them, and the FakeCellRunner, whose losses follow the paper's
// unified law (k = 0.017 for rtn, 0.8 x that for gptq; alpha 0.2261, beta
// 0.5251, gamma 5.4967) plus seeded per-window noise.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "jobs/fake_cell_runner.h"
#include "jobs/sweep.h"
#include "store/project.h"
#include "support/tiny_checkpoint.h"
#include "test_support.h"

namespace qid::test {

struct FakeSweepSpec {
  std::vector<int> hidden{32, 64, 128, 256};  // N = 12 * 2 layers * hidden^2
  std::vector<int> steps{1000, 4000, 16000, 64000};
  nlohmann::json methods = nlohmann::json::array(
      {{{"method", "gptq"}, {"bits", {2, 3, 4}}, {"group", 128}, {"options", {{"damp", 0.1}}}},
       {{"method", "rtn"}, {"bits", {3}}, {"group", 128}}});
  int windows = 32;
};

// Writes the checkpoints under root/ckpt and the plan, and runs the sweep into
// the project file. Returns the number of cells that finished.
inline int runFakeSweep(const std::filesystem::path& projectFile, const std::filesystem::path& root,
                        const FakeSweepSpec& spec = {}) {
  nlohmann::json models = nlohmann::json::array();
  std::uint32_t seed = 1;
  for (int h : spec.hidden)
    for (int step : spec.steps) {
      auto dir = root / "ckpt" / (std::string("h") + std::to_string(h)) / (std::string("step") + std::to_string(step));
      std::filesystem::create_directories(dir);
      writeFile(dir / "config.json", tinyConfigJson(h, 2));
      writeFile(dir / "model.safetensors", tinySafetensors(seed++, 256));
      models.push_back({{"path", std::filesystem::relative(dir, root).string()},
                        {"name", std::string("tiny-h").append(std::to_string(h))},
                        {"step", step}});
    }
  writeFile(root / "eval.txt", "evaluation text for the fake runner\n");
  nlohmann::json plan{{"name", "fake-paper"},
                      {"models", models},
                      {"methods", spec.methods},
                      {"eval", {{"path", "eval.txt"}, {"seqlen", 64}, {"windows", spec.windows}}}};
  store::Project project(projectFile);
  jobs::FakeCellRunner runner;
  jobs::SweepOptions options;
  options.bootstrapResamples = 200;
  auto summary = jobs::Sweep(project, jobs::SweepPlan::parse(plan, root), runner, options).run();
  return summary.finished;
}

}  // namespace qid::test
