#pragma once
// GPT-NeoX (Pythia) forward with exactly HF's semantics (REFERENCE.md):
// parallel residual x + attn(ln1(x)) + mlp(ln2(x)); fused query_key_value in
// per-head [q|k|v] layout; partial rotary in rotate-half layout; exact-erf
// GELU; final LayerNorm; untied embed_out without bias. Only at:: ops, so
// autograd tracks the parameters when they require gradients.
#include <ATen/core/Tensor.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "model/causal_lm.h"

namespace qid::model {

enum class LinearKind { QueryKeyValue, Dense, DenseHTo4H, Dense4HToH };

// All four, in quantization order.
constexpr std::array<LinearKind, 4> kGptNeoxLinears = {
    LinearKind::QueryKeyValue, LinearKind::Dense, LinearKind::DenseHTo4H, LinearKind::Dense4HToH};
// "query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h".
const char* linearName(LinearKind kind);
// Throws qid::Error for other names.
LinearKind parseLinearKind(const std::string& name);
// "gpt_neox.layers.{i}.attention.query_key_value" etc. (append ".weight"/".bias").
std::string gptNeoxLinearPrefix(int layer, LinearKind kind);

struct LayerNormParams {
  at::Tensor weight;
  at::Tensor bias;
};

struct GptNeoxLayer {
  LayerNormParams inputLayerNorm;
  LayerNormParams postAttentionLayerNorm;
  std::array<at::Tensor, 4> weight;  // indexed by LinearKind
  std::array<at::Tensor, 4> bias;
  // Optional [intermediate] vector dividing the GELU output (AWQ's
  // ScaledActivation); undefined when unused.
  at::Tensor activationScale;
};

class GptNeox : public CausalLM {
 public:
  // Reads and checks every tensor of `weights` against the config.
  GptNeox(ModelConfig config, const WeightSource& weights, const LoadOptions& options = {});
  // Random initialisation (normal(0, 0.02) matrices, small random biases,
  // LayerNorm weights near 1), deterministic for a seed.
  GptNeox(ModelConfig config, std::uint64_t seed, const LoadOptions& options = {});

  const ModelConfig& config() const override { return config_; }
  c10::ScalarType dtype() const override { return options_.dtype; }
  c10::Device device() const override { return options_.device; }

  at::Tensor embed(const at::Tensor& ids) const override;
  at::Tensor blockForward(int layer, const at::Tensor& hidden,
                          LinearObserver* observer = nullptr) const override;
  at::Tensor finalHidden(const at::Tensor& hidden) const override;
  at::Tensor logits(const at::Tensor& finalHidden) const override;

  std::vector<std::string> linearNames() const override;
  at::Tensor& linearWeight(int layer, const std::string& linear) override;
  at::Tensor& linearBias(int layer, const std::string& linear) override;
  void setLinearWeight(int layer, const std::string& linear, const at::Tensor& weight) override;
  at::Tensor& linearWeight(int layer, LinearKind kind);
  at::Tensor& linearBias(int layer, LinearKind kind);
  void setLinearWeight(int layer, LinearKind kind, const at::Tensor& weight);

  LayerNormParams& inputLayerNorm(int layer);
  LayerNormParams& postAttentionLayerNorm(int layer);
  LayerNormParams& finalLayerNorm() { return finalNorm_; }
  // Sets (or, with an undefined tensor, clears) the GELU output divisor.
  void setActivationScale(int layer, const at::Tensor& scale);
  const at::Tensor& activationScale(int layer) const;
  at::Tensor& embedIn() { return embedIn_; }
  at::Tensor& embedOut() { return embedOut_; }
  GptNeoxLayer& layer(int index);

  NamedTensors namedParameters() const override;
  void setRequiresGrad(bool enabled) override;

 private:
  void checkLayer(int layer) const;
  at::Tensor prepare(at::Tensor t) const;  // to dtype/device, contiguous
  ModelConfig config_;
  LoadOptions options_;
  at::Tensor embedIn_;
  at::Tensor embedOut_;
  LayerNormParams finalNorm_;
  std::vector<GptNeoxLayer> layers_;
};

}  // namespace qid::model
