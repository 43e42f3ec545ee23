#pragma once
// Which files of a model repo a checkpoint needs: config.json, the tokenizer
// files, and the weights. Safetensors (one file, or shards with their
// index) win; pytorch_model.bin (or its shards + index) is the fallback only
// when the repo has no safetensors at the top level. Everything else (other
// frameworks' weights, READMEs, optimizer states in subfolders) is skipped.
#include <string>
#include <vector>

namespace qid::hub {

// Picks from a repo's file list (the "siblings" of the model info), sorted.
// Throws qid::Error naming the repo when there are no weights or no config.
std::vector<std::string> selectModelFiles(const std::vector<std::string>& repoFiles,
                                          const std::string& repoId, const std::string& revision);

// True for file names the tokenizer loader may read.
bool isTokenizerFile(const std::string& name);

}  // namespace qid::hub
