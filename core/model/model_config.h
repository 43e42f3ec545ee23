#pragma once
// config.json of an HF checkpoint folder, the architecture behind it, and the
// parameter counts every scaling law needs (N = non-embedding parameters).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace qid::model {

struct ModelConfig {
  std::string architecture = "GPTNeoXForCausalLM";  // architectures[0]
  std::string modelType = "gpt_neox";
  std::int64_t vocabSize = 50304;
  std::int64_t hiddenSize = 512;
  std::int64_t numLayers = 6;
  std::int64_t numHeads = 8;
  std::int64_t intermediateSize = 2048;
  std::int64_t maxPositionEmbeddings = 2048;
  double rotaryPct = 0.25;
  double rotaryEmbBase = 10000.0;
  double layerNormEps = 1e-5;
  bool useParallelResidual = true;
  std::string hiddenAct = "gelu";
  bool tieWordEmbeddings = false;
  bool attentionBias = true;
  std::string torchDtype = "float16";
  std::int64_t bosTokenId = 0;
  std::int64_t eosTokenId = 0;
  // The parsed config.json as read (empty for configs built in code), so that
  // later architectures can read their own keys.
  nlohmann::json raw;

  std::int64_t headDim() const { return hiddenSize / numHeads; }
  // Rotary dimensions per head: int(head_dim * rotary_pct), as HF computes it.
  std::int64_t rotaryDims() const { return static_cast<std::int64_t>(headDim() * rotaryPct); }
};

// Parses config.json content; `where` names the file in error messages.
// Throws qid::Error for missing/invalid keys and unknown architectures.
ModelConfig parseModelConfig(const nlohmann::json& json, const std::string& where);
// Reads DIR/config.json (or the file itself when given a file).
ModelConfig loadModelConfig(const std::filesystem::path& dirOrFile);
// HF-style config.json content.
nlohmann::json toJson(const ModelConfig& config);
void saveModelConfig(const std::filesystem::path& dir, const ModelConfig& config);

// A Pythia-shaped GPT-NeoX config (vocab 50304 unless given).
ModelConfig gptNeoxConfig(std::int64_t layers, std::int64_t hidden, std::int64_t heads,
                          std::int64_t vocab = 50304);

struct TensorSpec {
  std::string name;  // HF tensor name
  std::vector<std::int64_t> shape;
  bool embedding = false;  // input embedding or output unembedding
};

struct ParameterCount {
  std::int64_t nonEmbedding = 0;  // N: all but the input embedding and the unembedding
  std::int64_t total = 0;         // N_total
};

// One model family. Adding Llama/Qwen2 means one more implementation.
class Architecture {
 public:
  virtual ~Architecture() = default;
  virtual std::string name() const = 0;       // e.g. "GPTNeoXForCausalLM"
  virtual std::string modelType() const = 0;  // e.g. "gpt_neox"
  // Throws qid::Error (naming `where`) when the config is inconsistent.
  virtual void validate(const ModelConfig& config, const std::string& where) const = 0;
  // Every tensor the checkpoint must hold, in canonical order.
  virtual std::vector<TensorSpec> tensors(const ModelConfig& config) const = 0;
};

// The architecture for a config; throws qid::Error for unknown ones.
const Architecture& architectureOf(const ModelConfig& config, const std::string& where = "config");
std::vector<std::string> knownArchitectures();

ParameterCount countParameters(const ModelConfig& config);

}  // namespace qid::model
