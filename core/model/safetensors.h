#pragma once
// safetensors: a little-endian u64 header length, a JSON header
// {name: {dtype, shape, data_offsets:[begin,end]}, "__metadata__": {str: str}},
// then the raw tensor bytes. The reader memory-maps the file and checks every
// offset and shape against the header and the file size before it touches a
// byte, so a damaged file is a qid::Error naming the file, never a crash.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/weight_source.h"

namespace qid::model {

struct SafetensorsEntry {
  std::string name;
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0;  // byte offsets relative to the data section
  std::uint64_t end = 0;
};

// Headers larger than this are refused as absurd.
constexpr std::uint64_t kMaxSafetensorsHeader = 100ull << 20;

class SafetensorsFile : public WeightSource {
 public:
  explicit SafetensorsFile(const std::filesystem::path& path);
  ~SafetensorsFile() override;
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;

  const std::filesystem::path& path() const { return path_; }
  const std::vector<SafetensorsEntry>& entries() const { return entries_; }  // sorted by name
  const SafetensorsEntry& entry(const std::string& name) const;
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  // The raw header JSON bytes and a tensor's raw bytes (views into the mapping).
  std::string_view headerBytes() const;
  std::string_view rawBytes(const std::string& name) const;
  std::uint64_t fileSize() const { return size_; }
  std::uint64_t dataOffset() const { return dataOffset_; }
  // The whole mapped file.
  std::string_view fileBytes() const;

  std::vector<std::string> names() const override;
  bool contains(const std::string& name) const override;
  TensorMeta meta(const std::string& name) const override;
  at::Tensor load(const std::string& name) const override;
  std::vector<std::filesystem::path> files() const override { return {path_}; }
  std::filesystem::path fileOf(const std::string&) const override { return path_; }

 private:
  std::filesystem::path path_;
  const char* map_ = nullptr;
  std::uint64_t size_ = 0;
  std::uint64_t dataOffset_ = 0;
  std::vector<SafetensorsEntry> entries_;
  std::map<std::string, std::size_t> index_;
  std::map<std::string, std::string> metadata_;
};

// Several shard files tied together by model.safetensors.index.json
// ({"weight_map": {tensor: file}}). Every shard is opened and checked; a
// tensor listed in the index must be in its shard.
class ShardedSafetensors : public WeightSource {
 public:
  explicit ShardedSafetensors(const std::filesystem::path& indexPath);

  std::vector<std::string> names() const override;
  bool contains(const std::string& name) const override;
  TensorMeta meta(const std::string& name) const override;
  at::Tensor load(const std::string& name) const override;
  std::vector<std::filesystem::path> files() const override;
  std::filesystem::path fileOf(const std::string& name) const override;
  const std::vector<std::unique_ptr<SafetensorsFile>>& shards() const { return shards_; }

 private:
  const SafetensorsFile& shardOf(const std::string& name) const;
  std::filesystem::path indexPath_;
  std::vector<std::unique_ptr<SafetensorsFile>> shards_;
  std::map<std::string, std::size_t> owner_;
};

using NamedTensors = std::vector<std::pair<std::string, at::Tensor>>;

// Writes one safetensors file (atomically: a temporary file renamed into
// place). Tensors may be on any device and of F32/F16/BF16 type.
void writeSafetensors(const std::filesystem::path& path, const NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata = {});

// Writes model-0000k-of-0000n.safetensors shards of at most maxShardBytes
// (each tensor whole) plus model.safetensors.index.json into dir.
void writeShardedSafetensors(const std::filesystem::path& dir, const NamedTensors& tensors,
                             std::uint64_t maxShardBytes,
                             const std::map<std::string, std::string>& metadata = {});

}  // namespace qid::model
