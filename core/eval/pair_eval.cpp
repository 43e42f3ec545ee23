#include "eval/pair_eval.h"

#include <ATen/ATen.h>

#include <chrono>
#include <cmath>
#include <sstream>

#include "common/error.h"
#include "model/causal_lm.h"
#include "model/dtype.h"

namespace qid::eval {

namespace {

at::Tensor finalHiddenOf(const model::CausalLM& m, const at::Tensor& ids) {
  at::Tensor h = m.embed(ids.to(m.device()));
  for (int l = 0; l < m.numLayers(); ++l) h = m.blockForward(l, h);
  return m.finalHidden(h);
}

struct BatchSums {
  at::Tensor nllRef, nllCand, kl, agree;  // [B] double, on the CPU
};

// Per-row sums over the scored targets of one batch, logits in row chunks.
BatchSums batchSums(const model::CausalLM& ref, const model::CausalLM& cand, const at::Tensor& ids,
                    const at::Tensor& mask, std::int64_t maxLogitElements) {
  const auto dev = ref.device();
  at::Tensor hr = finalHiddenOf(ref, ids), hc = finalHiddenOf(cand, ids);
  const std::int64_t B = ids.size(0), T = ids.size(1), V = ref.config().vocabSize;
  at::Tensor targets = ids.narrow(1, 1, T - 1).to(dev);
  at::Tensor maskDev = mask.to(dev);
  auto zeros = [&] { return at::zeros({B}, at::TensorOptions().dtype(at::kDouble).device(dev)); };
  BatchSums s{zeros(), zeros(), zeros(), zeros()};
  // Two models' logits and log-probabilities are alive per chunk.
  const std::int64_t rows = std::max<std::int64_t>(1, maxLogitElements / std::max<std::int64_t>(1, 2 * V * B));
  for (std::int64_t t0 = 0; t0 < T - 1; t0 += rows) {
    const std::int64_t n = std::min(rows, T - 1 - t0);
    at::Tensor m = maskDev.narrow(1, t0, n);
    if (!m.any().item<bool>()) continue;
    at::Tensor md = m.to(at::kDouble);
    at::Tensor lr = at::log_softmax(ref.logits(hr.narrow(1, t0, n)).to(at::kFloat), -1);
    at::Tensor lc = at::log_softmax(cand.logits(hc.narrow(1, t0, n)).to(dev).to(at::kFloat), -1);
    at::Tensor tgt = targets.narrow(1, t0, n).unsqueeze(-1);
    s.nllRef += (-lr.gather(-1, tgt).squeeze(-1).to(at::kDouble) * md).sum(1);
    s.nllCand += (-lc.gather(-1, tgt).squeeze(-1).to(at::kDouble) * md).sum(1);
    // Summed in double: the per-position KL is a small difference of large terms.
    at::Tensor lrd = lr.to(at::kDouble);
    at::Tensor kl = (lrd.exp() * (lrd - lc.to(at::kDouble))).sum(-1);  // [B,n]
    s.kl += (kl * md).sum(1);
    s.agree += ((lr.argmax(-1) == lc.argmax(-1)).to(at::kDouble) * md).sum(1);
  }
  return {s.nllRef.cpu(), s.nllCand.cpu(), s.kl.cpu(), s.agree.cpu()};
}

double stderrOfMean(const std::vector<double>& v) {
  const std::size_t n = v.size();
  if (n < 2) return 0;
  double mean = 0;
  for (double x : v) mean += x;
  mean /= double(n);
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / double(n - 1)) / std::sqrt(double(n));
}

void finish(EvalResult& r, const model::CausalLM& m, double wall, std::int64_t inputTokens) {
  r.windowCount = static_cast<std::int64_t>(r.windowNll.size());
  r.meanNll = r.tokenCount ? r.sumNll / double(r.tokenCount) : 0.0;
  r.perplexity = std::exp(r.meanNll);
  r.stderrNll = stderrOfMean(r.windowNll);
  r.dtype = model::computeDTypeName(m.dtype());
  r.device = m.device().str();
  r.wallSeconds = wall;
  r.tokensPerSecond = wall > 0 ? double(inputTokens) / wall : 0.0;
}

}  // namespace

