#include "model/tokenizer_byte_level.h"

#include <array>

#include "common/utf8.h"

namespace qid::model {
namespace {

struct AliasTable {
  std::array<char32_t, 256> toAlias{};
  std::array<std::int16_t, 324> toByte{};  // aliases lie below U+0144
  std::array<std::string, 256> utf8;

  AliasTable() {
    toByte.fill(-1);
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
      toAlias[b] = printable ? static_cast<char32_t>(b) : next++;
      toByte[toAlias[b]] = static_cast<std::int16_t>(b);
      utf8::append(utf8[b], toAlias[b]);
    }
  }
};

const AliasTable& table() {
  static const AliasTable t;
  return t;
}

}  // namespace

char32_t byteToAlias(std::uint8_t byte) { return table().toAlias[byte]; }

int aliasToByte(char32_t alias) {
  const auto& t = table();
  return alias < t.toByte.size() ? t.toByte[alias] : -1;
}

std::string bytesToAliases(std::string_view bytes) {
  const auto& t = table();
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) out += t.utf8[b];
  return out;
}

std::optional<std::string> aliasesToBytes(std::string_view aliases) {
  std::string out;
  out.reserve(aliases.size());
  std::size_t pos = 0;
  while (pos < aliases.size()) {
    const int b = aliasToByte(utf8::decode(aliases, pos));
    if (b < 0) return std::nullopt;
    out.push_back(static_cast<char>(b));
  }
  return out;
}

}  // namespace qid::model
