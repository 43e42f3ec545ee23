#include "jobs/content_hash.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <vector>

#include "common/error.h"

namespace qid::jobs {

namespace fs = std::filesystem;

struct Sha256::Impl {
  EVP_MD_CTX* ctx = nullptr;
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {
  impl_->ctx = EVP_MD_CTX_new();
  if (!impl_->ctx || EVP_DigestInit_ex(impl_->ctx, EVP_sha256(), nullptr) != 1)
    throw Error("OpenSSL: cannot initialise SHA-256");
}

Sha256::~Sha256() {
  if (impl_->ctx) EVP_MD_CTX_free(impl_->ctx);
}

void Sha256::update(const void* data, std::size_t size) {
  if (size && EVP_DigestUpdate(impl_->ctx, data, size) != 1) throw Error("OpenSSL: SHA-256 update failed");
}

void Sha256::update(std::string_view bytes) { update(bytes.data(), bytes.size()); }

std::string Sha256::hex() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(impl_->ctx, md.data(), &len) != 1) throw Error("OpenSSL: SHA-256 final failed");
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += digits[md[i] >> 4];
    out += digits[md[i] & 15];
  }
  return out;
}

std::string sha256Hex(std::string_view bytes) {
  Sha256 h;
  h.update(bytes);
  return h.hex();
}

namespace {

void hashRange(Sha256& h, std::ifstream& in, std::uint64_t offset, std::uint64_t size,
               const fs::path& path) {
  std::vector<char> buf(1 << 16);
  in.clear();
  in.seekg(std::streamoff(offset));
  while (size > 0) {
    auto n = std::min<std::uint64_t>(size, buf.size());
    in.read(buf.data(), std::streamsize(n));
    if (std::uint64_t(in.gcount()) != n) throw Error(path.string() + ": read failed");
    h.update(buf.data(), n);
    size -= n;
  }
}

bool isWeightFile(const std::string& name) {
  auto ends = [&](const char* s) {
    std::string suf(s);
    return name.size() >= suf.size() && name.compare(name.size() - suf.size(), suf.size(), suf) == 0;
  };
  return ends(".safetensors") || ends(".bin") || ends(".pt") || ends(".index.json") || name == "config.json";
}

}  // namespace

std::string sha256File(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot read file");
  Sha256 h;
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) throw Error(path.string() + ": cannot read file size");
  hashRange(h, in, 0, size, path);
  return h.hex();
}

std::string checkpointFingerprint(const fs::path& folder, bool full) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) throw Error(folder.string() + ": checkpoint folder does not exist");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(folder)) {
    if (e.is_regular_file() && isWeightFile(e.path().filename().string())) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  bool anyWeights = std::any_of(files.begin(), files.end(), [](const fs::path& p) {
    return p.filename() != "config.json" && p.extension() != ".json";
  });
  if (!anyWeights) throw Error(folder.string() + ": no weight files (*.safetensors, *.bin) in checkpoint folder");
  Sha256 h;
  const std::uint64_t page = 4096, pages = 16, smallFile = 1 << 20;
  for (const auto& p : files) {
    std::uint64_t size = fs::file_size(p);
    std::string head = p.filename().string() + "\n" + std::to_string(size) + "\n";
    h.update(head);
    std::ifstream in(p, std::ios::binary);
    if (!in) throw Error(p.string() + ": cannot read file");
    if (full || size <= smallFile) {
      hashRange(h, in, 0, size, p);
      continue;
    }
    std::uint64_t dataStart = 0;
    if (p.extension() == ".safetensors" && size >= 8) {
      unsigned char lenBytes[8];
      in.read(reinterpret_cast<char*>(lenBytes), 8);
      std::uint64_t headerLen = 0;
      for (int b = 7; b >= 0; --b) headerLen = (headerLen << 8) | lenBytes[b];
      if (headerLen + 8 <= size) {
        hashRange(h, in, 0, 8 + headerLen, p);
        dataStart = 8 + headerLen;
      }
    }
    std::uint64_t span = size - dataStart;
    for (std::uint64_t i = 0; i < pages; ++i) {
      std::uint64_t off = dataStart + span / pages * i;
      hashRange(h, in, off, std::min(page, size - off), p);
    }
    std::uint64_t last = size > page ? size - page : 0;
    hashRange(h, in, last, size - last, p);
  }
  return std::string(full ? "sha256:" : "sha256s:") + h.hex();
}

std::string hubCommitOf(const fs::path& folder) {
  fs::path p = folder.lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  std::string commit = p.filename().string();
  if (p.parent_path().filename() != "snapshots" || commit.size() != 40) return "";
  if (!std::all_of(commit.begin(), commit.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }))
    return "";
  return commit;
}

}  // namespace qid::jobs
