#pragma once
// A tiny GPT-NeoX (2 layers, hidden 64, vocab 512) trained for a few Adam
// steps on Markov-chain text, shared by the quantization tests that need a
// model near a loss minimum (trained once per test process).
#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include "model/causal_lm.h"
#include "model/random_checkpoint.h"

namespace qid::test::tiny {

inline constexpr std::uint64_t kModelSeed = 7;
inline constexpr std::uint32_t kVocab = 512;

// Text from a Markov chain: the next token is next[cur] with probability 0.9,
// otherwise uniform. A model trained on it sits near a loss minimum, so any
// weight perturbation raises its loss (a random-init model does not: there
// quantization noise moves the loss either way and the bit ordering is luck).
inline std::vector<std::uint32_t> chainTokens(std::size_t n, std::uint32_t seed) {
  std::mt19937 perm(12345);
  std::vector<std::uint32_t> next(kVocab);
  for (std::uint32_t i = 0; i < kVocab; ++i) next[i] = i;
  std::shuffle(next.begin(), next.end(), perm);
  std::mt19937 rng(seed);
  std::vector<std::uint32_t> out(n);
  out[0] = rng() % kVocab;
  for (std::size_t i = 1; i < n; ++i)
    out[i] = (rng() % 10 == 0) ? rng() % kVocab : next[out[i - 1]];
  return out;
}

inline std::vector<std::uint32_t> randomTokens(std::size_t n, std::uint32_t vocab, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint32_t> out(n);
  for (auto& t : out) t = rng() % vocab;
  return out;
}

// The tiny model after a few Adam steps on the chain (trained once per run).
inline const std::vector<at::Tensor>& trainedWeights() {
  static const std::vector<at::Tensor> weights = [] {
    auto m = model::createCausalLM(model::tinyGptNeoxConfig(2, 64, 4, kVocab), kModelSeed);
    m->setRequiresGrad(true);
    std::vector<at::Tensor> params;
    for (auto& [name, t] : m->namedParameters()) params.push_back(t);
    std::vector<at::Tensor> m1, m2;
    for (auto& p : params) {
      m1.push_back(at::zeros_like(p));
      m2.push_back(at::zeros_like(p));
    }
    auto train = chainTokens(20000, 99);
    std::mt19937 rng(5);
    const int steps = 120, batch = 8, len = 64;
    const double lr = 3e-3, b1 = 0.9, b2 = 0.99;
    for (int step = 1; step <= steps; ++step) {
      std::vector<std::int64_t> ids, tgt;
      for (int b = 0; b < batch; ++b) {
        std::size_t s0 = rng() % (train.size() - len - 1);
        for (int t = 0; t < len; ++t) {
          ids.push_back(train[s0 + t]);
          tgt.push_back(train[s0 + t + 1]);
        }
      }
      at::Tensor x = at::tensor(ids, at::kLong).view({batch, len});
      at::Tensor y = at::tensor(tgt, at::kLong);
      at::Tensor logits = m->forward(x).view({batch * len, kVocab});
      at::Tensor loss = at::nll_loss(at::log_softmax(logits, 1), y);
      loss.backward();
      at::NoGradGuard guard;
      for (std::size_t i = 0; i < params.size(); ++i) {
        at::Tensor g = params[i].grad();
        m1[i].mul_(b1).add_(g, 1 - b1);
        m2[i].mul_(b2).addcmul_(g, g, 1 - b2);
        at::Tensor mh = m1[i] / (1 - std::pow(b1, step));
        at::Tensor vh = m2[i] / (1 - std::pow(b2, step));
        params[i].sub_(lr * mh / (vh.sqrt() + 1e-8));
        params[i].mutable_grad().zero_();
      }
    }
    m->setRequiresGrad(false);
    std::vector<at::Tensor> out;
    for (auto& p : params) out.push_back(p.detach().clone());
    return out;
  }();
  return weights;
}

inline std::unique_ptr<model::CausalLM> tinyModel() {
  auto m = model::createCausalLM(model::tinyGptNeoxConfig(2, 64, 4, kVocab), kModelSeed);
  const auto& w = trainedWeights();
  at::NoGradGuard guard;
  std::size_t i = 0;
  for (auto& [name, t] : m->namedParameters()) t.copy_(w[i++]);
  return m;
}

}  // namespace qid::test::tiny
