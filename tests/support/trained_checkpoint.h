#pragma once
// A tiny GPT-NeoX checkpoint that has learned something, for end-to-end
// tests whose assertions need a model near a loss minimum (a random-init
// model is not: there, quantization noise moves the loss either way and the
// bit-width ordering of ΔqLoss is luck).
//
// The text is a character Markov chain over 32 ASCII characters in which a
// character is next[c] of the one two places back with probability 0.95, else
// uniform. With the byte-level
// tokenizer (one token per byte) the model is trained for a few hundred AdamW
// steps (core/train's optimizer) and saved as an HF folder with config.json,
// model.safetensors and tokenizer.json.
#include <ATen/ATen.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>

#include "model/causal_lm.h"
#include "model/random_checkpoint.h"
#include "model/tokenizer_json.h"
#include "test_support.h"
#include "train/adamw.h"

namespace qid::test {

inline const std::string& markovAlphabet() {
  static const std::string a = "abcdefghijklmnopqrstuvwxyz .,;!?";
  return a;
}

// n characters of the chain; the transition table is fixed, `seed` picks the
// path. Each character follows from the one two places back (x[t] =
// next[x[t-2]] with probability 0.95), so the model has to attend to the
// previous token: the embedding and unembedding alone (which are not
// quantized) cannot predict it, and the blocks carry what it learned.
inline std::string markovText(std::size_t n, std::uint32_t seed) {
  const std::string& a = markovAlphabet();
  std::vector<std::size_t> next(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) next[i] = i;
  std::mt19937 perm(2024);
  std::shuffle(next.begin(), next.end(), perm);
  std::mt19937 rng(seed);
  std::vector<std::size_t> idx(n);
  for (std::size_t i = 0; i < n; ++i)
    idx[i] = (i < 2 || rng() % 20 == 0) ? rng() % a.size() : next[idx[i - 2]];
  std::string out(n, ' ');
  for (std::size_t i = 0; i < n; ++i) out[i] = a[idx[i]];
  return out;
}

struct TrainedCheckpointOptions {
  std::int64_t layers = 2, hidden = 32, heads = 4, vocab = 512;
  int steps = 600, batch = 8, seqlen = 64;
  double lr = 3e-3;
  std::uint64_t seed = 7;
};

// Trains and writes the folder; deterministic for the options.
inline void writeTrainedCheckpoint(const std::filesystem::path& dir,
                                   const TrainedCheckpointOptions& o = {}) {
  auto m = model::createCausalLM(model::tinyGptNeoxConfig(o.layers, o.hidden, o.heads, o.vocab), o.seed);
  m->setRequiresGrad(true);
  train::AdamWOptions adam;
  adam.beta2 = 0.99;
  adam.weightDecay = 0.0;
  train::AdamW opt(m->namedParameters(), adam);
  const std::string text = markovText(40000, 99);
  std::mt19937 rng(static_cast<std::uint32_t>(o.seed));
  for (int step = 0; step < o.steps; ++step) {
    std::vector<std::int64_t> ids, targets;
    for (int b = 0; b < o.batch; ++b) {
      const std::size_t s0 = rng() % (text.size() - static_cast<std::size_t>(o.seqlen) - 1);
      for (int t = 0; t < o.seqlen; ++t) {
        ids.push_back(static_cast<unsigned char>(text[s0 + static_cast<std::size_t>(t)]));
        targets.push_back(static_cast<unsigned char>(text[s0 + static_cast<std::size_t>(t) + 1]));
      }
    }
    at::Tensor x = at::tensor(ids, at::kLong).view({o.batch, o.seqlen});
    at::Tensor y = at::tensor(targets, at::kLong);
    at::Tensor logits = m->forward(x).view({o.batch * o.seqlen, o.vocab});
    at::nll_loss(at::log_softmax(logits, 1), y).backward();
    opt.step(o.lr);
  }
  m->setRequiresGrad(false);
  model::saveCausalLM(*m, dir);
  model::writeByteLevelTokenizerJson(dir / "tokenizer.json");
}

// One trained checkpoint per test process, trained on first use, with
// calib.txt (20,000 characters) and eval.txt (kFixtureEvalWindows windows of
// 64 and a remainder of 10): other paths through the same chain.
inline constexpr std::int64_t kFixtureEvalWindows = 48;

struct TrainedFixture {
  std::filesystem::path model, calib, eval;
  model::ModelConfig config;
};

inline const TrainedFixture& trainedFixture() {
  static TempDir dir;
  static const TrainedFixture f = [] {
    const TrainedCheckpointOptions o;
    TrainedFixture t{dir / "model", dir / "calib.txt", dir / "eval.txt",
                     model::tinyGptNeoxConfig(o.layers, o.hidden, o.heads, o.vocab)};
    writeTrainedCheckpoint(t.model, o);
    writeFile(t.calib, markovText(20000, 1));
    writeFile(t.eval, markovText(64 * kFixtureEvalWindows + 10, 2));
    return t;
  }();
  return f;
}

}  // namespace qid::test
