#pragma once
// Strict UTF-8 (RFC 3629): validation, decoding and encoding of code points.
// Overlong forms, surrogates and code points above U+10FFFF are invalid, as
// in Rust's str::from_utf8, so the tokenizer accepts exactly what HF accepts.
#include <cstddef>
#include <string>
#include <string_view>

namespace qid::utf8 {

inline constexpr std::size_t kValid = static_cast<std::size_t>(-1);

// The byte offset of the first invalid sequence, or kValid.
std::size_t firstInvalid(std::string_view bytes);

inline bool isValid(std::string_view bytes) { return firstInvalid(bytes) == kValid; }

// Decodes the code point at bytes[pos] of valid UTF-8 and advances pos.
char32_t decode(std::string_view bytes, std::size_t& pos);

// Decodes the code point that ends at bytes[end) of valid UTF-8 and moves end
// back to its first byte.
char32_t decodeBefore(std::string_view bytes, std::size_t& end);

// Appends the UTF-8 form of a code point (U+0000..U+10FFFF, no surrogates).
void append(std::string& out, char32_t c);

}  // namespace qid::utf8
