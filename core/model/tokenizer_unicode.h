#pragma once
// The Unicode pieces the tokenizer needs, on ICU: NFC normalization and the
// character classes HF's added-token matching uses (regex \w and \s).
#include <string>
#include <string_view>

namespace qid::model {

// True when valid UTF-8 is certainly in NFC without looking it up: every code
// point lies below U+0300, where nothing composes or reorders.
bool triviallyNfc(std::string_view text);

// The NFC form of valid UTF-8.
std::string toNfc(std::string_view text);

// Unicode White_Space (Rust regex \s).
bool isWhiteSpace(char32_t c);

// A word character in the sense of Rust regex \w (UTS #18): Alphabetic,
// marks, decimal digits, connector punctuation and Join_Control.
bool isWordChar(char32_t c);

}  // namespace qid::model
