#include "model/tokenizer.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "common/error.h"
#include "common/utf8.h"
#include "model/tokenizer_bpe.h"
#include "model/tokenizer_byte_level.h"
#include "model/tokenizer_json.h"
#include "model/tokenizer_regex.h"
#include "model/tokenizer_unicode.h"

namespace qid::model {

namespace {

// The BPE of each distinct word, its ids kept in one arena.
class WordCache {
 public:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Span {
    std::uint32_t offset, length;
  };

  const Span* find(std::string_view word) const {
    auto it = map_.find(word);
    return it == map_.end() ? nullptr : &it->second;
  }
  const std::uint32_t* ids(const Span& s) const { return arena_.data() + s.offset; }

  void insert(std::string_view word, const std::uint32_t* ids, std::size_t n) {
    if (word.size() > kMaxWordBytes) return;
    if (map_.size() >= kMaxWords || arena_.size() + n > kMaxIds) clear();
    map_.emplace(std::string(word), Span{static_cast<std::uint32_t>(arena_.size()),
                                         static_cast<std::uint32_t>(n)});
    arena_.insert(arena_.end(), ids, ids + n);
  }
  void clear() {
    map_.clear();
    arena_.clear();
  }
  std::size_t size() const { return map_.size(); }

 private:
  static constexpr std::size_t kMaxWordBytes = 256;
  static constexpr std::size_t kMaxWords = 1u << 20;
  static constexpr std::size_t kMaxIds = 1u << 24;
  std::unordered_map<std::string, Span, Hash, std::equal_to<>> map_;
  std::vector<std::uint32_t> arena_;
};

constexpr std::int64_t kProgressStep = 1 << 20;  // bytes between progress reports

// HF tokenizers ignores the ids written in "added_tokens": it adds the tokens in
// order, giving each the id of the same string in the vocabulary if there is
// one, else the next id after the vocabulary and the tokens added so far. Ids
// that differ from the file's are reported as warnings, as HF logs them. An
// empty content is ignored; a repeated content keeps its id and takes the
// later flags.
std::vector<AddedToken> assignAddedIds(std::vector<AddedToken> tokens,
                                       const std::unordered_map<std::string, std::uint32_t>& vocab,
                                       const std::string& source,
                                       std::vector<std::string>& warnings) {
  std::vector<AddedToken> added;
  std::unordered_map<std::string, std::size_t> byContent;
  const auto vocabSize = static_cast<std::uint32_t>(vocab.size());
  std::optional<std::uint32_t> maxAdded;
  for (AddedToken& t : tokens) {
    if (t.content.empty()) continue;
    if (!utf8::isValid(t.content))
      throw Error(source + ": added token " + std::to_string(t.id) + " is not valid UTF-8");
    const std::uint32_t written = t.id;
    if (auto it = byContent.find(t.content); it != byContent.end()) {
      t.id = added[it->second].id;
      added[it->second] = t;
    } else {
      if (auto v = vocab.find(t.content); v != vocab.end()) {
        t.id = v->second;
      } else if (!maxAdded) {
        t.id = vocabSize;
      } else {
        t.id = (*maxAdded >= vocabSize || vocabSize == 0) ? *maxAdded + 1 : vocabSize;
      }
      byContent.emplace(t.content, added.size());
      added.push_back(t);
      maxAdded = std::max(maxAdded.value_or(0), t.id);
    }
    if (t.id != written)
      warnings.push_back(source + ": added token \"" + t.content + "\" is written with id " +
                         std::to_string(written) + " but gets id " + std::to_string(t.id) +
                         " (as in HF tokenizers)");
  }
  return added;
}

}  // namespace

struct Tokenizer::Impl {
  std::string source;
  std::vector<std::string> warnings;
  std::vector<AddedToken> added;
  std::vector<AddedToken> addedNormalized;  // normalized tokens with NFC contents, for matching
  bool nfc = false;
  bool addPrefixSpace = false;
  BpeModel bpe;
  std::optional<RegexSplitter> splitter;
  AddedTokenMatcher rawMatcher, normalizedMatcher;
  std::unordered_map<std::string, std::uint32_t> addedByContent;
  std::vector<std::string> idBytes;   // what each id decodes to
  std::vector<std::uint8_t> idKind;   // 0 unused id, 1 token, 2 special added token

  mutable std::mutex mutex;
  mutable WordCache cache;

