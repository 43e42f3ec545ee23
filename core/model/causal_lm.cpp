#include "model/causal_lm.h"

#include <ATen/ATen.h>

#include "common/error.h"
#include "model/gpt_neox.h"

namespace qid::model {

namespace fs = std::filesystem;

c10::Device parseDevice(const std::string& name) {
  if (name == "cpu") return c10::Device(c10::DeviceType::CPU);
  if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
    if (!at::hasCUDA())
      throw Error("device '" + name + "' requested but this build of libtorch has no CUDA (or no GPU is visible)");
    try {
      return c10::Device(name);
    } catch (const std::exception&) {
      throw Error("invalid device '" + name + "'");
    }
  }
  throw Error("unknown device '" + name + "' (use cpu or cuda)");
}

at::Tensor CausalLM::forward(const at::Tensor& ids, LinearObserver* observer) const {
  at::Tensor h = embed(ids);
  for (int i = 0; i < numLayers(); ++i) h = blockForward(i, h, observer);
  return logits(finalHidden(h));
}

std::unique_ptr<CausalLM> loadCausalLM(const fs::path& dir, const LoadOptions& options) {
  ModelConfig config = loadModelConfig(dir);
  auto weights = openWeights(dir);
  // Only GPT-NeoX exists so far; architectureOf() already refused others.
  return std::make_unique<GptNeox>(std::move(config), *weights, options);
}

std::unique_ptr<CausalLM> createCausalLM(const ModelConfig& config, std::uint64_t seed,
                                         const LoadOptions& options) {
  architectureOf(config);
  return std::make_unique<GptNeox>(config, seed, options);
}

void saveCausalLM(const CausalLM& model, const fs::path& dir, std::uint64_t maxShardBytes) {
  fs::create_directories(dir);
  saveModelConfig(dir, model.config());
  NamedTensors tensors = model.namedParameters();
  std::map<std::string, std::string> meta = {{"format", "pt"}};
  if (maxShardBytes > 0) {
    writeShardedSafetensors(dir, tensors, maxShardBytes, meta);
  } else {
    writeSafetensors(dir / "model.safetensors", tensors, meta);
  }
}

}  // namespace qid::model
