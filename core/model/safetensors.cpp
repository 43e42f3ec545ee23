#include "model/safetensors.h"

#include <ATen/ATen.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "common/error.h"
#include "model/shard_index.h"

namespace qid::model {

namespace fs = std::filesystem;
using nlohmann::json;

std::int64_t TensorMeta::numel() const {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

namespace {

std::uint64_t readLe64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

// Element count of a shape, refusing negative dims and overflow.
std::uint64_t checkedNumel(const std::vector<std::int64_t>& shape, const std::string& where) {
  std::uint64_t n = 1;
  for (auto d : shape) {
    if (d < 0) throw Error(where + ": negative dimension in shape");
    if (d != 0 && n > std::numeric_limits<std::uint64_t>::max() / static_cast<std::uint64_t>(d))
      throw Error(where + ": shape overflows");
    n *= static_cast<std::uint64_t>(d);
  }
  return n;
}

at::Tensor tensorFromBytes(const char* data, const TensorMeta& meta) {
  at::Tensor t = at::empty(meta.shape, at::TensorOptions().dtype(toScalarType(meta.dtype)));
  std::size_t bytes = static_cast<std::size_t>(meta.numel()) * elementSize(meta.dtype);
  if (bytes) std::memcpy(t.data_ptr(), data, bytes);
  return t;
}

}  // namespace

SafetensorsFile::SafetensorsFile(const fs::path& path) : path_(path) {
  const std::string where = path.string();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(where + ": cannot open safetensors file: " + std::strerror(errno));
  struct stat st{};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(where + ": not a regular file");
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
  if (size_ < 8) {
    ::close(fd);
    throw Error(where + ": truncated safetensors file (" + std::to_string(size_) +
                " bytes, fewer than the 8-byte header length)");
  }
  void* m = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (m == MAP_FAILED) throw Error(where + ": cannot memory-map: " + std::strerror(errno));
  map_ = static_cast<const char*>(m);
  try {
    std::uint64_t headerLen = readLe64(map_);
    if (headerLen > kMaxSafetensorsHeader)
      throw Error(where + ": absurd safetensors header length " + std::to_string(headerLen) +
                  " bytes (limit " + std::to_string(kMaxSafetensorsHeader) + ")");
    if (headerLen > size_ - 8)
      throw Error(where + ": truncated safetensors file: header says " + std::to_string(headerLen) +
                  " header bytes but the file has " + std::to_string(size_ - 8) + " after the length");
    dataOffset_ = 8 + headerLen;
    const std::uint64_t dataSize = size_ - dataOffset_;
    json header;
    try {
      header = json::parse(map_ + 8, map_ + 8 + headerLen);
    } catch (const json::exception& e) {
      throw Error(where + ": safetensors header is not valid JSON (" + e.what() + ")");
    }
    if (!header.is_object()) throw Error(where + ": safetensors header is not a JSON object");
    for (auto it = header.begin(); it != header.end(); ++it) {
      const std::string& name = it.key();
      const std::string at = where + ": tensor '" + name + "'";
      if (name == "__metadata__") {
        if (!it.value().is_object()) throw Error(where + ": __metadata__ is not an object");
        for (auto m2 = it.value().begin(); m2 != it.value().end(); ++m2) {
          if (!m2.value().is_string()) throw Error(where + ": __metadata__ value '" + m2.key() + "' is not a string");
          metadata_[m2.key()] = m2.value().get<std::string>();
        }
        continue;
      }
      const json& v = it.value();
      if (!v.is_object() || !v.contains("dtype") || !v.contains("shape") || !v.contains("data_offsets"))
        throw Error(at + ": entry needs dtype, shape and data_offsets");
      if (!v["dtype"].is_string()) throw Error(at + ": dtype is not a string");
      SafetensorsEntry e;
      e.name = name;
      e.dtype = parseDType(v["dtype"].get<std::string>(), at);
      if (!v["shape"].is_array()) throw Error(at + ": shape is not an array");
      for (const auto& d : v["shape"]) {
        if (!d.is_number_integer()) throw Error(at + ": shape holds a non-integer");
        e.shape.push_back(d.get<std::int64_t>());
      }
      const json& off = v["data_offsets"];
      if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() || !off[1].is_number_unsigned())
        throw Error(at + ": data_offsets must be two non-negative integers");
      e.begin = off[0].get<std::uint64_t>();
      e.end = off[1].get<std::uint64_t>();
      if (e.begin > e.end) throw Error(at + ": data_offsets begin after they end");
      if (e.end > dataSize)
        throw Error(at + ": data ends at byte " + std::to_string(e.end) + " but the data section has " +
                    std::to_string(dataSize) + " bytes (truncated file?)");
      std::uint64_t numel = checkedNumel(e.shape, at);
      if (numel > std::numeric_limits<std::uint64_t>::max() / elementSize(e.dtype))
        throw Error(at + ": shape overflows");
      if (numel * elementSize(e.dtype) != e.end - e.begin)
        throw Error(at + ": shape and dtype need " + std::to_string(numel * elementSize(e.dtype)) +
                    " bytes but data_offsets span " + std::to_string(e.end - e.begin));
      entries_.push_back(std::move(e));
    }
    // Byte ranges must not overlap.
    std::vector<const SafetensorsEntry*> byOffset;
    for (const auto& e : entries_) byOffset.push_back(&e);
    std::sort(byOffset.begin(), byOffset.end(), [](auto* a, auto* b) {
      return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
    });
    for (std::size_t i = 1; i < byOffset.size(); ++i) {
      const auto* prev = byOffset[i - 1];
      const auto* cur = byOffset[i];
      if (cur->begin < prev->end)
        throw Error(where + ": tensors '" + prev->name + "' and '" + cur->name + "' have overlapping byte ranges");
    }
    std::sort(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    for (std::size_t i = 0; i < entries_.size(); ++i) index_[entries_[i].name] = i;
  } catch (...) {
    ::munmap(const_cast<char*>(map_), size_);
    map_ = nullptr;
    throw;
  }
}

SafetensorsFile::~SafetensorsFile() {
  if (map_) ::munmap(const_cast<char*>(map_), size_);
}

const SafetensorsEntry& SafetensorsFile::entry(const std::string& name) const {
  auto it = index_.find(name);
  if (it == index_.end()) throw Error(path_.string() + ": no tensor named '" + name + "'");
  return entries_[it->second];
}

std::string_view SafetensorsFile::headerBytes() const {
  return std::string_view(map_ + 8, dataOffset_ - 8);
}

std::string_view SafetensorsFile::fileBytes() const { return std::string_view(map_, size_); }

std::string_view SafetensorsFile::rawBytes(const std::string& name) const {
  const auto& e = entry(name);
  return std::string_view(map_ + dataOffset_ + e.begin, e.end - e.begin);
}

std::vector<std::string> SafetensorsFile::names() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e.name);
  return out;
}

