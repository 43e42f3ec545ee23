#include "model/tokenizer_regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "common/error.h"

namespace qid::model {

namespace {
constexpr const char* kWhiteSpaceItems = R"(\t-\r\x{85}\p{Z})";
}

std::string whiteSpaceExact(std::string_view pattern) {
  std::string out;
  bool inClass = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      const char e = pattern[i + 1];
      ++i;
      if (e == 's') {
        out += inClass ? std::string(kWhiteSpaceItems) : "[" + std::string(kWhiteSpaceItems) + "]";
      } else if (e == 'S' && !inClass) {
        out += "[^" + std::string(kWhiteSpaceItems) + "]";
      } else {
        out += c;
        out += e;
      }
      continue;
    }
    if (!inClass && c == '[') {
      inClass = true;
      out += c;
      // A ']' right after '[' or '[^' is a literal member.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') out += pattern[++i];
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') out += pattern[++i];
      continue;
    }
    if (inClass && c == ']') inClass = false;
    out += c;
  }
  return out;
}

struct RegexSplitter::Impl {
  pcre2_code* code = nullptr;
  bool jit = false;
  ~Impl() {
    if (code) pcre2_code_free(code);
  }
};

RegexSplitter::RegexSplitter(const std::string& pattern, const std::string& source)
    : impl_(std::make_unique<Impl>()) {
  const std::string exact = whiteSpaceExact(pattern);
  int error = 0;
  PCRE2_SIZE offset = 0;
  impl_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(exact.data()), exact.size(),
                              PCRE2_UTF | PCRE2_UCP, &error, &offset, nullptr);
  if (!impl_->code) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error, message, sizeof message);
    throw Error(source + ": the pre-tokenizer pattern does not compile (" +
                reinterpret_cast<const char*>(message) + " at offset " + std::to_string(offset) +
                "): " + pattern);
  }
  impl_->jit = pcre2_jit_compile(impl_->code, PCRE2_JIT_COMPLETE) == 0;
}

RegexSplitter::~RegexSplitter() = default;
RegexSplitter::RegexSplitter(RegexSplitter&&) noexcept = default;
RegexSplitter& RegexSplitter::operator=(RegexSplitter&&) noexcept = default;

bool RegexSplitter::jit() const { return impl_->jit; }

void RegexSplitter::split(std::string_view text, PieceFn fn, void* context) const {
  struct MatchData {
    pcre2_match_data* data = pcre2_match_data_create(4, nullptr);
    pcre2_match_context* context = nullptr;
    pcre2_jit_stack* stack = nullptr;
    ~MatchData() {
      if (stack) pcre2_jit_stack_free(stack);
      if (context) pcre2_match_context_free(context);
      pcre2_match_data_free(data);
    }
    // A large JIT stack, made only when the default one runs out.
    void growStack() {
      if (stack) throw Error("the pre-tokenizer regex ran out of stack on this text");
      stack = pcre2_jit_stack_create(1 << 16, 64 << 20, nullptr);
      context = pcre2_match_context_create(nullptr);
      if (!stack || !context) throw Error("out of memory for the pre-tokenizer regex");
      pcre2_jit_stack_assign(context, nullptr, stack);
    }
  };
  thread_local MatchData md;

  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  const std::size_t n = text.size();
  std::size_t gap = 0;     // start of the text not yet emitted
  std::size_t search = 0;  // where the next match attempt starts
  while (search < n) {
    int rc;
    for (;;) {
      rc = impl_->jit ? pcre2_jit_match(impl_->code, subject, n, search, 0, md.data, md.context)
                      : pcre2_match(impl_->code, subject, n, search, PCRE2_NO_UTF_CHECK, md.data,
                                    md.context);
      if (rc != PCRE2_ERROR_JIT_STACKLIMIT) break;
      md.growStack();
    }
    if (rc == PCRE2_ERROR_NOMATCH) break;
    if (rc < 0) {
      PCRE2_UCHAR message[256];
      pcre2_get_error_message(rc, message, sizeof message);
      throw Error(std::string("the pre-tokenizer regex failed: ") +
                  reinterpret_cast<const char*>(message));
    }
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md.data);
    const std::size_t begin = ov[0], end = ov[1];
    if (end == begin) {
      // An empty match splits nothing: step over one code point, which stays in the gap.
      search = begin + 1;
      while (search < n && (static_cast<unsigned char>(text[search]) & 0xC0) == 0x80) ++search;
      continue;
    }
    if (begin > gap) fn(context, gap, begin);
    fn(context, begin, end);
    gap = search = end;
  }
  if (gap < n) fn(context, gap, n);
}

}  // namespace qid::model
