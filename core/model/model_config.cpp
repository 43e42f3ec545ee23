#include "model/model_config.h"

#include <fstream>

#include "common/error.h"

namespace qid::model {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::int64_t requireInt(const json& j, const char* key, const std::string& where) {
  if (!j.contains(key)) throw Error(where + ": missing key '" + key + "'");
  if (!j[key].is_number_integer()) throw Error(where + ": key '" + key + "' is not an integer");
  return j[key].get<std::int64_t>();
}

template <typename T>
T optional(const json& j, const char* key, T fallback, const std::string& where) {
  if (!j.contains(key) || j[key].is_null()) return fallback;
  try {
    return j[key].get<T>();
  } catch (const json::exception&) {
    throw Error(where + ": key '" + key + "' has the wrong type");
  }
}

class GptNeoxArchitecture : public Architecture {
 public:
  std::string name() const override { return "GPTNeoXForCausalLM"; }
  std::string modelType() const override { return "gpt_neox"; }

  void validate(const ModelConfig& c, const std::string& where) const override {
    auto positive = [&](std::int64_t v, const char* key) {
      if (v <= 0) throw Error(where + ": '" + key + "' must be positive (got " + std::to_string(v) + ")");
    };
    positive(c.vocabSize, "vocab_size");
    positive(c.hiddenSize, "hidden_size");
    positive(c.numLayers, "num_hidden_layers");
    positive(c.numHeads, "num_attention_heads");
    positive(c.intermediateSize, "intermediate_size");
    positive(c.maxPositionEmbeddings, "max_position_embeddings");
    if (c.hiddenSize % c.numHeads != 0)
      throw Error(where + ": hidden_size " + std::to_string(c.hiddenSize) +
                  " is not divisible by num_attention_heads " + std::to_string(c.numHeads));
    if (!(c.rotaryPct > 0 && c.rotaryPct <= 1)) throw Error(where + ": rotary_pct must be in (0, 1]");
    if (c.rotaryDims() % 2 != 0 || c.rotaryDims() == 0)
      throw Error(where + ": rotary dimensions per head (" + std::to_string(c.rotaryDims()) + ") must be even and positive");
    if (!c.useParallelResidual) throw Error(where + ": use_parallel_residual=false is not supported");
    if (c.hiddenAct != "gelu")
      throw Error(where + ": hidden_act '" + c.hiddenAct + "' is not supported (only exact 'gelu')");
    if (c.tieWordEmbeddings) throw Error(where + ": tied word embeddings are not supported for GPT-NeoX");
    if (!c.attentionBias) throw Error(where + ": attention_bias=false is not supported");
    if (c.numLayers > 1000 || c.hiddenSize > (1 << 20) || c.vocabSize > (1 << 24))
      throw Error(where + ": implausible model dimensions");
  }

  std::vector<TensorSpec> tensors(const ModelConfig& c) const override {
    const std::int64_t h = c.hiddenSize, f = c.intermediateSize;
    std::vector<TensorSpec> out;
    out.push_back({"gpt_neox.embed_in.weight", {c.vocabSize, h}, true});
    for (std::int64_t i = 0; i < c.numLayers; ++i) {
      const std::string p = "gpt_neox.layers." + std::to_string(i) + ".";
      out.push_back({p + "input_layernorm.weight", {h}, false});
      out.push_back({p + "input_layernorm.bias", {h}, false});
      out.push_back({p + "post_attention_layernorm.weight", {h}, false});
      out.push_back({p + "post_attention_layernorm.bias", {h}, false});
      out.push_back({p + "attention.query_key_value.weight", {3 * h, h}, false});
      out.push_back({p + "attention.query_key_value.bias", {3 * h}, false});
      out.push_back({p + "attention.dense.weight", {h, h}, false});
      out.push_back({p + "attention.dense.bias", {h}, false});
      out.push_back({p + "mlp.dense_h_to_4h.weight", {f, h}, false});
      out.push_back({p + "mlp.dense_h_to_4h.bias", {f}, false});
      out.push_back({p + "mlp.dense_4h_to_h.weight", {h, f}, false});
      out.push_back({p + "mlp.dense_4h_to_h.bias", {h}, false});
    }
    out.push_back({"gpt_neox.final_layer_norm.weight", {h}, false});
    out.push_back({"gpt_neox.final_layer_norm.bias", {h}, false});
    out.push_back({"embed_out.weight", {c.vocabSize, h}, true});
    return out;
  }
};

const std::vector<const Architecture*>& registry() {
  static GptNeoxArchitecture neox;
  static const std::vector<const Architecture*> all = {&neox};
  return all;
}

}  // namespace