  // Progress over the whole input, in bytes.
  struct Tracker {
    const ProgressFn* fn;
    std::int64_t total, done = 0, next = kProgressStep;
    void advance(std::int64_t bytes) {
      done += bytes;
      if (*fn && done >= next) {
        next = done + kProgressStep;
        report(*fn, Progress{"tokenize", std::min(done, total), total, ""});
      }
    }
  };

  void encodeWord(std::string_view word, std::vector<std::uint32_t>& out) const {
    if (const WordCache::Span* hit = cache.find(word)) {
      const std::uint32_t* ids = cache.ids(*hit);
      out.insert(out.end(), ids, ids + hit->length);
      return;
    }
    const std::size_t before = out.size();
    bpe.encodeWord(word, out);
    cache.insert(word, out.data() + before, out.size() - before);
  }

  // One stretch of normalized text between added tokens.
  void encodeSegment(std::string_view segment, std::vector<std::uint32_t>& out,
                     Tracker& tracker) const {
    std::string prefixed;
    if (addPrefixSpace && (segment.empty() || segment.front() != ' ')) {
      prefixed.reserve(segment.size() + 1);
      prefixed.push_back(' ');
      prefixed.append(segment);
      segment = prefixed;
    }
    if (!splitter) {
      encodeWord(segment, out);
      tracker.advance(static_cast<std::int64_t>(segment.size()));
      return;
    }
    splitter->forEachPiece(segment, [&](std::size_t b, std::size_t e) {
      encodeWord(segment.substr(b, e - b), out);
      tracker.advance(static_cast<std::int64_t>(e - b));
    });
  }

  // One stretch of raw text between raw-text added tokens.
  void encodeRaw(std::string_view raw, std::vector<std::uint32_t>& out, bool matchSpecial,
                 Tracker& tracker) const {
    std::string normalized;
    std::string_view text = raw;
    if (nfc && !triviallyNfc(raw)) {
      normalized = toNfc(raw);
      text = normalized;
    }
    if (normalizedMatcher.empty()) {
      encodeSegment(text, out, tracker);
      return;
    }
    std::vector<AddedTokenMatcher::Piece> pieces;
    normalizedMatcher.split(text, pieces, !matchSpecial);
    for (const auto& p : pieces) {
      if (p.token >= 0) {
        out.push_back(normalizedMatcher.token(p.token).id);
        tracker.advance(static_cast<std::int64_t>(p.end - p.begin));
      } else {
        encodeSegment(text.substr(p.begin, p.end - p.begin), out, tracker);
      }
    }
  }
};

Tokenizer Tokenizer::fromFile(const std::filesystem::path& path) {
  return Tokenizer(readTokenizerJson(path));
}

Tokenizer Tokenizer::fromJson(const std::string& json, const std::string& source) {
  return Tokenizer(parseTokenizerJson(json, source));
}

Tokenizer::Tokenizer(TokenizerSpec spec) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.source = spec.source;
  m.nfc = spec.nfc;
  m.addPrefixSpace = spec.addPrefixSpace;
  m.added = assignAddedIds(std::move(spec.addedTokens), spec.vocab, m.source, m.warnings);

  BpeOptions options;
  options.ignoreMerges = spec.ignoreMerges;
  if (spec.unkToken) {
    auto it = spec.vocab.find(*spec.unkToken);
    if (it != spec.vocab.end()) options.unkId = it->second;
  }
  // Decoding table: vocabulary first, then added tokens over it.
  std::uint32_t maxId = 0;
  bool any = false;
  for (const auto& [token, id] : spec.vocab) maxId = std::max(maxId, id), any = true;
  for (const auto& t : m.added) maxId = std::max(maxId, t.id), any = true;
  if (!any) throw Error(m.source + ": the vocabulary is empty");
  m.idBytes.assign(static_cast<std::size_t>(maxId) + 1, std::string());
  m.idKind.assign(static_cast<std::size_t>(maxId) + 1, 0);
  // HF's ByteLevel decoder maps a token's aliases back to bytes; a token with
  // any other character (e.g. an added "  ") stands for its own UTF-8 bytes.
  auto bytesOf = [](const std::string& token) {
    if (!utf8::isValid(token)) return token;
    return aliasesToBytes(token).value_or(token);
  };
  for (const auto& [token, id] : spec.vocab) {
    m.idBytes[id] = bytesOf(token);
    m.idKind[id] = 1;
  }
  for (const auto& t : m.added) {
    m.idBytes[t.id] = bytesOf(t.content);
    m.idKind[t.id] = t.special ? 2 : 1;
    m.addedByContent.emplace(t.content, t.id);
  }

