#pragma once
// AdamW (Loshchilov & Hutter) over a model's named parameters, as GPT-NeoX
// trains Pythia: decoupled weight decay on matrices only (biases, LayerNorm
// and nothing else decay-free), global gradient-norm clipping. Its state
// (step count, first and second moments) saves and loads as named tensors so
// that an interrupted run resumes bit-identically.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace qid::train {

struct AdamWOptions {
  double beta1 = 0.9;
  double beta2 = 0.95;
  double eps = 1e-8;
  double weightDecay = 0.01;
  double gradClip = 1.0;  // max global L2 norm of the gradients; <= 0 disables
};

class AdamW {
 public:
  using Named = std::vector<std::pair<std::string, at::Tensor>>;

  // The parameters are updated in place; they must be leaves that require grad.
  AdamW(Named parameters, AdamWOptions options);

  // One update at rate lr from the current .grad() of every parameter, then
  // zeroes the gradients. Returns the global gradient norm before clipping.
  double step(double lr);
  std::int64_t stepCount() const { return steps_; }

  // "exp_avg.<name>", "exp_avg_sq.<name>" tensors, and the step count.
  Named stateTensors() const;
  // Restores what stateTensors() gave; throws qid::Error naming a missing or
  // mismatched tensor.
  void loadState(const Named& state, std::int64_t stepCount);

  const Named& parameters() const { return params_; }

 private:
  Named params_;
  AdamWOptions options_;
  std::vector<at::Tensor> expAvg_;
  std::vector<at::Tensor> expAvgSq_;
  std::int64_t steps_ = 0;
};

}  // namespace qid::train