ModelConfig parseModelConfig(const json& j, const std::string& where) {
  if (!j.is_object()) throw Error(where + ": config is not a JSON object");
  ModelConfig c;
  c.raw = j;
  if (j.contains("architectures")) {
    if (!j["architectures"].is_array() || j["architectures"].empty() || !j["architectures"][0].is_string())
      throw Error(where + ": 'architectures' must be a non-empty list of names");
    c.architecture = j["architectures"][0].get<std::string>();
  } else {
    c.architecture = "";
  }
  c.modelType = optional<std::string>(j, "model_type", "", where);
  if (c.architecture.empty()) {
    for (const auto* a : registry())
      if (a->modelType() == c.modelType) c.architecture = a->name();
  }
  architectureOf(c, where);  // unknown architectures fail here, before the numbers
  c.vocabSize = requireInt(j, "vocab_size", where);
  c.hiddenSize = requireInt(j, "hidden_size", where);
  c.numLayers = requireInt(j, "num_hidden_layers", where);
  c.numHeads = requireInt(j, "num_attention_heads", where);
  c.intermediateSize = optional<std::int64_t>(j, "intermediate_size", 4 * c.hiddenSize, where);
  c.maxPositionEmbeddings = optional<std::int64_t>(j, "max_position_embeddings", 2048, where);
  c.rotaryPct = optional<double>(j, "rotary_pct", 0.25, where);
  c.rotaryEmbBase = optional<double>(j, "rotary_emb_base", 10000.0, where);
  if (j.contains("rope_theta") && !j.contains("rotary_emb_base"))
    c.rotaryEmbBase = optional<double>(j, "rope_theta", 10000.0, where);
  c.layerNormEps = optional<double>(j, "layer_norm_eps", 1e-5, where);
  c.useParallelResidual = optional<bool>(j, "use_parallel_residual", true, where);
  c.hiddenAct = optional<std::string>(j, "hidden_act", "gelu", where);
  c.tieWordEmbeddings = optional<bool>(j, "tie_word_embeddings", false, where);
  c.attentionBias = optional<bool>(j, "attention_bias", true, where);
  c.torchDtype = optional<std::string>(j, "torch_dtype", "float16", where);
  c.bosTokenId = optional<std::int64_t>(j, "bos_token_id", 0, where);
  c.eosTokenId = optional<std::int64_t>(j, "eos_token_id", 0, where);
  architectureOf(c, where).validate(c, where);
  return c;
}

ModelConfig loadModelConfig(const fs::path& dirOrFile) {
  fs::path file = fs::is_directory(dirOrFile) ? dirOrFile / "config.json" : dirOrFile;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(file.string() + ": cannot open model config");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::exception& e) {
    throw Error(file.string() + ": not valid JSON (" + e.what() + ")");
  }
  return parseModelConfig(j, file.string());
}

json toJson(const ModelConfig& c) {
  json j = c.raw.is_object() ? c.raw : json::object();
  j["architectures"] = json::array({c.architecture});
  j["model_type"] = c.modelType;
  j["vocab_size"] = c.vocabSize;
  j["hidden_size"] = c.hiddenSize;
  j["num_hidden_layers"] = c.numLayers;
  j["num_attention_heads"] = c.numHeads;
  j["intermediate_size"] = c.intermediateSize;
  j["max_position_embeddings"] = c.maxPositionEmbeddings;
  j["rotary_pct"] = c.rotaryPct;
  j["rotary_emb_base"] = c.rotaryEmbBase;
  j["layer_norm_eps"] = c.layerNormEps;
  j["use_parallel_residual"] = c.useParallelResidual;
  j["hidden_act"] = c.hiddenAct;
  j["tie_word_embeddings"] = c.tieWordEmbeddings;
  j["torch_dtype"] = c.torchDtype;
  j["bos_token_id"] = c.bosTokenId;
  j["eos_token_id"] = c.eosTokenId;
  return j;
}

void saveModelConfig(const fs::path& dir, const ModelConfig& config) {
  fs::create_directories(dir);
  std::ofstream out(dir / "config.json", std::ios::binary | std::ios::trunc);
  out << toJson(config).dump(2) << "\n";
  if (!out) throw Error((dir / "config.json").string() + ": write failed");
}

ModelConfig gptNeoxConfig(std::int64_t layers, std::int64_t hidden, std::int64_t heads,
                          std::int64_t vocab) {
  ModelConfig c;
  c.numLayers = layers;
  c.hiddenSize = hidden;
  c.numHeads = heads;
  c.vocabSize = vocab;
  c.intermediateSize = 4 * hidden;
  architectureOf(c).validate(c, "config");
  return c;
}

const Architecture& architectureOf(const ModelConfig& config, const std::string& where) {
  for (const auto* a : registry())
    if (a->name() == config.architecture) return *a;
  std::string known;
  for (const auto& n : knownArchitectures()) known += (known.empty() ? "" : ", ") + n;
  throw Error(where + ": unknown architecture '" +
              (config.architecture.empty() ? "(model_type " + config.modelType + ")" : config.architecture) +
              "' (supported: " + known + ")");
}

std::vector<std::string> knownArchitectures() {
  std::vector<std::string> out;
  for (const auto* a : registry()) out.push_back(a->name());
  return out;
}

ParameterCount countParameters(const ModelConfig& config) {
  ParameterCount count;
  for (const auto& spec : architectureOf(config).tensors(config)) {
    std::int64_t n = 1;
    for (auto d : spec.shape) n *= d;
    count.total += n;
    if (!spec.embedding) count.nonEmbedding += n;
  }
  return count;
}

}  // namespace qid::model
