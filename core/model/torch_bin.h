#pragma once
// Weights-only reading of PyTorch checkpoints as Hugging Face ships them
// (pytorch_model.bin, or shards tied by pytorch_model.bin.index.json), the
// format many Pythia revisions have only.
//
// A torch.save file (PyTorch >= 1.6) is a zip archive (zip_archive.h) of
//   <prefix>/data.pkl     the state dict, pickled (protocol 2)
//   <prefix>/data/<key>   one record of raw little-endian bytes per storage
//   <prefix>/version, <prefix>/byteorder, ...
// data.pkl is read by a data-only pickle subset interpreter
// (torch_pickle.h) that never executes code: any global other than torch
// storages, _rebuild_tensor_v2 and OrderedDict is refused. Every tensor's
// view (offset, sizes, strides) is checked against its storage record
// before a byte is read. Float tensors (F32, F16, BF16) are the weights;
// other buffers (a bool attention mask, an int64 position table) are listed
// by tensors() and otherwise ignored, as the model loader ignores names it
// does not need.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/torch_pickle.h"
#include "model/weight_source.h"

namespace qid::model {

class ZipArchive;
struct ZipEntry;

class TorchBinFile : public WeightSource {
 public:
  explicit TorchBinFile(const std::filesystem::path& path);
  ~TorchBinFile() override;

  const std::filesystem::path& path() const { return path_; }
  // The archive's record prefix ("archive", or the file stem in older files).
  const std::string& prefix() const { return prefix_; }
  // Every tensor of the state dict, the float weights and the other buffers.
  const std::vector<PickledTensor>& tensors() const { return all_; }
  // True for any tensor of the state dict, weight or buffer.
  bool stores(const std::string& name) const;

  std::vector<std::string> names() const override;  // the float tensors
  bool contains(const std::string& name) const override;
  TensorMeta meta(const std::string& name) const override;
  at::Tensor load(const std::string& name) const override;
  std::vector<std::filesystem::path> files() const override { return {path_}; }
  std::filesystem::path fileOf(const std::string&) const override { return path_; }

 private:
  struct Weight {
    PickledTensor tensor;
    DType dtype = DType::F32;
    const ZipEntry* record = nullptr;
  };
  const Weight& weight(const std::string& name) const;

  std::filesystem::path path_;
  std::unique_ptr<ZipArchive> zip_;
  std::string prefix_;
  std::vector<PickledTensor> all_;
  std::map<std::string, Weight> weights_;
  std::map<std::string, std::string> buffers_;  // name -> storage type
};

// pytorch_model-0000k-of-0000n.bin shards tied by pytorch_model.bin.index.json
// ({"weight_map": {tensor: file}}). Every shard is opened and checked; a
// tensor listed in the index must be in its shard.
class ShardedTorchBin : public WeightSource {
 public:
  explicit ShardedTorchBin(const std::filesystem::path& indexPath);

  std::vector<std::string> names() const override;
  bool contains(const std::string& name) const override;
  TensorMeta meta(const std::string& name) const override;
  at::Tensor load(const std::string& name) const override;
  std::vector<std::filesystem::path> files() const override;
  std::filesystem::path fileOf(const std::string& name) const override;

 private:
  const TorchBinFile& shardOf(const std::string& name) const;
  std::filesystem::path indexPath_;
  std::vector<std::unique_ptr<TorchBinFile>> shards_;
  std::map<std::string, std::size_t> owner_;  // float tensors only
};

}  // namespace qid::model
