#pragma once
// The real CellRunner: loads a cell's checkpoint folder (core/model), tokenizes
// the eval and calibration text with the checkpoint's own tokenizer.json
// (cached per text and tokenizer within the process, token_cache.h), cuts the
// evaluation windows per cell.eval: its recipe (eval/recipe.h: "gptq-paper",
// the default, "llamacpp", "lm-eval-rolling"), seqlen, and the first
// `windows` of them or all; the same windows `qidlab-cli eval --recipe`
// scores. Then
//   baseline(): evaluates the 16-bit model once per checkpoint;
//   quantize(): quantizes a fresh copy with the cell's method and scores it
//               on the same windows against the stored baseline
//               (quant::quantizeAndEvaluate), checking that the windows agree.
// The cell's dtype and the worker's device (ctx.device: "cpu", "cuda:0") are
// honoured; progress goes to ctx.progress (stages "tokenize", "load", "eval",
// "quantize") and a false return cancels. Out-of-memory errors of libtorch
// become jobs::OutOfMemory, so the sweep retries with ctx.batchDivisor raised;
// every other failure is a qid::Error naming the file or setting at fault.
//
// Method options (the plan's "options" object): sym, damp, act_order,
// static_groups, block_size (GPTQ); awq_grid, awq_clip (AWQ); int8_threshold.
#include <cstdint>
#include <string>

#include "jobs/cell_runner.h"

namespace qid::jobs {

struct QuantCellRunnerOptions {
  std::int64_t batch = 0;   // windows per forward; 0 = choose automatically
  bool calibOnCpu = false;
};

class QuantCellRunner : public CellRunner {
 public:
  explicit QuantCellRunner(QuantCellRunnerOptions options = {});
  std::string name() const override { return "quant"; }
  BaselineOutcome baseline(const CellSpec& cell, const RunContext& ctx) override;
  QuantOutcome quantize(const CellSpec& cell, const store::Baseline& baseline, const RunContext& ctx) override;

 private:
  QuantCellRunnerOptions options_;
};

}  // namespace qid::jobs
