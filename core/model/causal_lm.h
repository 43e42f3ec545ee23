#pragma once
// A decoder-only language model as the evaluators and quantizers see it:
// embeddings, blocks one at a time, final norm and unembedding, with
// replaceable Linear weights and an observer hook on every Linear input.
#include <ATen/core/Tensor.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "model/model_config.h"
#include "model/safetensors.h"

namespace qid::model {

// Called with the input of each Linear just before it runs (GPTQ Hessians,
// AWQ activation statistics). `linear` is the short HF name, e.g.
// "query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h".
class LinearObserver {
 public:
  virtual ~LinearObserver() = default;
  virtual void observe(int layer, const std::string& linear, const at::Tensor& input) = 0;
};

struct LoadOptions {
  c10::ScalarType dtype = c10::ScalarType::Float;
  c10::Device device = c10::Device(c10::DeviceType::CPU);
};

// "cpu" | "cuda" | "cuda:N"; throws qid::Error when CUDA is unavailable.
c10::Device parseDevice(const std::string& name);

class CausalLM {
 public:
  virtual ~CausalLM() = default;
  virtual const ModelConfig& config() const = 0;
  int numLayers() const { return static_cast<int>(config().numLayers); }
  virtual c10::ScalarType dtype() const = 0;
  virtual c10::Device device() const = 0;

  // ids [B,T] (int64, any device) -> hidden [B,T,H] on the model's device.
  virtual at::Tensor embed(const at::Tensor& ids) const = 0;
  // One transformer block; positions are 0..T-1 within each row.
  virtual at::Tensor blockForward(int layer, const at::Tensor& hidden,
                                  LinearObserver* observer = nullptr) const = 0;
  // The final norm.
  virtual at::Tensor finalHidden(const at::Tensor& hidden) const = 0;
  // Unembedding of (a slice of) final hidden states [..., H] -> [..., V].
  virtual at::Tensor logits(const at::Tensor& finalHidden) const = 0;
  // Everything: ids [B,T] -> logits [B,T,V] (small inputs and tests only).
  at::Tensor forward(const at::Tensor& ids, LinearObserver* observer = nullptr) const;

  // Per-block Linear names in quantization order, and their weights [out,in].
  virtual std::vector<std::string> linearNames() const = 0;
  virtual at::Tensor& linearWeight(int layer, const std::string& linear) = 0;
  virtual at::Tensor& linearBias(int layer, const std::string& linear) = 0;  // undefined if none
  // Replaces a weight (same shape; converted to the model's dtype and device).
  virtual void setLinearWeight(int layer, const std::string& linear, const at::Tensor& weight) = 0;

  // Every parameter under its HF name, in canonical order (these are the
  // live tensors: saving them writes an HF checkpoint).
  virtual NamedTensors namedParameters() const = 0;
  // Marks every parameter as requiring gradients (training).
  virtual void setRequiresGrad(bool enabled) = 0;
};

// Loads DIR (config.json + weights) for its architecture; every tensor is
// checked against the config. Throws qid::Error naming the file at fault.
std::unique_ptr<CausalLM> loadCausalLM(const std::filesystem::path& dir,
                                       const LoadOptions& options = {});
// A randomly initialised model of the config's architecture.
std::unique_ptr<CausalLM> createCausalLM(const ModelConfig& config, std::uint64_t seed,
                                         const LoadOptions& options = {});
// A model of the config's architecture with the weights of `weights`
// (checked against the config as loadCausalLM checks files).
std::unique_ptr<CausalLM> createCausalLM(const ModelConfig& config, const WeightSource& weights,
                                         const LoadOptions& options = {});
// A deep copy (same dtype and device), e.g. the 16-bit reference kept next to
// the copy that gets quantized; it doubles the memory the weights take.
std::unique_ptr<CausalLM> cloneCausalLM(const CausalLM& model);
// Writes config.json + model.safetensors (sharded when maxShardBytes > 0).
void saveCausalLM(const CausalLM& model, const std::filesystem::path& dir,
                  std::uint64_t maxShardBytes = 0);

}  // namespace qid::model