bool SafetensorsFile::contains(const std::string& name) const { return index_.count(name) > 0; }

TensorMeta SafetensorsFile::meta(const std::string& name) const {
  const auto& e = entry(name);
  return TensorMeta{e.dtype, e.shape};
}

at::Tensor SafetensorsFile::load(const std::string& name) const {
  const auto& e = entry(name);
  return tensorFromBytes(map_ + dataOffset_ + e.begin, TensorMeta{e.dtype, e.shape});
}

// ---------------------------------------------------------------- sharded

ShardedSafetensors::ShardedSafetensors(const fs::path& indexPath) : indexPath_(indexPath) {
  const ShardIndex index = readShardIndex(indexPath);
  for (const auto& file : index.files) shards_.push_back(std::make_unique<SafetensorsFile>(file));
  for (const auto& [name, shard] : index.tensors) {
    if (!shards_[shard]->contains(name))
      throw Error(indexPath.string() + ": tensor '" + name + "' is listed in shard '" +
                  index.files[shard].filename().string() + "' but not stored there");
    owner_[name] = shard;
  }
}

std::vector<std::string> ShardedSafetensors::names() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : owner_) out.push_back(name);
  return out;
}

bool ShardedSafetensors::contains(const std::string& name) const { return owner_.count(name) > 0; }

