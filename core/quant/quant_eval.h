#pragma once
// One measurement: quantize a model and evaluate it on the same windows as
// its 16-bit baseline. ΔqLoss = lossq - loss16, with the standard error of the
// per-window difference (paired, so most text difficulty cancels). This is
// the function a sweep calls once per cell; the sweep may pass a baseline it
// computed once per checkpoint.
#include <cstdint>
#include <optional>
#include <vector>

#include "eval/loss_eval.h"
#include "eval/windows.h"
#include "quant/pipeline.h"

namespace qid::model {
class CausalLM;
}

namespace qid::quant {

struct QuantEvalOptions {
  PipelineOptions pipeline;   // method, bits, calibration, progress (stage "quantize")
  eval::EvalOptions eval;     // batch, progress (stage "eval")
  // Also measure the KL divergence of the quantized model from the 16-bit
  // one (eval/pair_eval.h): a copy of the 16-bit model is kept (twice the
  // weight memory) and both run on every batch; their logits are compared
  // chunk by chunk, never stored. Without a precomputed baseline this one
  // pass also gives the 16-bit loss, so it costs no extra evaluation.
  bool klDivergence = false;
};

struct QuantEvalResult {
  double loss16 = 0;          // mean NLL (nats/token) of the unquantized model
  double lossq = 0;           // mean NLL of the quantized model, same windows
  double deltaQLoss = 0;      // lossq - loss16
  double deltaStderr = 0;     // standard error of the mean per-window difference
  std::int64_t tokenCount = 0;
  std::int64_t windowCount = 0;
  std::vector<double> windowNll16;
  std::vector<double> windowNllQ;
  std::vector<LayerRecord> layers;
  std::vector<eval::Window> calibrationWindows;
  double quantizeSeconds = 0;
  double evalSeconds = 0;     // both evaluations (the quantized one only, with a baseline)
  double wallSeconds = 0;
  eval::EvalResult baseline;  // the 16-bit evaluation (passed in or computed)
  eval::EvalResult quantized;
  // With QuantEvalOptions::klDivergence: KL(P_16 || P_q) in nats per scored
  // token, its standard error over windows, the per-window values and the
  // fraction of positions where both models pick the same top token.
  std::optional<double> klDivergence;
  double klStderr = 0;
  std::vector<double> windowKl;
  std::optional<double> topTokenAgreement;
};

// Quantizes `model` in place. baseline: a precomputed 16-bit evaluation on
// exactly these windows (checked: qid::Error when its window count or token
// counts differ), or nullptr to evaluate the model before quantizing it.
QuantEvalResult quantizeAndEvaluate(model::CausalLM& model,
                                    const std::vector<std::uint32_t>& calibTokens,
                                    const std::vector<std::uint32_t>& evalTokens,
                                    const std::vector<eval::Window>& evalWindows,
                                    const QuantEvalOptions& options,
                                    const eval::EvalResult* baseline = nullptr);

// The paired statistics on their own: mean of (q - base) per window weighted
// by scored tokens, and its standard error (sample sd / sqrt(windows)).
void pairedDelta(const eval::EvalResult& base, const eval::EvalResult& q, double& delta,
                 double& stderrOut);

}  // namespace qid::quant
