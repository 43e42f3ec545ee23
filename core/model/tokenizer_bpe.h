#pragma once
// The BPE model of a byte-level tokenizer.json: a vocabulary of alias
// strings (tokenizer_byte_level.h) and merges applied by rank. It encodes one
// pre-tokenized word, given as raw bytes, exactly as HF tokenizers' BPE does:
// the pair with the lowest rank merges first, the leftmost among equals.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace qid::model {

struct BpeOptions {
  bool ignoreMerges = false;           // a word found whole in the vocabulary is one token
  std::optional<std::uint32_t> unkId;  // for bytes missing from the vocabulary (else dropped)
};

class BpeModel {
 public:
  BpeModel() = default;
  // vocab maps alias strings to ids; merges are (left, right) alias strings in
  // rank order. source names the file in error messages.
  BpeModel(std::unordered_map<std::string, std::uint32_t> vocab,
           const std::vector<std::pair<std::string, std::string>>& merges, BpeOptions options,
           const std::string& source);

  // Appends the ids of one word (raw bytes) to out.
  void encodeWord(std::string_view bytes, std::vector<std::uint32_t>& out) const;

  const std::unordered_map<std::string, std::uint32_t>& vocab() const { return vocab_; }
  std::size_t mergeCount() const { return merges_.size(); }

 private:
  struct Merge {
    std::uint32_t rank;
    std::uint32_t newId;
  };
  static std::uint64_t key(std::uint32_t a, std::uint32_t b) {
    return (static_cast<std::uint64_t>(a) << 32) | b;
  }
  const Merge* findMerge(std::uint32_t a, std::uint32_t b) const {
    auto it = merges_.find(key(a, b));
    return it == merges_.end() ? nullptr : &it->second;
  }

  std::unordered_map<std::string, std::uint32_t> vocab_;
  std::unordered_map<std::uint64_t, Merge> merges_;
  std::int64_t byteId_[256] = {};  // id of each byte's alias, -1 when absent
  BpeOptions options_;
};

}  // namespace qid::model
