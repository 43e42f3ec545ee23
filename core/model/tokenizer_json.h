#pragma once
// Reading and writing HF tokenizer.json files for byte-level BPE.
//
// Accepted: model.type "BPE" with merges as "a b" strings or [a, b] pairs;
// normalizer null, NFC or a Sequence of those; pre_tokenizer ByteLevel, or a
// Sequence of Split (a regex, "Isolated") and ByteLevel (use_regex false) as
// Llama 3 and Qwen2 write; decoder ByteLevel or null; added_tokens with their
// flags. Anything else is a clear qid::Error naming the file and the field.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/tokenizer_added.h"

namespace qid::model {

struct TokenizerSpec {
  std::string source;  // the file name, for messages
  std::unordered_map<std::string, std::uint32_t> vocab;  // alias strings → ids
  std::vector<std::pair<std::string, std::string>> merges;
  std::vector<AddedToken> addedTokens;
  std::optional<std::string> unkToken;
  bool ignoreMerges = false;
  bool nfc = false;
  std::string splitPattern;  // empty: no regex split
  bool addPrefixSpace = false;
};

// Parses the text of a tokenizer.json; source names it in error messages.
TokenizerSpec parseTokenizerJson(const std::string& text, const std::string& source);

// Reads and parses a tokenizer.json file.
TokenizerSpec readTokenizerJson(const std::filesystem::path& path);

// The byte-level tokenizer.json the micro-suite trainer uses: ids 0..255 are
// the 256 bytes (id = byte value), id 256 is the special <|endoftext|>, no
// merges, no normalizer, GPT-2 pre-tokenizer and ByteLevel decoder, so HF
// tokenizers loads it too.
std::string byteLevelTokenizerJson();
void writeByteLevelTokenizerJson(const std::filesystem::path& path);

}  // namespace qid::model