const SafetensorsFile& ShardedSafetensors::shardOf(const std::string& name) const {
  auto it = owner_.find(name);
  if (it == owner_.end()) throw Error(indexPath_.string() + ": no tensor named '" + name + "'");
  return *shards_[it->second];
}

TensorMeta ShardedSafetensors::meta(const std::string& name) const { return shardOf(name).meta(name); }
at::Tensor ShardedSafetensors::load(const std::string& name) const { return shardOf(name).load(name); }
fs::path ShardedSafetensors::fileOf(const std::string& name) const { return shardOf(name).path(); }

std::vector<fs::path> ShardedSafetensors::files() const {
  std::vector<fs::path> out;
  for (const auto& s : shards_) out.push_back(s->path());
  return out;
}

// ---------------------------------------------------------------- writer

namespace {

void writeFileAtomically(const fs::path& path, const std::string& header,
                         const std::vector<at::Tensor>& data) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path.string() + ": cannot write");
    std::uint64_t n = header.size();
    char len[8];
    for (int i = 0; i < 8; ++i) len[i] = static_cast<char>((n >> (8 * i)) & 0xff);
    out.write(len, 8);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    for (const auto& t : data)
      out.write(static_cast<const char*>(t.data_ptr()), static_cast<std::streamsize>(t.nbytes()));
    if (!out) throw Error(path.string() + ": write failed (disk full?)");
  }
  fs::rename(tmp, path);
}

}  // namespace

void writeSafetensors(const fs::path& path, const NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata) {
  json header = json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::vector<at::Tensor> data;
  std::set<std::string> seen;
  std::uint64_t offset = 0;
  for (const auto& [name, tensor] : tensors) {
    if (!seen.insert(name).second) throw Error(path.string() + ": duplicate tensor name '" + name + "'");
    if (name == "__metadata__") throw Error(path.string() + ": '__metadata__' is not a tensor name");
    DType dt = fromScalarType(tensor.scalar_type(), path.string() + ": tensor '" + name + "'");
    at::Tensor t = tensor.detach().to(at::kCPU).contiguous();
    json shape = json::array();
    for (auto d : t.sizes()) shape.push_back(d);
    std::uint64_t bytes = t.nbytes();
    header[name] = {{"dtype", dtypeName(dt)}, {"shape", shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
    data.push_back(std::move(t));
  }
  std::string text = header.dump();
  while (text.size() % 8 != 0) text.push_back(' ');
  writeFileAtomically(path, text, data);
}

void writeShardedSafetensors(const fs::path& dir, const NamedTensors& tensors,
                             std::uint64_t maxShardBytes,
                             const std::map<std::string, std::string>& metadata) {
  std::vector<NamedTensors> shards(1);
  std::uint64_t current = 0, total = 0;
  for (const auto& nt : tensors) {
    std::uint64_t bytes = nt.second.nbytes();
    if (!shards.back().empty() && current + bytes > maxShardBytes) {
      shards.emplace_back();
      current = 0;
    }
    shards.back().push_back(nt);
    current += bytes;
    total += bytes;
  }
  auto pad = [](std::size_t v) {
    std::string s = std::to_string(v);
    return std::string(s.size() < 5 ? 5 - s.size() : 0, '0') + s;
  };
  json weightMap = json::object();
  for (std::size_t i = 0; i < shards.size(); ++i) {
    std::string file = "model-" + pad(i + 1) + "-of-" + pad(shards.size()) + ".safetensors";
    writeSafetensors(dir / file, shards[i], metadata);
    for (const auto& nt : shards[i]) weightMap[nt.first] = file;
  }
  json index = {{"metadata", {{"total_size", total}}}, {"weight_map", weightMap}};
  std::ofstream out(dir / "model.safetensors.index.json", std::ios::binary | std::ios::trunc);
  out << index.dump(2) << "\n";
  if (!out) throw Error((dir / "model.safetensors.index.json").string() + ": write failed");
}

}  // namespace qid::model
