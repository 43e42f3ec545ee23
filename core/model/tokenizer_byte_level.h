#pragma once
// GPT-2's byte-to-unicode alias table, used by byte-level BPE: every byte
// gets a printable code point (printable Latin-1 bytes stand for themselves,
// the others move to U+0100 and up), so a vocabulary of strings can hold any
// byte sequence. "Ġ" (U+0120) is the alias of the space byte.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qid::model {

// The code point that stands for a byte.
char32_t byteToAlias(std::uint8_t byte);

// The byte an alias code point stands for, or -1 when it is not an alias.
int aliasToByte(char32_t alias);

// Raw bytes → their alias string (UTF-8), e.g. " the" → "Ġthe".
std::string bytesToAliases(std::string_view bytes);

// Alias string (valid UTF-8) → raw bytes; nullopt when a code point is not an alias.
std::optional<std::string> aliasesToBytes(std::string_view aliases);

}  // namespace qid::model
