#pragma once
// The laws of the paper fitted to a sweep's measurements (the science itself
// lives in core/laws; this picks the points and names the results):
//
//   tokens    ouyang-tokens   k·D^β         all sizes and bits pooled
//   size      ouyang-size     k/N^α         all checkpoints and bits pooled
//   bits      ouyang-bits     k/P^γ         all sizes and checkpoints pooled
//   unified   ouyang-unified  k·D^β/(N^α·P^γ)
//   perbit    ouyang-perbit   k_P·D^β_P/N^α_P
//   kumar2024 kumar2024       C·D^gD/N^gN·exp(−P/gpost)
//
// each on the measurements of one method (GPTQ, as the paper), plus the
// unified law for every other method swept, and the tokens exponent of each
// size × bit width on its own (does every model show the trend?).
//
// Pooling is sound for the per-factor laws because a micro-suite is a
// balanced design: every size has checkpoints at the same D and every
// checkpoint is quantized at the same bit widths, so in log space the other
// factors are orthogonal to the one fitted and the pooled exponent equals the
// exponent of a fit with one intercept per group. Only the prefactor k is an
// average, and the CIs are wider (conservative). Points are left out when
// D = 0, the step is below minStep, or ΔqLoss <= 0 (a log-space fit cannot
// take them; the counts are reported).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/progress.h"
#include "laws/law_fit.h"
#include "store/records.h"

namespace qid::study {

struct StudyFitOptions {
  std::string method = "gptq";
  std::int64_t minStep = 1;
  int bootstrap = 1000;
  std::uint64_t seed = 20250;
  ProgressFn progress;  // stage "fit", done/total in fits
};

struct PointSelection {
  int available = 0;         // measurements of the method
  int used = 0;
  int droppedEarly = 0;      // D = 0 or step < minStep
  int droppedNonPositive = 0;  // ΔqLoss <= 0
};

struct LawFit {
  std::string key;       // "unified", "tokens", ...
  std::string family;    // "ouyang-unified", ...
  std::string paper;     // the bundled preset with the paper's constants
  std::string method;    // the measurements' method
  PointSelection points;
  std::optional<laws::FitResult> fit;  // absent when it could not be fitted
  std::string error;                   // why not
};

// The tokens exponent β of one size at one bit width.
struct TokensSlice {
  std::string method, model;
  double N = 0;
  int bits = 0;
  int points = 0;
  std::optional<double> beta, lo, hi;
  std::string error;
};

struct StudyFits {
  StudyFitOptions options;
  std::vector<LawFit> laws;                 // the six laws on options.method
  std::vector<LawFit> unifiedByMethod;      // the unified law for each method swept
  std::vector<TokensSlice> tokensSlices;
  const LawFit* find(const std::string& key) const;
};

StudyFits fitStudyLaws(const std::vector<store::Measurement>& measurements, const StudyFitOptions& options);

// {"laws": {key: fit JSON (fit_result_json.h) + "paper", "points", "method",
// "selection"}, "unified_by_method": {method: ...}, "tokens_slices": [...]}.
nlohmann::json toJson(const StudyFits& fits);
nlohmann::json toJson(const LawFit& fit);

}  // namespace qid::study
