#include "eval/loss_eval.h"

#include <ATen/ATen.h>

#include <chrono>
#include <cmath>
#include <sstream>

#include "model/causal_lm.h"
#include "model/dtype.h"

namespace qid::eval {

namespace {

// Per-row NLL sums of one batch, logits computed in row chunks.
// hidden: [B,T,H] final hidden; ids: [B,T] on the model device; mask: [B,T-1] of targets scored.
at::Tensor batchNll(const model::CausalLM& m, const at::Tensor& hidden, const at::Tensor& ids,
                    const at::Tensor& scoreMask, std::int64_t maxLogitElements) {
  const std::int64_t B = hidden.size(0), T = hidden.size(1), V = m.config().vocabSize;
  at::Tensor h = hidden.narrow(1, 0, T - 1);   // predicts targets 1..T-1
  at::Tensor targets = ids.narrow(1, 1, T - 1);
  at::Tensor sums = at::zeros({B}, at::TensorOptions().dtype(at::kDouble).device(hidden.device()));
  const std::int64_t rowsPerChunk = std::max<std::int64_t>(1, maxLogitElements / std::max<std::int64_t>(1, V * B));
  for (std::int64_t t0 = 0; t0 < T - 1; t0 += rowsPerChunk) {
    const std::int64_t n = std::min(rowsPerChunk, T - 1 - t0);
    at::Tensor maskChunk = scoreMask.narrow(1, t0, n);
    if (!maskChunk.any().item<bool>()) continue;
    at::Tensor logits = m.logits(h.narrow(1, t0, n)).to(at::kFloat);  // [B,n,V]
    at::Tensor logp = at::log_softmax(logits, -1);
    at::Tensor nll = -logp.gather(-1, targets.narrow(1, t0, n).unsqueeze(-1)).squeeze(-1);  // [B,n]
    sums += (nll.to(at::kDouble) * maskChunk.to(at::kDouble)).sum(1);
  }
  return sums.cpu();
}

}  // namespace

void checkEvalInputs(std::int64_t vocab, const std::vector<std::uint32_t>& tokens,
                     const std::vector<Window>& windows) {
  for (std::size_t i = 0; i < tokens.size(); ++i)
    if (tokens[i] >= static_cast<std::uint64_t>(vocab))
      throw Error("token " + std::to_string(i) + " has id " + std::to_string(tokens[i]) +
                  ", outside the model's vocabulary of " + std::to_string(vocab));
  for (const auto& w : windows)
    if (w.start < 0 || w.length < 2 || w.scoreFrom < 1 || w.scoreFrom > w.length ||
        w.start + w.length > static_cast<std::int64_t>(tokens.size()))
      throw Error("evaluation window at token " + std::to_string(w.start) + " lies outside the text");
  if (windows.empty()) throw Error("no evaluation windows");
}

EvalResult evaluateLoss(const model::CausalLM& m, const std::vector<std::uint32_t>& tokens,
                        const std::vector<Window>& windows, const EvalOptions& options) {
  at::NoGradGuard noGrad;
  const auto t0 = std::chrono::steady_clock::now();
  const std::int64_t vocab = m.config().vocabSize;
  checkEvalInputs(vocab, tokens, windows);
  const std::int64_t batch = std::max<std::int64_t>(1, options.batch);

  EvalResult r;
  r.dtype = model::computeDTypeName(m.dtype());
  r.device = m.device().str();
  std::int64_t inputTokens = 0;
  std::size_t i = 0;
  report(options.progress, Progress{"eval", 0, static_cast<std::int64_t>(windows.size()), ""});
  while (i < windows.size()) {
    // A batch: consecutive windows of equal length.
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
    at::Tensor idsDev = ids.to(m.device());
    at::Tensor h = m.embed(idsDev);
    for (int l = 0; l < m.numLayers(); ++l) h = m.blockForward(l, h);
    h = m.finalHidden(h);
    at::Tensor sums = batchNll(m, h, idsDev, mask.to(m.device()), options.maxLogitElements);
    auto sumsA = sums.accessor<double, 1>();
    for (std::int64_t b = 0; b < B; ++b) {
      const Window& w = windows[i + static_cast<std::size_t>(b)];
      const std::int64_t n = w.scored();
      r.sumNll += sumsA[b];
      r.tokenCount += n;
      r.windowTokens.push_back(n);
      r.windowNll.push_back(n > 0 ? sumsA[b] / static_cast<double>(n) : 0.0);
    }
    inputTokens += B * T;
    i = j;
    std::ostringstream msg;
    msg.precision(4);
    msg << "loss " << std::fixed << (r.tokenCount ? r.sumNll / static_cast<double>(r.tokenCount) : 0.0);
    report(options.progress, Progress{"eval", static_cast<std::int64_t>(i), static_cast<std::int64_t>(windows.size()), msg.str()});
  }
  r.windowCount = static_cast<std::int64_t>(windows.size());
  r.meanNll = r.tokenCount ? r.sumNll / static_cast<double>(r.tokenCount) : 0.0;
  r.perplexity = std::exp(r.meanNll);
  if (r.windowCount > 1) {
    double mean = 0;
    for (double v : r.windowNll) mean += v;
    mean /= static_cast<double>(r.windowCount);
    double ss = 0;
    for (double v : r.windowNll) ss += (v - mean) * (v - mean);
    const double sd = std::sqrt(ss / static_cast<double>(r.windowCount - 1));
    r.stderrNll = sd / std::sqrt(static_cast<double>(r.windowCount));
  }
  r.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.tokensPerSecond = r.wallSeconds > 0 ? static_cast<double>(inputTokens) / r.wallSeconds : 0.0;
  return r;
}

}  // namespace qid::eval
