// qidlab-cli inspect: what an HF checkpoint folder holds (architecture, N,
// N_total, dtype, every tensor) and whether its weights fit its config.json.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "command_registry.h"
#include "common/error.h"
#include "model/model_config.h"
#include "model/weight_source.h"

namespace {

namespace fs = std::filesystem;

struct Options {
  std::string model;
  bool json = false, quiet = false;
};

std::string shapeText(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

// 1234567 -> "1,234,567".
std::string grouped(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

void run(const Options& o) {
  using namespace qid;
  const fs::path dir(o.model);
  if (!fs::exists(dir)) throw Error(o.model + ": no such folder");
  if (!fs::is_directory(dir)) throw Error(o.model + ": not a folder (give the checkpoint folder)");
  const model::ModelConfig config = model::loadModelConfig(dir);
  const auto& arch = model::architectureOf(config, (dir / "config.json").string());
  arch.validate(config, (dir / "config.json").string());
  const auto weights = model::openWeights(dir);

  // Every tensor the config needs must be there with its shape.
  std::set<std::string> needed;
  std::map<std::string, int> dtypeCounts;
  for (const auto& spec : arch.tensors(config)) {
    needed.insert(spec.name);
    if (!weights->contains(spec.name))
      throw Error(weights->files().front().string() + ": missing tensor '" + spec.name +
                  "' required by config.json");
    const model::TensorMeta meta = weights->meta(spec.name);
    if (meta.shape != spec.shape)
      throw Error(weights->fileOf(spec.name).string() + ": tensor '" + spec.name + "' has shape " +
                  shapeText(meta.shape) + " but config.json needs " + shapeText(spec.shape));
    ++dtypeCounts[model::dtypeName(meta.dtype)];
  }
  std::string dtype;
  for (const auto& [name, count] : dtypeCounts) dtype += (dtype.empty() ? "" : "+") + name;
  if (dtypeCounts.size() > 1) dtype = "mixed (" + dtype + ")";

  const model::ParameterCount count = model::countParameters(config);
  const fs::path tokenizer = dir / "tokenizer.json";
  const bool haveTokenizer = fs::exists(tokenizer);

  nlohmann::json j;
  j["model"] = o.model;
  j["architecture"] = config.architecture;
  j["model_type"] = config.modelType;
  j["layers"] = config.numLayers;
  j["hidden_size"] = config.hiddenSize;
  j["heads"] = config.numHeads;
  j["intermediate_size"] = config.intermediateSize;
  j["vocab_size"] = config.vocabSize;
  j["max_position_embeddings"] = config.maxPositionEmbeddings;
  j["rotary_pct"] = config.rotaryPct;
  j["N"] = count.nonEmbedding;
  j["N_total"] = count.total;
  j["dtype"] = dtype;
  j["torch_dtype"] = config.torchDtype;
  j["weight_files"] = nlohmann::json::array();
  std::uintmax_t bytes = 0;
  for (const auto& f : weights->files()) {
    j["weight_files"].push_back(f.filename().string());
    bytes += fs::file_size(f);
  }
  j["weight_bytes"] = bytes;
  j["tokenizer"] = haveTokenizer ? nlohmann::json(tokenizer.string()) : nlohmann::json();
  j["tensors"] = nlohmann::json::array();
  std::int64_t unused = 0;
  for (const auto& name : weights->names()) {
    const model::TensorMeta meta = weights->meta(name);
    const bool used = needed.count(name) > 0;
    unused += used ? 0 : 1;
    j["tensors"].push_back({{"name", name},
                            {"dtype", model::dtypeName(meta.dtype)},
                            {"shape", meta.shape},
                            {"used", used}});
  }

  if (o.json) {
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::printf("model          %s\n", o.model.c_str());
  std::printf("architecture   %s (model_type %s)\n", config.architecture.c_str(), config.modelType.c_str());
  std::printf("shape          %lld layers, hidden %lld, %lld heads, intermediate %lld, vocab %lld, "
              "rotary %.2f, %lld positions\n",
              (long long)config.numLayers, (long long)config.hiddenSize, (long long)config.numHeads,
              (long long)config.intermediateSize, (long long)config.vocabSize, config.rotaryPct,
              (long long)config.maxPositionEmbeddings);
  std::printf("N              %s (non-embedding parameters)\n", grouped(count.nonEmbedding).c_str());
  std::printf("N_total        %s\n", grouped(count.total).c_str());
  std::printf("dtype          %s (config.json torch_dtype %s)\n", dtype.c_str(), config.torchDtype.c_str());
  std::printf("weights        %zu file%s, %s bytes\n", weights->files().size(),
              weights->files().size() == 1 ? "" : "s", grouped(std::int64_t(bytes)).c_str());
  std::printf("tokenizer      %s\n", haveTokenizer ? tokenizer.string().c_str() : "(no tokenizer.json)");
  if (o.quiet) return;
  std::printf("tensors        %zu (%lld not used by the model)\n", weights->names().size(), (long long)unused);
  for (const auto& t : j["tensors"])
    std::printf("  %-56s %-5s %s%s\n", t["name"].get<std::string>().c_str(),
                t["dtype"].get<std::string>().c_str(),
                shapeText(t["shape"].get<std::vector<std::int64_t>>()).c_str(),
                t["used"].get<bool>() ? "" : "  (not used)");
}

const bool registered = qid::cli::registerCommand(
    {"inspect", 30, [](CLI::App& app) {
       auto o = std::make_shared<Options>();
       auto* sub = app.add_subcommand(
           "inspect",
           "Show what a Hugging Face checkpoint folder holds: architecture, N (non-embedding "
           "parameters, what the scaling laws use), N_total, the stored dtype and every tensor "
           "(name, dtype, shape). Fails with a clear message when config.json and the weights "
           "disagree (missing tensor, wrong shape, unsupported dtype, damaged file)");
       sub->add_option("--model", o->model,
                       "Checkpoint folder: config.json + model.safetensors (or shards with "
                       "model.safetensors.index.json)")
           ->required();
       sub->add_flag("--no-tensors", o->quiet, "Leave out the tensor list (text output)");
       sub->add_flag("--json", o->json, "Machine-readable output");
       sub->callback([o] { run(*o); });
     }});

}  // namespace
