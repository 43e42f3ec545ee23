#pragma once
// Writes PyTorch checkpoints byte for byte the way torch.save does (PyTorch
// >= 1.6, the zip format), for loader tests without Python:
//   a zip archive of stored (uncompressed) records, each record's data
//   aligned to 64 bytes by an "FB" padding extra field, holding
//     <prefix>/data.pkl       the state dict, pickle protocol 2
//     <prefix>/byteorder      "little"
//     <prefix>/data/<key>     raw little-endian bytes of each storage
//     <prefix>/version        "3\n"
//     <prefix>/.data/serialization_id
// data.pkl is what Python's pickle emits for an OrderedDict of tensors:
// GLOBAL collections.OrderedDict, EMPTY_TUPLE, REDUCE, then MARK, per
// tensor BINUNICODE name and GLOBAL torch._utils._rebuild_tensor_v2 called
// with (storage, offset, size, stride, False, OrderedDict()), the storage
// being a BINPERSID of ('storage', torch.FloatStorage, key, 'cpu', numel),
// SETITEMS; optionally the _metadata attribute via BUILD; STOP. Globals and
// repeated strings are memoised (BINPUT) and reused (BINGET) as pickle does.
// PickleWriter also crafts hostile pickles for the refusal tests.
#include <ATen/ATen.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/zip_archive.h"

namespace qid::test {

class PickleWriter {
 public:
  std::string out;

  void op(unsigned char c) { out.push_back(static_cast<char>(c)); }
  void le(std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
  void proto(int v = 2) {
    op(0x80);
    op(static_cast<unsigned char>(v));
  }
  void mark() { op('('); }
  void stop() { op('.'); }
  void put() {
    std::uint64_t i = next_++;
    if (i < 256) {
      op('q');
      le(i, 1);
    } else {
      op('r');
      le(i, 4);
    }
  }
  void get(std::uint64_t i) {
    if (i < 256) {
      op('h');
      le(i, 1);
    } else {
      op('j');
      le(i, 4);
    }
  }
  // GLOBAL, memoised: a second use of the same global is a BINGET.
  void global(const std::string& module, const std::string& name) {
    std::string key = "g:" + module + "." + name;
    if (auto it = memo_.find(key); it != memo_.end()) return get(it->second);
    op('c');
    out += module + "\n" + name + "\n";
    memo_[key] = next_;
    put();
  }
  // BINUNICODE, memoised by content.
  void str(const std::string& s, bool memoise = true) {
    std::string key = "s:" + s;
    if (memoise) {
      if (auto it = memo_.find(key); it != memo_.end()) return get(it->second);
    }
    op('X');
    le(s.size(), 4);
    out += s;
    if (memoise) {
      memo_[key] = next_;
      put();
    }
  }
  // Python's save_long for protocol 2.
  void integer(std::int64_t v) {
    if (v >= 0 && v <= 0xFF) {
      op('K');
      le(std::uint64_t(v), 1);
    } else if (v >= 0 && v <= 0xFFFF) {
      op('M');
      le(std::uint64_t(v), 2);
    } else if (v >= -0x80000000LL && v <= 0x7FFFFFFFLL) {
      op('J');
      le(static_cast<std::uint32_t>(static_cast<std::int32_t>(v)), 4);
    } else {
      op(0x8a);
      std::string bytes;
      std::uint64_t u = static_cast<std::uint64_t>(v);
      for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>((u >> (8 * i)) & 0xFF));
      while (bytes.size() > 1 && ((bytes.back() == 0 && !(bytes[bytes.size() - 2] & 0x80)) ||
                                  (bytes.back() == char(0xFF) && (bytes[bytes.size() - 2] & 0x80))))
        bytes.pop_back();
      le(bytes.size(), 1);
      out += bytes;
    }
  }
  // A tuple of ints the way save_tuple writes it.
  void intTuple(const std::vector<std::int64_t>& v) {
    if (v.empty()) return op(')');
    if (v.size() > 3) mark();
    for (auto x : v) integer(x);
    if (v.size() > 3) op('t');
    else op(static_cast<unsigned char>(0x84 + v.size()));
    put();
  }
  void orderedDictCall() {  // OrderedDict()
    global("collections", "OrderedDict");
    op(')');
    op('R');
    put();
  }

