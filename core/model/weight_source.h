#pragma once
// A read-only set of named weight tensors: one safetensors file, a sharded
// safetensors checkpoint, or a (sharded) pytorch_model.bin. The model loader
// reads through this interface so every container is checked the same way.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "model/dtype.h"

namespace qid::model {

struct TensorMeta {
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;
  std::int64_t numel() const;
};

class WeightSource {
 public:
  virtual ~WeightSource() = default;
  // Every tensor name, sorted.
  virtual std::vector<std::string> names() const = 0;
  virtual bool contains(const std::string& name) const = 0;
  // Throws qid::Error naming the checkpoint when the tensor is absent.
  virtual TensorMeta meta(const std::string& name) const = 0;
  // A fresh, owning, contiguous CPU tensor in the stored dtype.
  virtual at::Tensor load(const std::string& name) const = 0;
  // The files that hold the weights (for fingerprints and messages).
  virtual std::vector<std::filesystem::path> files() const = 0;
  // The file that holds `name` (for error messages).
  virtual std::filesystem::path fileOf(const std::string& name) const = 0;
};

// Opens the weights of an HF checkpoint folder, preferring, in order:
// model.safetensors.index.json, model.safetensors, pytorch_model.bin.index.json,
// pytorch_model.bin. Throws qid::Error when none is present.
std::unique_ptr<WeightSource> openWeights(const std::filesystem::path& dir);

}  // namespace qid::model
