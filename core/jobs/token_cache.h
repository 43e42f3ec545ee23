#pragma once
// Tokenized text, shared within the process: a sweep of 100 cells over the
// same eval and calibration files tokenizes each (file, tokenizer) pair once.
// Entries are keyed by the text file's content hash and the tokenizer.json's
// content hash, so a changed file or another tokenizer is tokenized anew
// while checkpoints that share a tokenizer share the tokens. Safe to use from
// several worker threads: a pair being tokenized by one worker is waited for,
// not tokenized twice.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "common/progress.h"

namespace qid::model {
class Tokenizer;
}

namespace qid::jobs {

using TokenIds = std::vector<std::uint32_t>;

class TokenCache {
 public:
  explicit TokenCache(std::size_t maxEntries = 8);
  ~TokenCache();
  TokenCache(const TokenCache&) = delete;
  TokenCache& operator=(const TokenCache&) = delete;

  // The process-wide cache the quant runner uses.
  static TokenCache& shared();

  // The tokens of `textFile` (plain text or JSONL, eval/text_source.h) under
  // the tokenizer.json at `tokenizerJson`. textHash may be given when known
  // (the sweep hashed the file already); "" hashes it here. Throws qid::Error
  // naming the file at fault; progress gets stage "tokenize".
  std::shared_ptr<const TokenIds> tokens(const std::filesystem::path& textFile, const std::string& textHash,
                                         const std::filesystem::path& tokenizerJson,
                                         const ProgressFn& progress = {});

  // The parsed tokenizer for a tokenizer.json (also cached, by content hash).
  std::shared_ptr<const model::Tokenizer> tokenizer(const std::filesystem::path& tokenizerJson);

  // Counters for tests: how many times text was actually tokenized.
  int tokenizations() const;
  std::size_t size() const;
  void clear();

 private:
  struct Entry;
  std::string hashOfTokenizer(const std::filesystem::path& tokenizerJson);

  std::size_t maxEntries_;
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<Entry>> entries_;
  std::map<std::string, std::shared_ptr<const model::Tokenizer>> tokenizers_;
  std::uint64_t clock_ = 0;
  int tokenizations_ = 0;
};

}  // namespace qid::jobs
