#pragma once
// The index of a sharded checkpoint (model.safetensors.index.json or
// pytorch_model.bin.index.json): its weight_map from tensor names to shard
// files, checked once for both formats.
#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace qid::model {

struct ShardIndex {
  std::vector<std::filesystem::path> files;                  // shard paths, in first-mention order
  std::vector<std::pair<std::string, std::size_t>> tensors;  // tensor name -> index into files
};

// Throws qid::Error naming the index file when it cannot be read, is not
// JSON, has no weight_map object, names a shard unsafely (a path, "." or
// "..") or names a shard file that does not exist.
ShardIndex readShardIndex(const std::filesystem::path& indexPath);

}  // namespace qid::model