 private:
  std::map<std::string, std::uint64_t> memo_;
  std::uint64_t next_ = 0;
};

struct TorchTensorSpec {
  std::string name;
  std::string storageKey;
  std::string storageType;  // FloatStorage, HalfStorage, BFloat16Storage, BoolStorage, ...
  std::int64_t storageNumel = 0;
  std::int64_t offset = 0;
  std::vector<std::int64_t> sizes, strides;
  std::string location = "cpu";
};

// The data.pkl of an OrderedDict state dict.
inline std::string stateDictPickle(const std::vector<TorchTensorSpec>& tensors, bool withMetadata = true) {
  PickleWriter w;
  w.proto(2);
  w.orderedDictCall();
  if (tensors.size() > 1) w.mark();
  for (const auto& t : tensors) {
    w.str(t.name, false);
    w.put();
    w.global("torch._utils", "_rebuild_tensor_v2");
    w.mark();
    w.mark();
    w.str("storage");
    w.global("torch", t.storageType);
    w.str(t.storageKey);
    w.str(t.location);
    w.integer(t.storageNumel);
    w.op('t');
    w.put();
    w.op('Q');
    w.integer(t.offset);
    w.intTuple(t.sizes);
    w.intTuple(t.strides);
    w.op(0x89);  // requires_grad = False
    w.orderedDictCall();
    w.op('t');
    w.put();
    w.op('R');
    w.put();
  }
  if (tensors.size() > 1) w.op('u');
  if (tensors.size() == 1) w.op('s');
  if (withMetadata) {  // state_dict()._metadata = {'': {'version': 1}}
    w.op('}');
    w.put();
    w.str("_metadata");
    w.orderedDictCall();
    w.str("", false);
    w.put();
    w.op('}');
    w.put();
    w.str("version");
    w.integer(1);
    w.op('s');
    w.op('s');
    w.op('s');
    w.op('b');
  }
  w.stop();
  return w.out;
}

struct ZipRecord {
  std::string name;
  std::string data;
};

// A zip archive of stored records, data aligned to 64 bytes ("FB" padding
// extra field, as PyTorchStreamWriter does); zip64 forces ZIP64 records.
inline std::string zipArchive(const std::vector<ZipRecord>& records, bool zip64 = false) {
  std::string out, central;
  auto le = [](std::string& s, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  };
  for (const auto& r : records) {
    const std::uint64_t local = out.size();
    const std::uint32_t crc = model::crc32(r.data);
    std::string extra;
    if (zip64) {
      le(extra, 1, 2);
      le(extra, 16, 2);
      le(extra, r.data.size(), 8);
      le(extra, r.data.size(), 8);
    }
    std::uint64_t dataAt = local + 30 + r.name.size() + extra.size() + 4;
    std::uint64_t pad = (64 - dataAt % 64) % 64;
    le(extra, 0x4246, 2);  // "FB"
    le(extra, pad, 2);
    extra.append(pad, 'Z');
    le(out, 0x04034b50, 4);
    le(out, zip64 ? 45 : 20, 2);
    le(out, 0, 2);  // flags
    le(out, 0, 2);  // stored
    le(out, 0, 4);  // time, date
    le(out, crc, 4);
    le(out, zip64 ? 0xFFFFFFFFu : r.data.size(), 4);
    le(out, zip64 ? 0xFFFFFFFFu : r.data.size(), 4);
    le(out, r.name.size(), 2);
    le(out, extra.size(), 2);
    out += r.name + extra + r.data;
    std::string cextra;
    if (zip64) {
      le(cextra, 1, 2);
      le(cextra, 24, 2);
      le(cextra, r.data.size(), 8);
      le(cextra, r.data.size(), 8);
      le(cextra, local, 8);
    }
    le(central, 0x02014b50, 4);
    le(central, zip64 ? 45 : 20, 2);
    le(central, zip64 ? 45 : 20, 2);
    le(central, 0, 2);
    le(central, 0, 2);
    le(central, 0, 4);
    le(central, crc, 4);
    le(central, zip64 ? 0xFFFFFFFFu : r.data.size(), 4);
    le(central, zip64 ? 0xFFFFFFFFu : r.data.size(), 4);
    le(central, r.name.size(), 2);
    le(central, cextra.size(), 2);
    le(central, 0, 2);  // comment
    le(central, 0, 2);  // disk
    le(central, 0, 2);  // internal attributes
    le(central, 0, 4);  // external attributes
    le(central, zip64 ? 0xFFFFFFFFu : local, 4);
    central += r.name + cextra;
  }
  const std::uint64_t cdOffset = out.size();
  out += central;
  if (zip64) {
    const std::uint64_t z = out.size();
    le(out, 0x06064b50, 4);
    le(out, 44, 8);
    le(out, 45, 2);
    le(out, 45, 2);
    le(out, 0, 4);
    le(out, 0, 4);
    le(out, records.size(), 8);
    le(out, records.size(), 8);
    le(out, central.size(), 8);
    le(out, cdOffset, 8);
    le(out, 0x07064b50, 4);
    le(out, 0, 4);
    le(out, z, 8);
    le(out, 1, 4);
  }
  le(out, 0x06054b50, 4);
  le(out, zip64 ? 0xFFFF : 0, 2);
  le(out, zip64 ? 0xFFFF : 0, 2);
  le(out, zip64 ? 0xFFFF : records.size(), 2);
  le(out, zip64 ? 0xFFFF : records.size(), 2);
  le(out, zip64 ? 0xFFFFFFFFu : central.size(), 4);
  le(out, zip64 ? 0xFFFFFFFFu : cdOffset, 4);
  le(out, 0, 2);
  return out;
}

inline std::string storageTypeOf(c10::ScalarType t) {
  switch (t) {
    case c10::ScalarType::Float: return "FloatStorage";
    case c10::ScalarType::Half: return "HalfStorage";
    case c10::ScalarType::BFloat16: return "BFloat16Storage";
    case c10::ScalarType::Double: return "DoubleStorage";
    case c10::ScalarType::Long: return "LongStorage";
    case c10::ScalarType::Bool: return "BoolStorage";
    default: return "ByteStorage";
  }
}

inline std::string bytesOf(const at::Tensor& t) {
  at::Tensor c = t.contiguous();
  return std::string(static_cast<const char*>(c.data_ptr()), c.nbytes());
}

// The records of a torch.save file from tensor specs and storages (key -> bytes).
inline std::string torchSaveBytes(const std::vector<TorchTensorSpec>& specs,
                                  const std::map<std::string, std::string>& storages,
                                  const std::string& prefix = "archive", bool zip64 = false,
                                  const std::optional<std::string>& pickle = std::nullopt) {
  std::vector<ZipRecord> records;
  records.push_back({prefix + "/data.pkl", pickle ? *pickle : stateDictPickle(specs)});
  records.push_back({prefix + "/byteorder", "little"});
  // Storage records in key order, as torch writes them (keys are 0, 1, ...).
  std::vector<std::pair<std::string, std::string>> sorted(storages.begin(), storages.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.first.size() != b.first.size() ? a.first.size() < b.first.size() : a.first < b.first;
  });
  for (const auto& [key, data] : sorted) records.push_back({prefix + "/data/" + key, data});
  records.push_back({prefix + "/version", "3\n"});
  records.push_back({prefix + "/.data/serialization_id", "1234567890123456789012345678901234567890"});
  return zipArchive(records, zip64);
}

