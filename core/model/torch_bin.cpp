#include "model/torch_bin.h"

#include <ATen/ATen.h>

#include <cstring>
#include <fstream>

#include "common/error.h"
#include "model/shard_index.h"
#include "model/zip_archive.h"

namespace qid::model {

namespace fs = std::filesystem;

namespace {

// The weight dtypes; other storage types are buffers.
bool weightDType(const std::string& storageType, DType& out) {
  if (storageType == "FloatStorage") out = DType::F32;
  else if (storageType == "HalfStorage") out = DType::F16;
  else if (storageType == "BFloat16Storage") out = DType::BF16;
  else return false;
  return true;
}

// What a file that is not a zip archive is, for the error message.
std::string notZipReason(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char head[2] = {};
  in.read(reinterpret_cast<char*>(head), 2);
  if (in.gcount() == 2 && head[0] == 0x80 && head[1] <= 5)
    return "it is in the legacy torch.save format (PyTorch < 1.6), which QiD Lab does not read; "
           "re-save it with a current torch.save or convert it to safetensors";
  return "it is not a torch.save zip archive";
}

bool contiguousStrides(const PickledTensor& t) {
  std::int64_t expected = 1;
  for (std::size_t d = t.sizes.size(); d-- > 0;) {
    if (t.sizes[d] != 1 && t.strides[d] != expected) return false;
    expected *= t.sizes[d];
  }
  return true;
}

}  // namespace

TorchBinFile::TorchBinFile(const fs::path& path) : path_(path) {
  const std::string where = path.string();
  if (!fs::is_regular_file(path)) throw Error(where + ": no such checkpoint file");
  if (!ZipArchive::looksLikeZip(path)) throw Error(where + ": cannot read this checkpoint: " + notZipReason(path));
  zip_ = std::make_unique<ZipArchive>(path);
  if (zip_->entries().empty()) throw Error(where + ": empty zip archive, not a torch.save checkpoint");
  const std::string& first = zip_->entries().front().name;
  auto slash = first.find('/');
  if (slash == std::string::npos || slash == 0)
    throw Error(where + ": not a torch.save checkpoint (its records are not under one folder)");
  prefix_ = first.substr(0, slash);
  const ZipEntry* pkl = zip_->find(prefix_ + "/data.pkl");
  if (!pkl) throw Error(where + ": not a torch.save checkpoint (no " + prefix_ + "/data.pkl record)");
  if (const ZipEntry* order = zip_->find(prefix_ + "/byteorder")) {
    std::string_view text = zip_->bytes(*order);
    if (text != "little")
      throw Error(where + ": the checkpoint was written " + std::string(text.substr(0, 16)) +
                  "-endian; only little-endian checkpoints are read");
  }
  zip_->verifyCrc(*pkl);
  all_ = readStateDictPickle(zip_->bytes(*pkl), where + ": " + prefix_ + "/data.pkl");
  for (const auto& t : all_) {
    const std::string at = where + ": tensor '" + t.name + "'";
    const std::size_t es = storageElementSize(t.storageType);
    const std::string record = prefix_ + "/data/" + t.storageKey;
    const ZipEntry* entry = zip_->find(record);
    if (!entry) throw Error(at + ": its storage record '" + record + "' is missing from the archive");
    const auto need = static_cast<std::uint64_t>(t.storageNumel) * es;
    if (entry->size != need)
      throw Error(at + ": storage record '" + record + "' holds " + std::to_string(entry->size) +
                  " bytes, but the pickle describes " + std::to_string(t.storageNumel) + " elements of " +
                  t.storageType + " (" + std::to_string(need) + " bytes)");
    Weight w;
    if (!weightDType(t.storageType, w.dtype)) {
      buffers_[t.name] = t.storageType;
      continue;
    }
    w.tensor = t;
    w.record = entry;
    weights_[t.name] = std::move(w);
  }
}

TorchBinFile::~TorchBinFile() = default;

bool TorchBinFile::stores(const std::string& name) const {
  return weights_.count(name) > 0 || buffers_.count(name) > 0;
}

std::vector<std::string> TorchBinFile::names() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : weights_) out.push_back(name);
  return out;
}

bool TorchBinFile::contains(const std::string& name) const { return weights_.count(name) > 0; }

const TorchBinFile::Weight& TorchBinFile::weight(const std::string& name) const {
  auto it = weights_.find(name);
  if (it != weights_.end()) return it->second;
  auto b = buffers_.find(name);
  if (b != buffers_.end())
    throw Error(path_.string() + ": tensor '" + name + "' is a " + b->second +
                ", not a float weight (F32, F16, BF16)");
  throw Error(path_.string() + ": no tensor named '" + name + "'");
}

TensorMeta TorchBinFile::meta(const std::string& name) const {
  const Weight& w = weight(name);
  return TensorMeta{w.dtype, w.tensor.sizes};
}

at::Tensor TorchBinFile::load(const std::string& name) const {
  const Weight& w = weight(name);
  const PickledTensor& t = w.tensor;
  const std::size_t es = elementSize(w.dtype);
  const auto options = at::TensorOptions().dtype(toScalarType(w.dtype));
  at::Tensor out = at::empty(t.sizes, options);
  if (out.numel() == 0) return out;
  const char* base = zip_->bytes(*w.record).data() + static_cast<std::size_t>(t.offset) * es;
  if (contiguousStrides(t)) {
    std::memcpy(out.data_ptr(), base, static_cast<std::size_t>(out.numel()) * es);
    return out;
  }
  // A strided view (a transposed or sliced tensor): copy the span it covers,
  // then gather. The span was checked against the record when opening.
  std::int64_t span = 1;
  for (std::size_t d = 0; d < t.sizes.size(); ++d) span += (t.sizes[d] - 1) * t.strides[d];
  at::Tensor raw = at::empty({span}, options);
  std::memcpy(raw.data_ptr(), base, static_cast<std::size_t>(span) * es);
  out.copy_(raw.as_strided(t.sizes, t.strides, 0));
  return out;
}

// ---------------------------------------------------------------- sharded

ShardedTorchBin::ShardedTorchBin(const fs::path& indexPath) : indexPath_(indexPath) {
  const ShardIndex index = readShardIndex(indexPath);
  for (const auto& file : index.files) shards_.push_back(std::make_unique<TorchBinFile>(file));
  for (const auto& [name, shard] : index.tensors) {
    if (!shards_[shard]->stores(name))
      throw Error(indexPath.string() + ": tensor '" + name + "' is listed in shard '" +
                  index.files[shard].filename().string() + "' but not stored there");
    if (shards_[shard]->contains(name)) owner_[name] = shard;
  }
}

std::vector<std::string> ShardedTorchBin::names() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : owner_) out.push_back(name);
  return out;
}

bool ShardedTorchBin::contains(const std::string& name) const { return owner_.count(name) > 0; }

const TorchBinFile& ShardedTorchBin::shardOf(const std::string& name) const {
  auto it = owner_.find(name);
  if (it == owner_.end()) throw Error(indexPath_.string() + ": no float tensor named '" + name + "'");
  return *shards_[it->second];
}

TensorMeta ShardedTorchBin::meta(const std::string& name) const { return shardOf(name).meta(name); }
at::Tensor ShardedTorchBin::load(const std::string& name) const { return shardOf(name).load(name); }
fs::path ShardedTorchBin::fileOf(const std::string& name) const { return shardOf(name).path(); }

std::vector<fs::path> ShardedTorchBin::files() const {
  std::vector<fs::path> out;
  for (const auto& s : shards_) out.push_back(s->path());
  return out;
}

}  // namespace qid::model
