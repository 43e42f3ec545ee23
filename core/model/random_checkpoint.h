#pragma once
// Tiny random checkpoints for tests across modules (loader, quantizers,
// store, trainer): an HF folder with config.json and safetensors weights.
#include <cstdint>
#include <filesystem>

#include "model/dtype.h"
#include "model/model_config.h"

namespace qid::model {

struct RandomCheckpointOptions {
  std::uint64_t seed = 0;
  DType dtype = DType::F32;
  std::uint64_t maxShardBytes = 0;  // > 0: sharded safetensors with an index
};

// The test default: GPT-NeoX, 2 layers, hidden 64, 4 heads, vocab 512,
// 2048 positions.
ModelConfig tinyGptNeoxConfig(std::int64_t layers = 2, std::int64_t hidden = 64,
                              std::int64_t heads = 4, std::int64_t vocab = 512);

// Writes config.json and random weights into dir (created if needed).
void writeRandomCheckpoint(const std::filesystem::path& dir, const ModelConfig& config,
                           const RandomCheckpointOptions& options = {});

}  // namespace qid::model
