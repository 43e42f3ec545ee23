#pragma once
// Cross-entropy evaluation of a CausalLM over windows of a token stream.
// Windows go through in batches and are scored and discarded, and the logits
// are computed in chunks, so memory does not grow with the number of windows
// and vocab x seqlen x batch is never resident at once.
#include <cstdint>
#include <string>
#include <vector>

#include "common/progress.h"
#include "eval/windows.h"

namespace qid::model {
class CausalLM;
}

namespace qid::eval {

struct EvalOptions {
  std::int64_t batch = 1;
  // Upper bound on logit elements computed at once (rows x vocab).
  std::int64_t maxLogitElements = std::int64_t(1) << 24;
  ProgressFn progress;
};

struct EvalResult {
  double meanNll = 0;      // nats per scored token (sum over tokens / tokens)
  double perplexity = 0;   // exp(meanNll)
  double sumNll = 0;
  std::int64_t tokenCount = 0;   // scored targets
  std::int64_t windowCount = 0;
  double stderrNll = 0;    // standard error of the mean of per-window NLLs
  std::string dtype;       // "fp32" | "bf16" | "fp16"
  std::string device;      // "cpu" | "cuda:0"
  double wallSeconds = 0;
  double tokensPerSecond = 0;  // input tokens processed per second
  std::vector<double> windowNll;            // mean NLL of each window
  std::vector<std::int64_t> windowTokens;   // scored targets of each window
};

// Throws qid::Error when a token is outside the vocabulary, a window lies
// outside the token stream or scores nothing it can, or there are no windows.
void checkEvalInputs(std::int64_t vocab, const std::vector<std::uint32_t>& tokens,
                     const std::vector<Window>& windows);

// Tokens are vocabulary ids; each must be < vocab (qid::Error otherwise).
EvalResult evaluateLoss(const model::CausalLM& model, const std::vector<std::uint32_t>& tokens,
                        const std::vector<Window>& windows, const EvalOptions& options = {});

}  // namespace qid::eval
