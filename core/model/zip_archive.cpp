#include "model/zip_archive.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "common/error.h"

namespace qid::model {

namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t kLocalSig = 0x04034b50, kCentralSig = 0x02014b50, kEndSig = 0x06054b50,
                        kZip64EndSig = 0x06064b50, kZip64LocatorSig = 0x07064b50;
constexpr std::uint64_t kEndSize = 22, kCentralSize = 46, kLocalSize = 30, kLocatorSize = 20,
                        kZip64EndSize = 56;

std::uint64_t le(const char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

const std::array<std::uint32_t, 256>& crcTable() {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  return table;
}

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) {
  const auto& t = crcTable();
  crc = ~crc;
  for (char ch : bytes) crc = t[(crc ^ static_cast<unsigned char>(ch)) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

bool ZipArchive::looksLikeZip(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char sig[4] = {};
  if (!in.read(sig, 4)) return false;
  return le(sig, 4) == kLocalSig;
}

ZipArchive::ZipArchive(const fs::path& path) : path_(path) {
  const std::string where = path.string();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(where + ": cannot open: " + std::strerror(errno));
  struct stat st{};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(where + ": not a regular file");
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
  if (size_ < kEndSize) {
    ::close(fd);
    throw Error(where + ": not a zip archive (" + std::to_string(size_) + " bytes, too short)");
  }
  void* m = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (m == MAP_FAILED) throw Error(where + ": cannot memory-map: " + std::strerror(errno));
  map_ = static_cast<const char*>(m);
  try {
    parse();
  } catch (...) {
    ::munmap(const_cast<char*>(map_), size_);
    map_ = nullptr;
    throw;
  }
}

ZipArchive::~ZipArchive() {
  if (map_) ::munmap(const_cast<char*>(map_), size_);
}

void ZipArchive::parse() {
  const std::string where = path_.string();
  // The end-of-central-directory record: the last one whose comment reaches
  // exactly to the end of the file.
  std::uint64_t end = 0;
  bool found = false;
  const std::uint64_t lowest = size_ > kEndSize + 0xFFFF ? size_ - kEndSize - 0xFFFF : 0;
  for (std::uint64_t p = size_ - kEndSize + 1; p-- > lowest;) {
    if (le(map_ + p, 4) == kEndSig && p + kEndSize + le(map_ + p + 20, 2) == size_) {
      end = p;
      found = true;
      break;
    }
  }
  if (!found)
    throw Error(where + ": not a zip archive, or a truncated one (no end-of-central-directory record)");
  std::uint64_t count = le(map_ + end + 10, 2);
  std::uint64_t cdSize = le(map_ + end + 12, 4);
  std::uint64_t cdOffset = le(map_ + end + 16, 4);
  std::uint64_t cdLimit = end;
  if (le(map_ + end + 4, 2) != 0 && le(map_ + end + 4, 2) != 0xFFFF)
    throw Error(where + ": multi-disk zip archives are not supported");
  if (end >= kLocatorSize && le(map_ + end - kLocatorSize, 4) == kZip64LocatorSig) {
    std::uint64_t z = le(map_ + end - kLocatorSize + 8, 8);
    if (z > end - kLocatorSize || end - kLocatorSize - z < kZip64EndSize || le(map_ + z, 4) != kZip64EndSig)
      throw Error(where + ": damaged zip archive (bad ZIP64 end-of-central-directory record)");
    count = le(map_ + z + 32, 8);
    cdSize = le(map_ + z + 40, 8);
    cdOffset = le(map_ + z + 48, 8);
    cdLimit = z;
  }
  if (cdOffset > cdLimit || cdSize > cdLimit - cdOffset)
    throw Error(where + ": damaged or truncated zip archive (the central directory lies outside the file)");
  if (count > cdSize / kCentralSize)
    throw Error(where + ": damaged zip archive (" + std::to_string(count) + " entries cannot fit in a " +
                std::to_string(cdSize) + "-byte central directory)");
  std::uint64_t p = cdOffset;
  const std::uint64_t cdEnd = cdOffset + cdSize;
  for (std::uint64_t i = 0; i < count; ++i) {
    if (cdEnd - p < kCentralSize || le(map_ + p, 4) != kCentralSig)
      throw Error(where + ": damaged zip archive (bad central directory entry " + std::to_string(i) + ")");
    const char* h = map_ + p;
    const std::uint64_t flags = le(h + 8, 2), method = le(h + 10, 2);
    const std::uint64_t nameLen = le(h + 28, 2), extraLen = le(h + 30, 2), commentLen = le(h + 32, 2);
    if (cdEnd - p - kCentralSize < nameLen + extraLen + commentLen)
      throw Error(where + ": damaged zip archive (central directory entry " + std::to_string(i) +
                  " runs past the directory)");
    ZipEntry e;
    e.name.assign(h + kCentralSize, nameLen);
    e.crc32 = static_cast<std::uint32_t>(le(h + 16, 4));
    std::uint64_t compSize = le(h + 20, 4), size = le(h + 24, 4), local = le(h + 42, 4);
    // ZIP64 extra field: 64-bit values for the fields saturated at 0xFFFFFFFF.
    const char* x = h + kCentralSize + nameLen;
    for (std::uint64_t q = 0; q + 4 <= extraLen;) {
      std::uint64_t id = le(x + q, 2), len = le(x + q + 2, 2);
      if (q + 4 + len > extraLen) throw Error(where + ": damaged zip archive (bad extra field in '" + e.name + "')");
      if (id == 1) {
        std::uint64_t r = q + 4;
        auto take = [&](std::uint64_t& field) {
          if (field != 0xFFFFFFFFu) return;
          if (r + 8 > q + 4 + len) throw Error(where + ": damaged zip archive (short ZIP64 field in '" + e.name + "')");
          field = le(x + r, 8);
          r += 8;
        };
        take(size);
        take(compSize);
        take(local);
      }
      q += 4 + len;
    }
    if (e.name.empty()) throw Error(where + ": damaged zip archive (an entry has no name)");
    if (flags & 1) throw Error(where + ": entry '" + e.name + "' is encrypted");
    if (method != 0)
      throw Error(where + ": entry '" + e.name + "' is compressed (method " + std::to_string(method) +
                  "); torch.save writes uncompressed entries, so this is not a torch.save file");
    if (compSize != size)
      throw Error(where + ": damaged zip archive (stored entry '" + e.name + "' has different sizes)");
    if (local > size_ || size_ - local < kLocalSize || le(map_ + local, 4) != kLocalSig)
      throw Error(where + ": damaged or truncated zip archive (the local header of '" + e.name +
                  "' lies outside the file)");
    const std::uint64_t localName = le(map_ + local + 26, 2), localExtra = le(map_ + local + 28, 2);
    e.dataOffset = local + kLocalSize + localName + localExtra;
    if (e.dataOffset > size_ || size_ - e.dataOffset < size)
      throw Error(where + ": truncated zip archive: entry '" + e.name + "' needs " + std::to_string(size) +
                  " bytes at offset " + std::to_string(e.dataOffset) + " but the file has " +
                  std::to_string(size_) + " bytes");
    e.size = size;
    if (!index_.emplace(e.name, entries_.size()).second)
      throw Error(where + ": damaged zip archive (entry '" + e.name + "' appears twice)");
    entries_.push_back(std::move(e));
    p += kCentralSize + nameLen + extraLen + commentLen;
  }
}

const ZipEntry* ZipArchive::find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &entries_[it->second];
}

std::string_view ZipArchive::bytes(const ZipEntry& entry) const {
  return std::string_view(map_ + entry.dataOffset, entry.size);
}

void ZipArchive::verifyCrc(const ZipEntry& entry) const {
  if (crc32(bytes(entry)) != entry.crc32)
    throw Error(path_.string() + ": entry '" + entry.name + "' is damaged (CRC-32 mismatch)");
}

}  // namespace qid::model
