#pragma once
// A byte-level BPE tokenizer read from a Hugging Face tokenizer.json, giving
// the same ids as HF tokenizers' encode(text, add_special_tokens=False):
//   added tokens (raw-text ones) → NFC → added tokens (normalized ones)
//   → pre-tokenizer regex → bytes → BPE by merge rank.
// The BPE of each distinct word is cached, so repeated words cost one lookup.
//
//   auto tok = qid::model::Tokenizer::fromFile("tokenizer.json");
//   std::vector<std::uint32_t> ids = tok.encode(text);
//   std::string bytes = tok.decode(ids);
//
// encode and decode are safe to call from several threads (the cache has a lock).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/progress.h"
#include "model/tokenizer_added.h"

namespace qid::model {

struct TokenizerSpec;

struct EncodeOptions {
  // HF matches special tokens written in the text (e.g. "<|endoftext|>") even
  // without add_special_tokens; false treats them as plain text instead.
  bool matchSpecialTokens = true;
};

class Tokenizer {
 public:
  // Throws qid::Error naming the file and the problem.
  static Tokenizer fromFile(const std::filesystem::path& path);
  static Tokenizer fromJson(const std::string& json, const std::string& source = "tokenizer.json");
  explicit Tokenizer(TokenizerSpec spec);

  ~Tokenizer();
  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;

  // Text must be valid UTF-8 (else qid::Error with the byte offset). progress
  // gets stage "tokenize" with bytes done of the total.
  std::vector<std::uint32_t> encode(std::string_view text, const EncodeOptions& options = {},
                                    const ProgressFn& progress = {}) const;
  void encodeInto(std::string_view text, std::vector<std::uint32_t>& out,
                  const EncodeOptions& options = {}, const ProgressFn& progress = {}) const;

  // ids → the bytes they stand for (HF's ByteLevel decoder, before its lossy
  // UTF-8 step). A slice of ids may end inside a character. Throws for an
  // unknown id. skipSpecial drops special added tokens.
  std::string decode(std::span<const std::uint32_t> ids, bool skipSpecial = false) const;

  // The id of a token string (vocabulary alias form or added token content).
  std::optional<std::uint32_t> tokenId(std::string_view token) const;
  // The id of "<|endoftext|>" (or "</s>", "<|end_of_text|>"), if any.
  std::optional<std::uint32_t> eosId() const;

  std::size_t vocabSize() const;  // the largest id + 1
  // The added tokens with the ids HF gives them (see warnings()).
  const std::vector<AddedToken>& addedTokens() const;
  const std::string& source() const;
  // Oddities found while loading (e.g. added-token ids that HF reassigns).
  const std::vector<std::string>& warnings() const;
  bool normalizesNfc() const;

  std::size_t cachedWords() const;
  void clearCache() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace qid::model
