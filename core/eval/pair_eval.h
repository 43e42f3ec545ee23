#pragma once
// Two models scored on the same windows in one pass: a reference (the 16-bit
// model) and a candidate (its quantized copy). Each batch goes through both
// models; their logits are computed chunk by chunk and compared at once, so
// neither model's logits are ever stored whole. Besides both models' losses
// (exactly what evaluateLoss gives for each) it reports the KL divergence of
// the candidate from the reference,
//   KL(P_ref || P_cand) = sum_v p_ref(v) (log p_ref(v) - log p_cand(v)),
// averaged over the scored positions (nats per token), with its standard
// error over windows, and how often the two models agree on the top token.
#include <cstdint>
#include <vector>

#include "eval/loss_eval.h"

namespace qid::eval {

struct PairEvalResult {
  EvalResult reference;          // as evaluateLoss(reference, ...) reports it
  EvalResult candidate;          // as evaluateLoss(candidate, ...) reports it
  double meanKl = 0;             // nats per scored token
  double klStderr = 0;           // standard error of the mean of per-window KL
  double topTokenAgreement = 0;  // fraction of scored positions with the same argmax
  std::vector<double> windowKl;  // mean KL of each window
};

// Both models need the same vocabulary. Throws qid::Error for bad tokens or
// windows (as evaluateLoss does) and qid::Cancelled when progress says stop.
PairEvalResult evaluatePair(const model::CausalLM& reference, const model::CausalLM& candidate,
                            const std::vector<std::uint32_t>& tokens, const std::vector<Window>& windows,
                            const EvalOptions& options = {});

}  // namespace qid::eval
