#include "model/tokenizer_bpe.h"

#include <algorithm>

#include "common/error.h"
#include "model/tokenizer_byte_level.h"

namespace qid::model {

BpeModel::BpeModel(std::unordered_map<std::string, std::uint32_t> vocab,
                   const std::vector<std::pair<std::string, std::string>>& merges,
                   BpeOptions options, const std::string& source)
    : vocab_(std::move(vocab)), options_(options) {
  for (int b = 0; b < 256; ++b) {
    auto it = vocab_.find(bytesToAliases(std::string(1, static_cast<char>(b))));
    byteId_[b] = it == vocab_.end() ? -1 : static_cast<std::int64_t>(it->second);
  }
  merges_.reserve(merges.size() * 2);
  for (std::size_t i = 0; i < merges.size(); ++i) {
    const auto& [left, right] = merges[i];
    auto where = [&] {
      return source + ": merge #" + std::to_string(i) + " (\"" + left + "\", \"" + right + "\")";
    };
    auto a = vocab_.find(left);
    if (a == vocab_.end()) throw Error(where() + ": \"" + left + "\" is not in the vocabulary");
    auto b = vocab_.find(right);
    if (b == vocab_.end()) throw Error(where() + ": \"" + right + "\" is not in the vocabulary");
    auto merged = vocab_.find(left + right);
    if (merged == vocab_.end())
      throw Error(where() + ": the merged token \"" + left + right + "\" is not in the vocabulary");
    // A repeated pair keeps its last rank, as HF's map built from the list does.
    merges_[key(a->second, b->second)] = Merge{static_cast<std::uint32_t>(i), merged->second};
  }
}

void BpeModel::encodeWord(std::string_view bytes, std::vector<std::uint32_t>& out) const {
  struct Symbol {
    std::uint32_t id;
    std::int32_t prev, next;
    bool alive;
  };
  struct Candidate {
    std::uint32_t rank;
    std::int32_t pos;
    std::uint32_t newId;
  };
  // Min-heap on (rank, pos): the lowest rank first, the leftmost among equals.
  auto later = [](const Candidate& x, const Candidate& y) {
    return x.rank != y.rank ? x.rank > y.rank : x.pos > y.pos;
  };
  thread_local std::vector<Symbol> symbols;
  thread_local std::vector<Candidate> heap;
  symbols.clear();
  heap.clear();

  for (unsigned char b : bytes) {
    std::int64_t id = byteId_[b];
    if (id < 0) {
      if (!options_.unkId) continue;
      id = *options_.unkId;
    }
    const auto n = static_cast<std::int32_t>(symbols.size());
    symbols.push_back(Symbol{static_cast<std::uint32_t>(id), n - 1, n + 1, true});
  }
  if (symbols.empty()) return;
  symbols.back().next = -1;

  if (options_.ignoreMerges && symbols.size() > 1) {
    auto it = vocab_.find(bytesToAliases(bytes));
    if (it != vocab_.end()) {
      out.push_back(it->second);
      return;
    }
  }

  auto push = [&](std::int32_t pos) {
    const Symbol& s = symbols[pos];
    if (s.next < 0) return;
    if (const Merge* m = findMerge(s.id, symbols[s.next].id)) {
      heap.push_back(Candidate{m->rank, pos, m->newId});
      std::push_heap(heap.begin(), heap.end(), later);
    }
  };
  for (std::int32_t i = 0; i + 1 < static_cast<std::int32_t>(symbols.size()); ++i) push(i);

  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    const Candidate top = heap.back();
    heap.pop_back();
    Symbol& left = symbols[top.pos];
    if (!left.alive || left.next < 0) continue;
    Symbol& right = symbols[left.next];
    // Skip stale entries: the pair here now must still merge into the same token.
    const Merge* m = findMerge(left.id, right.id);
    if (!m || m->newId != top.newId) continue;
    left.id = top.newId;
    right.alive = false;
    left.next = right.next;
    if (left.next >= 0) symbols[left.next].prev = top.pos;
    if (left.prev >= 0) push(left.prev);
    push(top.pos);
  }
  for (std::int32_t i = 0; i >= 0; i = symbols[i].next) out.push_back(symbols[i].id);
}

}  // namespace qid::model
