#include "model/random_checkpoint.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "model/gpt_neox.h"

namespace qid::model {

ModelConfig tinyGptNeoxConfig(std::int64_t layers, std::int64_t hidden, std::int64_t heads,
                              std::int64_t vocab) {
  ModelConfig c = gptNeoxConfig(layers, hidden, heads, vocab);
  c.torchDtype = "float32";
  return c;
}

void writeRandomCheckpoint(const std::filesystem::path& dir, const ModelConfig& config,
                           const RandomCheckpointOptions& options) {
  LoadOptions load;
  load.dtype = toScalarType(options.dtype);
  GptNeox model(config, options.seed, LoadOptions{});
  // Perturb biases and LayerNorms so that tests see every parameter.
  auto gen = at::detail::createCPUGenerator(options.seed + 0x9e3779b97f4a7c15ull);
  at::NoGradGuard noGrad;
  auto jitter = [&](at::Tensor& t, double sd) { t.add_(at::randn(t.sizes(), gen, t.options()) * sd); };
  for (int i = 0; i < model.numLayers(); ++i) {
    auto& L = model.layer(i);
    jitter(L.inputLayerNorm.weight, 0.1);
    jitter(L.inputLayerNorm.bias, 0.05);
    jitter(L.postAttentionLayerNorm.weight, 0.1);
    jitter(L.postAttentionLayerNorm.bias, 0.05);
    for (auto& b : L.bias) jitter(b, 0.05);
  }
  jitter(model.finalLayerNorm().weight, 0.1);
  jitter(model.finalLayerNorm().bias, 0.05);
  ModelConfig saved = config;
  saved.torchDtype = options.dtype == DType::F32 ? "float32" : options.dtype == DType::F16 ? "float16" : "bfloat16";
  std::filesystem::create_directories(dir);
  saveModelConfig(dir, saved);
  NamedTensors tensors;
  for (const auto& [name, t] : model.namedParameters()) tensors.emplace_back(name, t.to(load.dtype));
  std::map<std::string, std::string> meta = {{"format", "pt"}};
  if (options.maxShardBytes > 0) {
    writeShardedSafetensors(dir, tensors, options.maxShardBytes, meta);
  } else {
    writeSafetensors(dir / "model.safetensors", tensors, meta);
  }
}

}  // namespace qid::model
