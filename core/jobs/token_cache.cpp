#include "jobs/token_cache.h"

#include "common/error.h"
#include "eval/text_source.h"
#include "jobs/content_hash.h"
#include "model/tokenizer.h"

namespace qid::jobs {

namespace fs = std::filesystem;

struct TokenCache::Entry {
  std::mutex mutex;  // held while the text is tokenized
  std::shared_ptr<const TokenIds> ids;
  std::uint64_t lastUse = 0;
};

TokenCache::TokenCache(std::size_t maxEntries) : maxEntries_(maxEntries < 1 ? 1 : maxEntries) {}
TokenCache::~TokenCache() = default;

TokenCache& TokenCache::shared() {
  static TokenCache cache;
  return cache;
}

std::string TokenCache::hashOfTokenizer(const fs::path& tokenizerJson) {
  if (!fs::is_regular_file(tokenizerJson))
    throw Error(tokenizerJson.string() + ": no tokenizer.json (the checkpoint's own tokenizer is needed to tokenize the text)");
  return sha256File(tokenizerJson);
}

std::shared_ptr<const model::Tokenizer> TokenCache::tokenizer(const fs::path& tokenizerJson) {
  std::string hash = hashOfTokenizer(tokenizerJson);
  {
    std::lock_guard lock(mutex_);
    auto it = tokenizers_.find(hash);
    if (it != tokenizers_.end()) return it->second;
  }
  auto tok = std::make_shared<const model::Tokenizer>(model::Tokenizer::fromFile(tokenizerJson));
  std::lock_guard lock(mutex_);
  return tokenizers_.emplace(hash, tok).first->second;
}

std::shared_ptr<const TokenIds> TokenCache::tokens(const fs::path& textFile, const std::string& textHash,
                                                   const fs::path& tokenizerJson, const ProgressFn& progress) {
  if (!fs::is_regular_file(textFile)) throw Error(textFile.string() + ": text file does not exist");
  std::string th = textHash.empty() ? sha256File(textFile) : textHash;
  std::string kh = hashOfTokenizer(tokenizerJson);
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard lock(mutex_);
    auto& slot = entries_[{th, kh}];
    if (!slot) slot = std::make_shared<Entry>();
    entry = slot;
    entry->lastUse = ++clock_;
    while (entries_.size() > maxEntries_) {
      auto victim = entries_.end();
      for (auto it = entries_.begin(); it != entries_.end(); ++it)
        if (it->second != entry && (victim == entries_.end() || it->second->lastUse < victim->second->lastUse))
          victim = it;
      if (victim == entries_.end()) break;
      entries_.erase(victim);  // holders of its tokens keep them alive
    }
  }
  std::lock_guard entryLock(entry->mutex);
  if (!entry->ids) {
    auto tok = tokenizer(tokenizerJson);
    auto ids = std::make_shared<TokenIds>(eval::tokenizeFile(*tok, textFile, progress));
    entry->ids = std::move(ids);
    std::lock_guard lock(mutex_);
    ++tokenizations_;
  }
  return entry->ids;
}

int TokenCache::tokenizations() const {
  std::lock_guard lock(mutex_);
  return tokenizations_;
}

std::size_t TokenCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void TokenCache::clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
  tokenizers_.clear();
}

}  // namespace qid::jobs
