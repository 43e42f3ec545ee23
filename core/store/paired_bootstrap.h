#pragma once
// Uncertainty of ΔqLoss from per-window NLLs. The 16-bit and the quantized run
// score the same windows, so the right uncertainty is that of the per-window
// difference (paired): it cancels the window-to-window variation of the text,
// which dominates the separate uncertainties of the two losses.
#include <cstdint>
#include <vector>

namespace qid::store {

struct DeltaInterval {
  double delta = 0;   // mean over windows of (nllq - nll16)
  double stderr_ = 0; // standard error of that mean (paired)
  double lo = 0, hi = 0;
  int windows = 0;
  int resamples = 0;
};

// Percentile bootstrap over windows, resampling window indices jointly for both
// runs. Deterministic for a seed. Throws qid::Error when the vectors differ in
// length or are empty.
DeltaInterval pairedBootstrap(const std::vector<float>& nll16, const std::vector<float>& nllq,
                              int resamples = 2000, std::uint64_t seed = 0, double level = 0.95);

// The same interval when the two runs are treated as independent samples
// (each resampled on its own): what one gets from two separate error bars.
DeltaInterval unpairedBootstrap(const std::vector<float>& nll16, const std::vector<float>& nllq,
                                int resamples = 2000, std::uint64_t seed = 0, double level = 0.95);

}  // namespace qid::store
