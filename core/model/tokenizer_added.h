#pragma once
// Added tokens (tokenizer.json "added_tokens") and the matcher that finds them
// in text before BPE, with HF tokenizers' semantics:
// - leftmost-longest matching of the literal contents;
// - single_word: a match touching a word character on either side is skipped;
// - lstrip / rstrip: the match also swallows white space to its left / right;
// - normalized tokens are matched in the normalized text, the others in the raw
//   text first. special only matters when decoding (skipSpecial) and for
//   callers that want special tokens treated as plain text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace qid::model {

struct AddedToken {
  std::uint32_t id = 0;
  std::string content;
  bool special = false;
  bool singleWord = false;
  bool lstrip = false;
  bool rstrip = false;
  bool normalized = true;
};

class AddedTokenMatcher {
 public:
  struct Piece {
    std::size_t begin = 0, end = 0;
    std::int64_t token = -1;  // index into the tokens given to the constructor; -1 for text
  };

  AddedTokenMatcher() = default;
  // Matches the given tokens (pointers must outlive the matcher); empty contents are ignored.
  explicit AddedTokenMatcher(const std::vector<const AddedToken*>& tokens);

  bool empty() const { return tokens_.empty(); }

  // Splits text into token matches and the text between them; skipSpecial
  // leaves special tokens unmatched. Empty text pieces are not emitted.
  void split(std::string_view text, std::vector<Piece>& out, bool skipSpecial = false) const;

  const AddedToken& token(std::int64_t index) const { return *tokens_[static_cast<std::size_t>(index)]; }

 private:
  struct Node {
    std::vector<std::pair<unsigned char, std::uint32_t>> edges;  // sorted by byte
    std::int64_t token = -1;
  };
  // The longest token starting at pos, as (token index, length), or (-1, 0).
  std::pair<std::int64_t, std::size_t> longestAt(std::string_view text, std::size_t pos,
                                                 bool skipSpecial) const;

  std::vector<const AddedToken*> tokens_;
  std::vector<Node> nodes_;
  bool first_[256] = {};  // bytes some token starts with
};

}  // namespace qid::model
