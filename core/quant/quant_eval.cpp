#include "quant/quant_eval.h"

#include <chrono>
#include <cmath>
#include <string>

#include "common/error.h"
#include "eval/pair_eval.h"
#include "model/causal_lm.h"

namespace qid::quant {

namespace {
using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}
}  // namespace

void pairedDelta(const eval::EvalResult& base, const eval::EvalResult& q, double& delta,
                 double& stderrOut) {
  const std::size_t n = q.windowNll.size();
  if (base.windowNll.size() != n || base.windowTokens != q.windowTokens)
    throw Error("the 16-bit baseline was evaluated on " + std::to_string(base.windowNll.size()) +
                " windows, the quantized model on " + std::to_string(n) +
                ": they must use identical windows");
  delta = q.meanNll - base.meanNll;
  stderrOut = 0;
  if (n < 2) return;
  double mean = 0;
  for (std::size_t i = 0; i < n; ++i) mean += q.windowNll[i] - base.windowNll[i];
  mean /= double(n);
  double ss = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = q.windowNll[i] - base.windowNll[i] - mean;
    ss += d * d;
  }
  stderrOut = std::sqrt(ss / double(n - 1) / double(n));
}

QuantEvalResult quantizeAndEvaluate(model::CausalLM& model,
                                    const std::vector<std::uint32_t>& calibTokens,
                                    const std::vector<std::uint32_t>& evalTokens,
                                    const std::vector<eval::Window>& evalWindows,
                                    const QuantEvalOptions& options,
                                    const eval::EvalResult* baseline) {
  const auto t0 = Clock::now();
  validate(options.pipeline.method);
  QuantEvalResult r;
  double evalSeconds = 0;
  if (baseline) {
    r.baseline = *baseline;
    if (std::size_t(r.baseline.windowCount) != evalWindows.size() ||
        r.baseline.windowTokens.size() != evalWindows.size())
      throw Error("the precomputed 16-bit baseline covers " +
                  std::to_string(r.baseline.windowCount) + " windows but " +
                  std::to_string(evalWindows.size()) + " are to be evaluated");
    for (std::size_t i = 0; i < evalWindows.size(); ++i)
      if (r.baseline.windowTokens[i] != evalWindows[i].scored())
        throw Error("the precomputed 16-bit baseline scored " +
                    std::to_string(r.baseline.windowTokens[i]) + " tokens in window " +
                    std::to_string(i) + ", these windows score " +
                    std::to_string(evalWindows[i].scored()));
  } else if (!options.klDivergence) {
    const auto te = Clock::now();
    r.baseline = eval::evaluateLoss(model, evalTokens, evalWindows, options.eval);
    evalSeconds += secondsSince(te);
  }
  // The 16-bit copy the KL pass compares against (taken before quantizing).
  std::unique_ptr<model::CausalLM> reference;
  if (options.klDivergence) reference = model::cloneCausalLM(model);

  const auto tq = Clock::now();
  PipelineResult p = quantizeModel(model, calibTokens, options.pipeline);
  r.quantizeSeconds = secondsSince(tq);
  r.layers = std::move(p.layers);
  r.calibrationWindows = std::move(p.calibrationWindows);

  const auto te = Clock::now();
  if (reference) {
    eval::PairEvalResult pair = eval::evaluatePair(*reference, model, evalTokens, evalWindows, options.eval);
    reference.reset();
    if (!baseline) r.baseline = std::move(pair.reference);
    r.quantized = std::move(pair.candidate);
    r.klDivergence = pair.meanKl;
    r.klStderr = pair.klStderr;
    r.windowKl = std::move(pair.windowKl);
    r.topTokenAgreement = pair.topTokenAgreement;
  } else {
    r.quantized = eval::evaluateLoss(model, evalTokens, evalWindows, options.eval);
  }
  evalSeconds += secondsSince(te);

  r.loss16 = r.baseline.meanNll;
  r.lossq = r.quantized.meanNll;
  pairedDelta(r.baseline, r.quantized, r.deltaQLoss, r.deltaStderr);
  r.tokenCount = r.quantized.tokenCount;
  r.windowCount = r.quantized.windowCount;
  r.windowNll16 = r.baseline.windowNll;
  r.windowNllQ = r.quantized.windowNll;
  r.evalSeconds = evalSeconds;
  r.wallSeconds = secondsSince(t0);
  return r;
}

}  // namespace qid::quant
