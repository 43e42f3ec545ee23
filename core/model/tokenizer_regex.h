#pragma once
// The pre-tokenizer's splitting regex through PCRE2 (UTF mode, Unicode
// properties, JIT when available). HF's pattern language is Oniguruma, whose
// \s is exactly the Unicode White_Space property; PCRE2's \s also takes
// U+180E, so \s and \S are rewritten to explicit White_Space classes first.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace qid::model {

// GPT-2's pattern, used by HF's ByteLevel pre-tokenizer.
inline constexpr const char* kGpt2SplitPattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

// Rewrites \s and \S (outside and inside character classes) to White_Space.
std::string whiteSpaceExact(std::string_view pattern);

class RegexSplitter {
 public:
  // Throws qid::Error naming source when the pattern does not compile.
  RegexSplitter(const std::string& pattern, const std::string& source);
  ~RegexSplitter();
  RegexSplitter(RegexSplitter&&) noexcept;
  RegexSplitter& operator=(RegexSplitter&&) noexcept;

  // Splits valid UTF-8 into the matches and the gaps between them ("isolated"
  // behaviour): the pieces, as [begin, end) offsets, cover the whole text in
  // order. fn(context, begin, end) gets each piece as it is found.
  using PieceFn = void (*)(void* context, std::size_t begin, std::size_t end);
  void split(std::string_view text, PieceFn fn, void* context) const;

  // The same with any callable f(begin, end).
  template <class F>
  void forEachPiece(std::string_view text, F&& f) const {
    using Fn = std::remove_reference_t<F>;
    split(text, [](void* c, std::size_t b, std::size_t e) { (*static_cast<Fn*>(c))(b, e); },
          const_cast<void*>(static_cast<const void*>(&f)));
  }

  // The same, collected.
  void split(std::string_view text, std::vector<std::pair<std::size_t, std::size_t>>& pieces) const {
    forEachPiece(text, [&](std::size_t b, std::size_t e) { pieces.emplace_back(b, e); });
  }

  bool jit() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace qid::model
