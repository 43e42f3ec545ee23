#pragma once
// The deterministic, seeded order in which a suite reads its training tokens.
// Like Pythia, every model size of a suite sees exactly the same sequences in
// the same order: the order depends only on the token stream, the sequence
// length, the batch size and the seed.
//
// The stream is cut into non-overlapping windows of seqLen + 1 tokens
// (inputs and their next-token targets; stride seqLen). Each epoch visits
// every window once in a seeded Fisher–Yates permutation (own integer PRNG,
// so the order is the same with every standard library).
#include <cstdint>
#include <vector>

namespace qid::train {

class DataOrder {
 public:
  DataOrder(std::vector<std::uint32_t> tokens, std::int64_t seqLen, std::int64_t batchSize,
            std::uint64_t seed);

  std::int64_t seqLen() const { return seqLen_; }
  std::int64_t batchSize() const { return batchSize_; }
  std::int64_t tokensPerStep() const { return seqLen_ * batchSize_; }
  std::int64_t windowCount() const { return windows_; }
  std::uint64_t seed() const { return seed_; }
  const std::vector<std::uint32_t>& tokens() const { return tokens_; }
  // Windows are taken in order across epochs: step s uses global window
  // indices s*B .. s*B+B-1.
  std::int64_t windowAt(std::int64_t globalIndex) const;
  // The batch of step `step`: batchSize × (seqLen + 1) token ids, row-major.
  std::vector<std::int64_t> batch(std::int64_t step) const;
  // Epochs the first `steps` steps consume (fractional).
  double epochsFor(std::int64_t steps) const;

 private:
  std::vector<std::int64_t> permutation(std::int64_t epoch) const;
  std::vector<std::uint32_t> tokens_;
  std::int64_t seqLen_;
  std::int64_t batchSize_;
  std::uint64_t seed_;
  std::int64_t windows_;
  mutable std::int64_t cachedEpoch_ = -1;
  mutable std::vector<std::int64_t> cachedPerm_;
};

// SplitMix64: a tiny, portable generator for seeded orders.
std::uint64_t splitMix64(std::uint64_t& state);

}  // namespace qid::train
