#pragma once
// A read-only reader of the zip container torch.save writes: uncompressed
// ("stored") entries, optionally ZIP64, memory-mapped. Every offset and size
// in the central directory and the local headers is checked against the file
// before any byte is read, so a truncated or crafted file is a qid::Error
// naming the file, never a crash. Compressed and encrypted entries are
// refused (torch.save writes neither).
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace qid::model {

struct ZipEntry {
  std::string name;
  std::uint64_t dataOffset = 0;  // of the entry's bytes in the file
  std::uint64_t size = 0;
  std::uint32_t crc32 = 0;       // as the central directory states it
};

class ZipArchive {
 public:
  explicit ZipArchive(const std::filesystem::path& path);
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // In central-directory order.
  const std::vector<ZipEntry>& entries() const { return entries_; }
  // nullptr when absent.
  const ZipEntry* find(const std::string& name) const;
  // A view of the entry's bytes inside the mapping (valid while this lives).
  std::string_view bytes(const ZipEntry& entry) const;
  // Throws qid::Error naming the file and the entry when the bytes do not
  // match the CRC-32 the archive states.
  void verifyCrc(const ZipEntry& entry) const;

  // True when the file starts like a zip archive (a local file header).
  static bool looksLikeZip(const std::filesystem::path& path);

 private:
  void parse();
  std::filesystem::path path_;
  const char* map_ = nullptr;
  std::uint64_t size_ = 0;
  std::vector<ZipEntry> entries_;
  std::map<std::string, std::size_t> index_;
};

// CRC-32 (IEEE, as zip uses it).
std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0);

}  // namespace qid::model
