#pragma once
// Helpers for sweep tests: tiny fake checkpoints and plans (fake runner).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "test_support.h"

namespace qid::test {

// A folder the FakeCellRunner accepts: config.json plus a small weights file
// whose bytes depend on `seed`.
inline void writeFakeCheckpoint(const std::filesystem::path& dir, int seed, int hidden = 64) {
  writeFile(dir / "config.json",
            nlohmann::json{{"hidden_size", hidden}, {"num_hidden_layers", 2}, {"vocab_size", 512}}.dump());
  std::string bytes(4096, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = char((i * 131 + size_t(seed) * 7919) % 251);
  writeFile(dir / "model.safetensors", bytes);
}

// Two checkpoints x RTN and GPTQ x bits 2/3/4 = 12 cells.
inline nlohmann::json tinyPlan(const std::filesystem::path& root, const std::string& name = "tiny") {
  writeFakeCheckpoint(root / "ckpt" / "step1000", 1);
  writeFakeCheckpoint(root / "ckpt" / "step4000", 2);
  writeFile(root / "eval.txt", "some evaluation text\n");
  return {{"name", name},
          {"models", {"ckpt/step1000", "ckpt/step4000"}},
          {"methods", {{{"method", "rtn"}, {"bits", {2, 3, 4}}, {"group", 128}},
                       {{"method", "gptq"}, {"bits", {2, 3, 4}}, {"group", 128}, {"options", {{"damp", 0.1}}}}}},
          {"eval", {{"path", "eval.txt"}, {"seqlen", 64}, {"windows", 6}}}};
}

}  // namespace qid::test
