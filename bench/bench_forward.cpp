// GPT-NeoX forward throughput on CPU: tokens/s and achieved GFLOP/s of the
// model runtime's full-sequence forward (embedding, blocks, final norm and
// the full logits), on a randomly initialised Pythia-shaped model. Prints
// figures; never fails on speed.
//   bench_forward [layers hidden heads] [seqlen] [batch] [repeats] [fp32|bf16]
// Default: the pythia-160m shape (12 x 768, 12 heads, vocab 50304) at seqlen 512.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "common/error.h"
#include "model/causal_lm.h"
#include "model/dtype.h"
#include "model/model_config.h"

namespace {

using clock_type = std::chrono::steady_clock;

double secondsSince(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

// Multiply-adds of one forward over B x T tokens, counted as 2 FLOPs each:
// the four Linears of each block, attention scores and weighted values (full
// T x T, as computed: the causal mask does not skip work), and the logits.
double forwardFlops(const qid::model::ModelConfig& c, std::int64_t B, std::int64_t T) {
  const double h = double(c.hiddenSize), f = double(c.intermediateSize), v = double(c.vocabSize);
  const double tokens = double(B) * double(T);
  const double linears = tokens * (3 * h * h + h * h + 2 * h * f);
  const double attention = 2.0 * double(B) * double(T) * double(T) * h;  // QK^T and PV
  const double perLayer = 2.0 * (linears + attention);
  return perLayer * double(c.numLayers) + 2.0 * tokens * h * v;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t layers = 12, hidden = 768, heads = 12, seqlen = 512, batch = 1;
  int repeats = 3;
  std::string dtype = "fp32";
  if (argc > 3) {
    layers = std::atoll(argv[1]);
    hidden = std::atoll(argv[2]);
    heads = std::atoll(argv[3]);
  }
  if (argc > 4) seqlen = std::atoll(argv[4]);
  if (argc > 5) batch = std::atoll(argv[5]);
  if (argc > 6) repeats = std::max(1, std::atoi(argv[6]));
  if (argc > 7) dtype = argv[7];
  try {
    const auto config = qid::model::gptNeoxConfig(layers, hidden, heads);
    qid::model::LoadOptions load;
    load.dtype = qid::model::parseComputeDType(dtype);
    const auto model = qid::model::createCausalLM(config, 1, load);
    const auto count = qid::model::countParameters(config);
    std::printf("model: GPT-NeoX %lld layers x %lld hidden, %lld heads, vocab %lld (N = %.1fM, N_total = %.1fM)\n",
                (long long)layers, (long long)hidden, (long long)heads, (long long)config.vocabSize,
                double(count.nonEmbedding) / 1e6, double(count.total) / 1e6);
    std::printf("input: batch %lld x seqlen %lld, %s on cpu, %d threads\n", (long long)batch,
                (long long)seqlen, dtype.c_str(), at::get_num_threads());
    at::NoGradGuard noGrad;
    at::Tensor ids = at::randint(config.vocabSize, {batch, seqlen}, at::kLong);
    (void)model->forward(ids);  // warm-up
    double best = 1e30, total = 0;
    for (int r = 0; r < repeats; ++r) {
      const auto t0 = clock_type::now();
      at::Tensor logits = model->forward(ids);
      (void)logits.sum().item<float>();
      const double s = secondsSince(t0);
      best = std::min(best, s);
      total += s;
    }
    const double flops = forwardFlops(config, batch, seqlen);
    const double tokens = double(batch * seqlen);
    std::printf("forward: best %.3f s, mean %.3f s over %d runs\n", best, total / repeats, repeats);
    std::printf("throughput: %.0f tokens/s (best), %.0f tokens/s (mean)\n", tokens / best,
                tokens * repeats / total);
    std::printf("achieved: %.1f GFLOP/s (best; %.1f GFLOP per forward, logits %.0f%% of it)\n",
                flops / best / 1e9, flops / 1e9,
                100.0 * 2.0 * tokens * double(hidden) * double(config.vocabSize) / flops);
  } catch (const qid::Error& e) {
    std::fprintf(stderr, "bench_forward: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