PairEvalResult evaluatePair(const model::CausalLM& reference, const model::CausalLM& candidate,
                            const std::vector<std::uint32_t>& tokens, const std::vector<Window>& windows,
                            const EvalOptions& options) {
  at::NoGradGuard noGrad;
  const auto t0 = std::chrono::steady_clock::now();
  const std::int64_t vocab = reference.config().vocabSize;
  if (candidate.config().vocabSize != vocab)
    throw Error("the two models differ in vocabulary (" + std::to_string(vocab) + " and " +
                std::to_string(candidate.config().vocabSize) + " tokens): their logits cannot be compared");
  checkEvalInputs(vocab, tokens, windows);
  const std::int64_t batch = std::max<std::int64_t>(1, options.batch);

  PairEvalResult r;
  double klSum = 0, agreeSum = 0;
  std::int64_t inputTokens = 0;
  report(options.progress, Progress{"eval", 0, static_cast<std::int64_t>(windows.size()), "with KL"});
  for (std::size_t i = 0; i < windows.size();) {
    std::size_t j = i + 1;
    while (j < windows.size() && static_cast<std::int64_t>(j - i) < batch && windows[j].length == windows[i].length) ++j;
    const std::int64_t B = static_cast<std::int64_t>(j - i), T = windows[i].length;
    at::Tensor ids = at::empty({B, T}, at::kLong);
    at::Tensor mask = at::zeros({B, T - 1}, at::kBool);
    auto idsA = ids.accessor<std::int64_t, 2>();
    auto maskA = mask.accessor<bool, 2>();
    for (std::int64_t b = 0; b < B; ++b) {
      const Window& w = windows[i + static_cast<std::size_t>(b)];
      for (std::int64_t t = 0; t < T; ++t) idsA[b][t] = tokens[static_cast<std::size_t>(w.start + t)];
      for (std::int64_t t = w.scoreFrom; t < T; ++t) maskA[b][t - 1] = true;
    }
    BatchSums s = batchSums(reference, candidate, ids, mask, options.maxLogitElements);
    auto nr = s.nllRef.accessor<double, 1>(), nc = s.nllCand.accessor<double, 1>();
    auto kl = s.kl.accessor<double, 1>(), ag = s.agree.accessor<double, 1>();
    for (std::int64_t b = 0; b < B; ++b) {
      const std::int64_t n = windows[i + static_cast<std::size_t>(b)].scored();
      const double per = n > 0 ? 1.0 / double(n) : 0.0;
      for (auto* e : {&r.reference, &r.candidate}) {
        e->tokenCount += n;
        e->windowTokens.push_back(n);
      }
      r.reference.sumNll += nr[b];
      r.candidate.sumNll += nc[b];
      r.reference.windowNll.push_back(nr[b] * per);
      r.candidate.windowNll.push_back(nc[b] * per);
      r.windowKl.push_back(kl[b] * per);
      klSum += kl[b];
      agreeSum += ag[b];
    }
    inputTokens += B * T;
    i = j;
    std::ostringstream msg;
    msg.precision(4);
    msg << std::fixed << "KL " << (r.candidate.tokenCount ? klSum / double(r.candidate.tokenCount) : 0.0);
    report(options.progress, Progress{"eval", static_cast<std::int64_t>(i), static_cast<std::int64_t>(windows.size()), msg.str()});
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  finish(r.reference, reference, wall, inputTokens);
  finish(r.candidate, candidate, wall, inputTokens);
  const auto scored = r.candidate.tokenCount;
  r.meanKl = scored ? klSum / double(scored) : 0.0;
  r.topTokenAgreement = scored ? agreeSum / double(scored) : 0.0;
  r.klStderr = stderrOfMean(r.windowKl);
  return r;
}

}  // namespace qid::eval
