#include "model/tokenizer_added.h"

#include <algorithm>

#include "common/utf8.h"
#include "model/tokenizer_unicode.h"

namespace qid::model {

AddedTokenMatcher::AddedTokenMatcher(const std::vector<const AddedToken*>& tokens) {
  nodes_.emplace_back();
  for (const AddedToken* t : tokens) {
    if (t->content.empty()) continue;
    std::uint32_t node = 0;
    for (unsigned char c : t->content) {
      auto& edges = nodes_[node].edges;
      auto it = std::lower_bound(edges.begin(), edges.end(), c,
                                 [](const auto& e, unsigned char b) { return e.first < b; });
      if (it != edges.end() && it->first == c) {
        node = it->second;
      } else {
        const auto child = static_cast<std::uint32_t>(nodes_.size());
        edges.insert(it, {c, child});
        nodes_.emplace_back();
        node = child;
      }
    }
    if (nodes_[node].token >= 0) continue;  // a repeated content keeps its first token
    nodes_[node].token = static_cast<std::int64_t>(tokens_.size());
    tokens_.push_back(t);
    first_[static_cast<unsigned char>(t->content[0])] = true;
  }
}

std::pair<std::int64_t, std::size_t> AddedTokenMatcher::longestAt(std::string_view text,
                                                                  std::size_t pos,
                                                                  bool skipSpecial) const {
  std::pair<std::int64_t, std::size_t> best{-1, 0};
  std::uint32_t node = 0;
  for (std::size_t i = pos; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const auto& edges = nodes_[node].edges;
    auto it = std::lower_bound(edges.begin(), edges.end(), c,
                               [](const auto& e, unsigned char b) { return e.first < b; });
    if (it == edges.end() || it->first != c) break;
    node = it->second;
    const std::int64_t t = nodes_[node].token;
    if (t >= 0 && !(skipSpecial && tokens_[static_cast<std::size_t>(t)]->special))
      best = {t, i + 1 - pos};
  }
  return best;
}

namespace {

bool endsWithWord(std::string_view text, std::size_t end) {
  if (end == 0) return false;
  return isWordChar(utf8::decodeBefore(text, end));
}

bool startsWithWord(std::string_view text, std::size_t begin) {
  if (begin >= text.size()) return false;
  return isWordChar(utf8::decode(text, begin));
}

}  // namespace

void AddedTokenMatcher::split(std::string_view text, std::vector<Piece>& out,
                              bool skipSpecial) const {
  std::size_t done = 0;  // end of what was emitted
  std::size_t pos = 0;   // where the search goes on
  while (!tokens_.empty() && pos < text.size()) {
    if (!first_[static_cast<unsigned char>(text[pos])]) {
      ++pos;
      continue;
    }
    auto [index, length] = longestAt(text, pos, skipSpecial);
    if (index < 0) {
      ++pos;
      continue;
    }
    const AddedToken& t = *tokens_[static_cast<std::size_t>(index)];
    std::size_t begin = pos, end = pos + length;
    if (t.singleWord && (endsWithWord(text, begin) || startsWithWord(text, end))) {
      pos = end;  // HF's matcher resumes after a rejected match
      continue;
    }
    if (t.lstrip) {
      // Swallow white space to the left, but not what an earlier piece holds.
      while (begin > done) {
        std::size_t before = begin;
        if (!isWhiteSpace(utf8::decodeBefore(text, before))) break;
        begin = before;
      }
    }
    if (t.rstrip) {
      while (end < text.size()) {
        std::size_t after = end;
        if (!isWhiteSpace(utf8::decode(text, after))) break;
        end = after;
      }
    }
    if (begin > done) out.push_back(Piece{done, begin, -1});
    out.push_back(Piece{begin, end, index});
    done = pos = end;
  }
  if (done < text.size()) out.push_back(Piece{done, text.size(), -1});
}

}  // namespace qid::model
