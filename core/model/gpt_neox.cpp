#include "model/gpt_neox.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <sstream>

#include "common/error.h"

namespace qid::model {

namespace {

const char* const kShortNames[4] = {"query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"};
const char* const kModules[4] = {"attention.query_key_value", "attention.dense", "mlp.dense_h_to_4h",
                                 "mlp.dense_4h_to_h"};

std::string shapeText(at::IntArrayRef shape) {
  std::ostringstream s;
  s << "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s << (i ? ", " : "") << shape[i];
  s << "]";
  return s.str();
}

std::string shapeText(const std::vector<std::int64_t>& shape) { return shapeText(at::IntArrayRef(shape)); }

// x[..., :d/2], x[..., d/2:] -> cat(-x2, x1)
at::Tensor rotateHalf(const at::Tensor& x) {
  const auto half = x.size(-1) / 2;
  return at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
}

// libtorch 1.13 lacks CPU kernels for several fp16 ops (layer_norm, addmm,
// gelu). On CPU, fp16 runs them in fp32 and rounds each result back to fp16,
// which keeps fp16 storage semantics between ops.
bool emulated(const at::Tensor& x) { return x.scalar_type() == at::kHalf && x.device().is_cpu(); }

at::Tensor f32(const at::Tensor& t) { return t.defined() ? t.to(at::kFloat) : t; }

at::Tensor linearOp(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b) {
  if (emulated(x)) return at::linear(f32(x), f32(w), f32(b)).to(at::kHalf);
  return at::linear(x, w, b);
}

at::Tensor layerNormOp(const at::Tensor& x, std::int64_t n, const at::Tensor& w, const at::Tensor& b, double eps) {
  if (emulated(x)) return at::layer_norm(f32(x), {n}, f32(w), f32(b), eps).to(at::kHalf);
  return at::layer_norm(x, {n}, w, b, eps);
}

at::Tensor matmulOp(const at::Tensor& a, const at::Tensor& b) {
  if (emulated(a)) return at::matmul(f32(a), f32(b)).to(at::kHalf);
  return at::matmul(a, b);
}

at::Tensor geluOp(const at::Tensor& x) {
  if (emulated(x)) return at::gelu(f32(x)).to(at::kHalf);
  return at::gelu(x);
}

}  // namespace

const char* linearName(LinearKind kind) { return kShortNames[static_cast<int>(kind)]; }

LinearKind parseLinearKind(const std::string& name) {
  for (int i = 0; i < 4; ++i)
    if (name == kShortNames[i] || name == kModules[i]) return static_cast<LinearKind>(i);
  throw Error("GPT-NeoX has no Linear named '" + name +
              "' (query_key_value, dense, dense_h_to_4h, dense_4h_to_h)");
}

std::string gptNeoxLinearPrefix(int layer, LinearKind kind) {
  return "gpt_neox.layers." + std::to_string(layer) + "." + kModules[static_cast<int>(kind)];
}

at::Tensor GptNeox::prepare(at::Tensor t) const {
  return t.to(options_.device, options_.dtype).contiguous();
}

GptNeox::GptNeox(ModelConfig config, const WeightSource& weights, const LoadOptions& options)
    : config_(std::move(config)), options_(options) {
  const auto& arch = architectureOf(config_);
  arch.validate(config_, "config.json");
  std::map<std::string, at::Tensor> loaded;
  for (const auto& spec : arch.tensors(config_)) {
    if (!weights.contains(spec.name)) {
      auto files = weights.files();
      throw Error((files.empty() ? std::string("checkpoint") : files.front().string()) +
                  ": missing tensor '" + spec.name + "' required by config.json");
    }
    TensorMeta meta = weights.meta(spec.name);
    if (meta.shape != spec.shape)
      throw Error(weights.fileOf(spec.name).string() + ": tensor '" + spec.name + "' has shape " +
                  shapeText(meta.shape) + " but config.json needs " + shapeText(spec.shape));
    loaded[spec.name] = prepare(weights.load(spec.name));
  }
  embedIn_ = loaded.at("gpt_neox.embed_in.weight");
  embedOut_ = loaded.at("embed_out.weight");
  finalNorm_ = {loaded.at("gpt_neox.final_layer_norm.weight"), loaded.at("gpt_neox.final_layer_norm.bias")};
  layers_.resize(static_cast<std::size_t>(config_.numLayers));
  for (int i = 0; i < numLayers(); ++i) {
    const std::string p = "gpt_neox.layers." + std::to_string(i) + ".";
    auto& L = layers_[static_cast<std::size_t>(i)];
    L.inputLayerNorm = {loaded.at(p + "input_layernorm.weight"), loaded.at(p + "input_layernorm.bias")};
    L.postAttentionLayerNorm = {loaded.at(p + "post_attention_layernorm.weight"),
                                loaded.at(p + "post_attention_layernorm.bias")};
    for (auto kind : kGptNeoxLinears) {
      const std::string prefix = gptNeoxLinearPrefix(i, kind);
      L.weight[static_cast<int>(kind)] = loaded.at(prefix + ".weight");
      L.bias[static_cast<int>(kind)] = loaded.at(prefix + ".bias");
    }
  }
}

GptNeox::GptNeox(ModelConfig config, std::uint64_t seed, const LoadOptions& options)
    : config_(std::move(config)), options_(options) {
  architectureOf(config_).validate(config_, "config");
  auto gen = at::detail::createCPUGenerator(seed);
  auto f32 = at::TensorOptions().dtype(at::kFloat);
  const std::int64_t h = config_.hiddenSize, f = config_.intermediateSize, v = config_.vocabSize;
  const double std0 = 0.02, stdOut = 0.02 / std::sqrt(2.0 * static_cast<double>(config_.numLayers));
  auto normal = [&](std::vector<std::int64_t> shape, double sd) {
    return prepare(at::randn(shape, gen, f32) * sd);
  };
  auto zeros = [&](std::int64_t n) { return prepare(at::zeros({n}, f32)); };
  auto ones = [&](std::int64_t n) { return prepare(at::ones({n}, f32)); };
  embedIn_ = normal({v, h}, std0);
  layers_.resize(static_cast<std::size_t>(config_.numLayers));
  for (auto& L : layers_) {
    L.inputLayerNorm = {ones(h), zeros(h)};
    L.postAttentionLayerNorm = {ones(h), zeros(h)};
    L.weight[0] = normal({3 * h, h}, std0);
    L.bias[0] = zeros(3 * h);
    L.weight[1] = normal({h, h}, stdOut);
    L.bias[1] = zeros(h);
    L.weight[2] = normal({f, h}, std0);
    L.bias[2] = zeros(f);
    L.weight[3] = normal({h, f}, stdOut);
    L.bias[3] = zeros(h);
  }
  finalNorm_ = {ones(h), zeros(h)};
  embedOut_ = normal({v, h}, std0);
}

void GptNeox::checkLayer(int layer) const {
  if (layer < 0 || layer >= numLayers())
    throw Error("layer " + std::to_string(layer) + " out of range (model has " +
                std::to_string(numLayers()) + " layers)");
}

at::Tensor GptNeox::embed(const at::Tensor& ids) const {
  return at::embedding(embedIn_, ids.to(options_.device, at::kLong));
}

at::Tensor GptNeox::blockForward(int layer, const at::Tensor& x, LinearObserver* observer) const {
  checkLayer(layer);
  const auto& L = layers_[static_cast<std::size_t>(layer)];
  const std::int64_t B = x.size(0), T = x.size(1), H = config_.hiddenSize;
  const std::int64_t nh = config_.numHeads, hd = config_.headDim(), rd = config_.rotaryDims();
  const double eps = config_.layerNormEps;

  // Attention branch.
  at::Tensor a = layerNormOp(x, H, L.inputLayerNorm.weight, L.inputLayerNorm.bias, eps);
  if (observer) observer->observe(layer, kShortNames[0], a);
  at::Tensor qkv = linearOp(a, L.weight[0], L.bias[0]).view({B, T, nh, 3 * hd});
  at::Tensor q = qkv.narrow(-1, 0, hd).permute({0, 2, 1, 3});
  at::Tensor k = qkv.narrow(-1, hd, hd).permute({0, 2, 1, 3});
  at::Tensor v = qkv.narrow(-1, 2 * hd, hd).permute({0, 2, 1, 3});

  // Rotary on the first rd dims of each head (rotate-half layout), angles in fp32.
  auto f32dev = at::TensorOptions().dtype(at::kFloat).device(options_.device);
  at::Tensor invFreq = 1.0 / at::pow(config_.rotaryEmbBase, at::arange(0, rd, 2, f32dev) / static_cast<double>(rd));
  at::Tensor freqs = at::outer(at::arange(T, f32dev), invFreq);
  at::Tensor emb = at::cat({freqs, freqs}, -1);
  at::Tensor cos = emb.cos().to(x.scalar_type()), sin = emb.sin().to(x.scalar_type());
  auto rope = [&](const at::Tensor& t) {
    at::Tensor rot = t.narrow(-1, 0, rd);
    at::Tensor pass = t.narrow(-1, rd, hd - rd);
    return at::cat({rot * cos + rotateHalf(rot) * sin, pass}, -1);
  };
  q = rope(q);
  k = rope(k);

  at::Tensor scores = matmulOp(q, k.transpose(-1, -2)) * (1.0 / std::sqrt(static_cast<double>(hd)));
  at::Tensor mask = at::ones({T, T}, at::TensorOptions().dtype(at::kBool).device(options_.device)).triu(1);
  scores = scores.masked_fill(mask, -std::numeric_limits<double>::infinity());
  at::Tensor probs = at::softmax(scores, -1, at::kFloat).to(v.scalar_type());
  at::Tensor ctx = matmulOp(probs, v).permute({0, 2, 1, 3}).reshape({B, T, H});
  if (observer) observer->observe(layer, kShortNames[1], ctx);
  at::Tensor attn = linearOp(ctx, L.weight[1], L.bias[1]);

  // MLP branch (parallel residual: reads x, not x + attn).
  at::Tensor m = layerNormOp(x, H, L.postAttentionLayerNorm.weight, L.postAttentionLayerNorm.bias, eps);
  if (observer) observer->observe(layer, kShortNames[2], m);
  at::Tensor act = geluOp(linearOp(m, L.weight[2], L.bias[2]));
  if (L.activationScale.defined()) act = act / L.activationScale;
  if (observer) observer->observe(layer, kShortNames[3], act);
  at::Tensor mlp = linearOp(act, L.weight[3], L.bias[3]);
  return mlp + attn + x;
}

at::Tensor GptNeox::finalHidden(const at::Tensor& hidden) const {
  return layerNormOp(hidden, config_.hiddenSize, finalNorm_.weight, finalNorm_.bias, config_.layerNormEps);
}

at::Tensor GptNeox::logits(const at::Tensor& finalHidden) const { return linearOp(finalHidden, embedOut_, at::Tensor()); }

std::vector<std::string> GptNeox::linearNames() const {
  return {kShortNames[0], kShortNames[1], kShortNames[2], kShortNames[3]};
}

at::Tensor& GptNeox::linearWeight(int layer, LinearKind kind) {
  checkLayer(layer);
  return layers_[static_cast<std::size_t>(layer)].weight[static_cast<int>(kind)];
}

at::Tensor& GptNeox::linearBias(int layer, LinearKind kind) {
  checkLayer(layer);
  return layers_[static_cast<std::size_t>(layer)].bias[static_cast<int>(kind)];
}

void GptNeox::setLinearWeight(int layer, LinearKind kind, const at::Tensor& weight) {
  at::Tensor& w = linearWeight(layer, kind);
  if (weight.sizes() != w.sizes())
    throw Error("replacement weight for layer " + std::to_string(layer) + " " + linearName(kind) +
                " has shape " + shapeText(weight.sizes()) + ", expected " + shapeText(w.sizes()));
  w = prepare(weight.detach());
}

at::Tensor& GptNeox::linearWeight(int layer, const std::string& linear) {
  return linearWeight(layer, parseLinearKind(linear));
}
at::Tensor& GptNeox::linearBias(int layer, const std::string& linear) {
  return linearBias(layer, parseLinearKind(linear));
}
void GptNeox::setLinearWeight(int layer, const std::string& linear, const at::Tensor& weight) {
  setLinearWeight(layer, parseLinearKind(linear), weight);
}

LayerNormParams& GptNeox::inputLayerNorm(int layer) {
  checkLayer(layer);
  return layers_[static_cast<std::size_t>(layer)].inputLayerNorm;
}

LayerNormParams& GptNeox::postAttentionLayerNorm(int layer) {
  checkLayer(layer);
  return layers_[static_cast<std::size_t>(layer)].postAttentionLayerNorm;
}

void GptNeox::setActivationScale(int layer, const at::Tensor& scale) {
  checkLayer(layer);
  auto& L = layers_[static_cast<std::size_t>(layer)];
  if (!scale.defined()) {
    L.activationScale = at::Tensor();
    return;
  }
  if (scale.dim() != 1 || scale.size(0) != config_.intermediateSize)
    throw Error("activation scale for layer " + std::to_string(layer) + " must have shape [" +
                std::to_string(config_.intermediateSize) + "], got " + shapeText(scale.sizes()));
  L.activationScale = prepare(scale.detach());
}

const at::Tensor& GptNeox::activationScale(int layer) const {
  checkLayer(layer);
  return layers_[static_cast<std::size_t>(layer)].activationScale;
}

GptNeoxLayer& GptNeox::layer(int index) {
  checkLayer(index);
  return layers_[static_cast<std::size_t>(index)];
}

NamedTensors GptNeox::namedParameters() const {
  NamedTensors out;
  out.emplace_back("gpt_neox.embed_in.weight", embedIn_);
  for (int i = 0; i < numLayers(); ++i) {
    const std::string p = "gpt_neox.layers." + std::to_string(i) + ".";
    const auto& L = layers_[static_cast<std::size_t>(i)];
    out.emplace_back(p + "input_layernorm.weight", L.inputLayerNorm.weight);
    out.emplace_back(p + "input_layernorm.bias", L.inputLayerNorm.bias);
    out.emplace_back(p + "post_attention_layernorm.weight", L.postAttentionLayerNorm.weight);
    out.emplace_back(p + "post_attention_layernorm.bias", L.postAttentionLayerNorm.bias);
    for (auto kind : kGptNeoxLinears) {
      const std::string prefix = gptNeoxLinearPrefix(i, kind);
      out.emplace_back(prefix + ".weight", L.weight[static_cast<int>(kind)]);
      out.emplace_back(prefix + ".bias", L.bias[static_cast<int>(kind)]);
    }
  }
  out.emplace_back("gpt_neox.final_layer_norm.weight", finalNorm_.weight);
  out.emplace_back("gpt_neox.final_layer_norm.bias", finalNorm_.bias);
  out.emplace_back("embed_out.weight", embedOut_);
  return out;
}

void GptNeox::setRequiresGrad(bool enabled) {
  auto set = [&](at::Tensor& t) { t.requires_grad_(enabled); };
  set(embedIn_);
  set(embedOut_);
  set(finalNorm_.weight);
  set(finalNorm_.bias);
  for (auto& L : layers_) {
    set(L.inputLayerNorm.weight);
    set(L.inputLayerNorm.bias);
    set(L.postAttentionLayerNorm.weight);
    set(L.postAttentionLayerNorm.bias);
    for (auto& w : L.weight) set(w);
    for (auto& b : L.bias) set(b);
  }
}

}  // namespace qid::model
