#include "hub/file_selection.h"

#include <algorithm>
#include <set>

#include "common/error.h"

namespace qid::hub {

namespace {

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool topLevel(const std::string& f) { return f.find('/') == std::string::npos; }

}  // namespace

bool isTokenizerFile(const std::string& name) {
  static const std::set<std::string> names = {
      "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
      "vocab.json",     "merges.txt",            "tokenizer.model",         "vocab.txt"};
  return names.count(name) > 0;
}

std::vector<std::string> selectModelFiles(const std::vector<std::string>& repoFiles, const std::string& repoId,
                                          const std::string& revision) {
  std::vector<std::string> out;
  bool hasConfig = false, hasSafetensors = false;
  for (const auto& f : repoFiles)
    if (topLevel(f) && endsWith(f, ".safetensors")) hasSafetensors = true;
  for (const auto& f : repoFiles) {
    if (!topLevel(f)) continue;
    bool keep = false;
    if (f == "config.json") keep = hasConfig = true;
    else if (f == "generation_config.json" || isTokenizerFile(f)) keep = true;
    else if (hasSafetensors) keep = endsWith(f, ".safetensors") || f == "model.safetensors.index.json";
    else keep = f == "pytorch_model.bin" || f == "pytorch_model.bin.index.json" ||
                (f.rfind("pytorch_model-", 0) == 0 && endsWith(f, ".bin"));
    if (keep) out.push_back(f);
  }
  std::sort(out.begin(), out.end());
  bool hasWeights = std::any_of(out.begin(), out.end(), [](const std::string& f) {
    return endsWith(f, ".safetensors") || endsWith(f, ".bin");
  });
  if (!hasWeights)
    throw Error("hub repo " + repoId + " at revision " + revision +
                " has no model.safetensors or pytorch_model.bin to download");
  if (!hasConfig) throw Error("hub repo " + repoId + " at revision " + revision + " has no config.json");
  return out;
}

}  // namespace qid::hub
