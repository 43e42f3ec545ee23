#pragma once
// A fake-quant model written back as a normal Hugging Face folder, so that
// `qidlab-cli eval` (or transformers) reads it like any checkpoint:
//   DIR/config.json          the source config, torch_dtype = the saved dtype
//   DIR/model.safetensors    every parameter in the model's compute dtype
//                            (the dequantized weights are exact in it)
//   DIR/tokenizer.json       copied from the source
//   DIR/qidlab_quant.json    how it was quantized and what was measured
// The safetensors metadata repeats the method and bits. No HF
// "quantization_config" is written: the weights are plain floats.
#include <filesystem>

#include <nlohmann/json.hpp>

namespace qid::model {
class CausalLM;
}

namespace qid::quant {

struct FakeQuantExport {
  std::filesystem::path sourceModel;
  std::filesystem::path tokenizerJson;  // copied when it exists
  nlohmann::json quantization = nlohmann::json::object();  // method, bits, group, ...
  nlohmann::json measurement = nlohmann::json::object();   // loss16, lossq, recipe, ...
};

// Writes the folder (created; it must be empty or absent) and returns
// {"path", "files", "dtype"}. Throws qid::Error naming the folder on failure.
nlohmann::json saveFakeQuantModel(const model::CausalLM& model, const std::filesystem::path& dir,
                                  const FakeQuantExport& info);

}  // namespace qid::quant
