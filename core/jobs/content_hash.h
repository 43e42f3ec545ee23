#pragma once
// SHA-256 (OpenSSL) as lower-case hex, incrementally or at once, and the
// content fingerprints QiD Lab uses for identities: data files and checkpoint
// folders.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace qid::jobs {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  void update(const void* data, std::size_t size);
  std::string hex();  // finishes the hash

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string sha256Hex(std::string_view bytes);
// The full SHA-256 of a file; throws qid::Error naming it when unreadable.
std::string sha256File(const std::filesystem::path& path);

// A checkpoint folder's weight-content fingerprint. Sampled (the default) hashes
// every weight file's name and size, the whole safetensors JSON headers and 16
// evenly spaced 4 KiB pages plus the last one; small files (<= 1 MiB) whole.
// Cheap even for 12B checkpoints, and any changed tensor header, size or
// sampled page changes it. Full hashes every byte. The result is prefixed with
// its kind: "sha256s:" (sampled) or "sha256:" (full). Names outside the
// weights (README, tokenizer) do not count. Throws qid::Error when the folder
// holds no weight files.
std::string checkpointFingerprint(const std::filesystem::path& folder, bool full = false);

// The HF commit SHA when the folder is a hub cache snapshot
// (.../models--org--name/snapshots/<40 hex>/), else "".
std::string hubCommitOf(const std::filesystem::path& folder);

}  // namespace qid::jobs
