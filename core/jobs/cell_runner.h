#pragma once
// The seam between the sweep machinery and the science: a CellRunner computes
// a checkpoint's 16-bit baseline once and then each quantized cell against it.
// The real one wraps the quantization pipeline (quant_cell_runner.h); tests use
// FakeCellRunner. Runners throw qid::Error for bad input (the cell fails with
// that message) and OutOfMemory when the device ran out of memory (the sweep
// retries the cell with a smaller batch).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/progress.h"
#include "jobs/sweep_plan.h"
#include "store/records.h"

namespace qid::jobs {

class OutOfMemory : public Error {
 public:
  explicit OutOfMemory(const std::string& message) : Error(message) {}
};

struct RunContext {
  std::string device = "cpu";
  int batchDivisor = 1;  // 1, 2, 4, ...: divide the runner's batch by this (OOM retries)
  ProgressFn progress;
};

struct BaselineOutcome {
  double loss16 = 0;
  std::optional<double> stderr_;
  std::int64_t tokenCount = 0;
  std::vector<float> windowNll;  // mean NLL per window
  double wallTimeS = 0;
  std::optional<double> N, Ntotal;
};

struct QuantOutcome {
  double lossq = 0;
  std::optional<double> stderr_;  // of the per-window difference, when the runner has it
  std::int64_t tokenCount = 0;
  std::vector<float> windowNllq;  // same windows as the baseline
  nlohmann::json perLayer = nlohmann::json::array();
  nlohmann::json details = nlohmann::json::object();  // extra provenance (damp raises, ...)
  double wallTimeS = 0;
  std::optional<double> N, Ntotal;
};

class CellRunner {
 public:
  virtual ~CellRunner() = default;
  virtual std::string name() const = 0;
  virtual BaselineOutcome baseline(const CellSpec& cell, const RunContext& ctx) = 0;
  virtual QuantOutcome quantize(const CellSpec& cell, const store::Baseline& baseline, const RunContext& ctx) = 0;
};

}  // namespace qid::jobs