  m.bpe = BpeModel(std::move(spec.vocab), spec.merges, options, m.source);
  if (!spec.splitPattern.empty()) m.splitter.emplace(spec.splitPattern, m.source);

  // HF matches tokens marked normalized in the normalized text, the rest in the raw text.
  // Their contents are normalized too before matching.
  std::vector<const AddedToken*> raw, normalized;
  for (const auto& t : m.added) {
    if (!t.normalized) {
      raw.push_back(&t);
    } else {
      m.addedNormalized.push_back(t);
      if (m.nfc) m.addedNormalized.back().content = toNfc(t.content);
    }
  }
  for (const auto& t : m.addedNormalized) normalized.push_back(&t);
  m.rawMatcher = AddedTokenMatcher(raw);
  m.normalizedMatcher = AddedTokenMatcher(normalized);
}

Tokenizer::~Tokenizer() = default;
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;

std::vector<std::uint32_t> Tokenizer::encode(std::string_view text, const EncodeOptions& options,
                                             const ProgressFn& progress) const {
  std::vector<std::uint32_t> ids;
  ids.reserve(text.size() / 4 + 16);
  encodeInto(text, ids, options, progress);
  return ids;
}

void Tokenizer::encodeInto(std::string_view text, std::vector<std::uint32_t>& out,
                           const EncodeOptions& options, const ProgressFn& progress) const {
  if (const std::size_t bad = utf8::firstInvalid(text); bad != utf8::kValid)
    throw Error("the text to tokenize is not valid UTF-8 at byte offset " + std::to_string(bad));
  const Impl& m = *impl_;
  Impl::Tracker tracker{&progress, static_cast<std::int64_t>(text.size())};
  std::lock_guard lock(m.mutex);
  if (m.rawMatcher.empty()) {
    m.encodeRaw(text, out, options.matchSpecialTokens, tracker);
  } else {
    std::vector<AddedTokenMatcher::Piece> pieces;
    m.rawMatcher.split(text, pieces, !options.matchSpecialTokens);
    for (const auto& p : pieces) {
      if (p.token >= 0) {
        out.push_back(m.rawMatcher.token(p.token).id);
        tracker.advance(static_cast<std::int64_t>(p.end - p.begin));
      } else {
        m.encodeRaw(text.substr(p.begin, p.end - p.begin), out, options.matchSpecialTokens, tracker);
      }
    }
  }
  if (progress) report(progress, Progress{"tokenize", tracker.total, tracker.total, ""});
}

std::string Tokenizer::decode(std::span<const std::uint32_t> ids, bool skipSpecial) const {
  const Impl& m = *impl_;
  std::string out;
  out.reserve(ids.size() * 4);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::uint32_t id = ids[i];
    if (id >= m.idKind.size() || m.idKind[id] == 0)
      throw Error("token id " + std::to_string(id) + " at position " + std::to_string(i) +
                  " is not in the vocabulary of " + m.source);
    if (skipSpecial && m.idKind[id] == 2) continue;
    out += m.idBytes[id];
  }
  return out;
}

std::optional<std::uint32_t> Tokenizer::tokenId(std::string_view token) const {
  const std::string key(token);
  if (auto it = impl_->addedByContent.find(key); it != impl_->addedByContent.end()) return it->second;
  if (auto it = impl_->bpe.vocab().find(key); it != impl_->bpe.vocab().end()) return it->second;
  return std::nullopt;
}

std::optional<std::uint32_t> Tokenizer::eosId() const {
  for (const char* name : {"<|endoftext|>", "<|end_of_text|>", "</s>"})
    if (auto id = tokenId(name)) return id;
  return std::nullopt;
}

std::size_t Tokenizer::vocabSize() const { return impl_->idKind.size(); }
const std::vector<AddedToken>& Tokenizer::addedTokens() const { return impl_->added; }
const std::string& Tokenizer::source() const { return impl_->source; }
const std::vector<std::string>& Tokenizer::warnings() const { return impl_->warnings; }
bool Tokenizer::normalizesNfc() const { return impl_->nfc; }

std::size_t Tokenizer::cachedWords() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->cache.size();
}

void Tokenizer::clearCache() const {
  std::lock_guard lock(impl_->mutex);
  impl_->cache.clear();
}

}  // namespace qid::model
