#pragma once
// How `reproduce` sweeps, fits and measures a micro-suite: the "reproduce"
// block of a suite preset (resources/suites/*.json), read with defaults.
//
//   "reproduce": {
//     "methods": [ {"method": "rtn",  "bits": [2, 3, 4], "group": 32},
//                  {"method": "gptq", "bits": [2, 3, 4], "group": 32, "options": {"damp": 0.1}} ],
//     "eval": {"seqlen": 64, "windows": 256},
//     "calibration": {"samples": 64, "seqlen": 64, "seed": 0},
//     "fit": {"method": "gptq", "min_step": 1, "bootstrap": 1000, "seed": 20250},
//     "fluctuation": {"method": "rtn", "bits": [2, 3, 4], "group": 32}
//   }
//
// "methods" follows the sweep plan format (jobs/sweep_plan.h). Without it:
// RTN and GPTQ at 2/3/4 bits, NF4 and AWQ at 4 bits (the tiny and quick
// presets list only RTN and GPTQ). The laws are fitted on fit.method, GPTQ
// as in the paper; fit.min_step leaves out the earliest checkpoints (D = 0
// always is: a power law cannot hold there).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace qid::study {

struct ReproduceSettings {
  nlohmann::json methods = nlohmann::json::array();  // sweep plan "methods"
  int evalSeqlen = 0;            // 0: the suite's training seq_len
  int evalWindows = 0;           // 0: every window of the held-out text
  int calibSamples = 64;
  int calibSeqlen = 0;           // 0: the eval seqlen
  std::uint64_t calibSeed = 0;
  std::string fitMethod = "gptq";
  std::int64_t fitMinStep = 1;
  int bootstrap = 1000;
  std::uint64_t bootstrapSeed = 20250;
  std::string fluctuationMethod = "rtn";
  std::vector<int> fluctuationBits{2, 3, 4};
  int fluctuationGroup = -1;

  // The methods named in `methods`, in order, each once.
  std::vector<std::string> methodNames() const;
  // The bit widths named for `method` (sorted, unique).
  std::vector<int> bitsOf(const std::string& method) const;
};

// Reads the block (an empty object gives the defaults). Throws qid::Error
// naming `where` and the field for a bad value.
ReproduceSettings parseReproduceSettings(const nlohmann::json& block, const std::string& where);
nlohmann::json toJson(const ReproduceSettings& s);

}  // namespace qid::study
