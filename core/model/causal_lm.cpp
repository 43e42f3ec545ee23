#include "model/causal_lm.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>

#include <map>

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

std::unique_ptr<CausalLM> createCausalLM(const ModelConfig& config, const WeightSource& weights,
                                         const LoadOptions& options) {
  return std::make_unique<GptNeox>(config, weights, options);
}

namespace {

// A model's own parameters as a weight source: load() hands out copies.
class ParameterSource : public WeightSource {
 public:
  explicit ParameterSource(const CausalLM& m) {
    for (auto& [name, t] : m.namedParameters()) tensors_[name] = t;
  }
  std::vector<std::string> names() const override {
    std::vector<std::string> out;
    for (const auto& [name, _] : tensors_) out.push_back(name);
    return out;
  }
  bool contains(const std::string& name) const override { return tensors_.count(name) > 0; }
  TensorMeta meta(const std::string& name) const override {
    const at::Tensor& t = get(name);
    return TensorMeta{fromScalarType(t.scalar_type(), "model parameter '" + name + "'"), t.sizes().vec()};
  }
  at::Tensor load(const std::string& name) const override { return get(name).detach().clone(); }
  std::vector<fs::path> files() const override { return {}; }
  fs::path fileOf(const std::string&) const override { return "model in memory"; }

 private:
  const at::Tensor& get(const std::string& name) const {
    auto it = tensors_.find(name);
    if (it == tensors_.end()) throw Error("model in memory: no parameter named '" + name + "'");
    return it->second;
  }
  std::map<std::string, at::Tensor> tensors_;
};

}  // namespace

std::unique_ptr<CausalLM> cloneCausalLM(const CausalLM& model) {
  at::NoGradGuard noGrad;
  LoadOptions o;
  o.dtype = model.dtype();
  o.device = model.device();
  return createCausalLM(model.config(), ParameterSource(model), o);
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