inline void writeBytes(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// torch.save(OrderedDict(tensors), path): each tensor its own contiguous storage.
inline void writeTorchStateDict(const std::filesystem::path& path,
                                const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                                const std::string& prefix = "archive", bool zip64 = false) {
  std::vector<TorchTensorSpec> specs;
  std::map<std::string, std::string> storages;
  for (const auto& [name, t] : tensors) {
    at::Tensor c = t.detach().cpu().contiguous();
    TorchTensorSpec s;
    s.name = name;
    s.storageKey = std::to_string(storages.size());
    s.storageType = storageTypeOf(c.scalar_type());
    s.storageNumel = c.numel();
    s.sizes = c.sizes().vec();
    s.strides = c.strides().vec();
    storages[s.storageKey] = bytesOf(c);
    specs.push_back(std::move(s));
  }
  writeBytes(path, torchSaveBytes(specs, storages, prefix, zip64));
}

// HF save_pretrained(safe_serialization=False) with max_shard_size: shards
// pytorch_model-0000k-of-0000n.bin plus pytorch_model.bin.index.json.
inline void writeShardedTorchBin(const std::filesystem::path& dir,
                                 const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                                 std::uint64_t maxShardBytes) {
  std::vector<std::vector<std::pair<std::string, at::Tensor>>> shards(1);
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
  nlohmann::json weightMap = nlohmann::json::object();
  for (std::size_t i = 0; i < shards.size(); ++i) {
    std::string file = "pytorch_model-" + pad(i + 1) + "-of-" + pad(shards.size()) + ".bin";
    writeTorchStateDict(dir / file, shards[i]);
    for (const auto& nt : shards[i]) weightMap[nt.first] = file;
  }
  nlohmann::json index = {{"metadata", {{"total_size", total}}}, {"weight_map", weightMap}};
  std::ofstream(dir / "pytorch_model.bin.index.json") << index.dump(2) << "\n";
}

}  // namespace qid::test
