#include "train/data_order.h"

#include <numeric>
#include <string>

#include "common/error.h"

namespace qid::train {

std::uint64_t splitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

DataOrder::DataOrder(std::vector<std::uint32_t> tokens, std::int64_t seqLen,
                     std::int64_t batchSize, std::uint64_t seed)
    : tokens_(std::move(tokens)), seqLen_(seqLen), batchSize_(batchSize), seed_(seed) {
  if (seqLen_ < 2) throw Error("training sequence length must be at least 2 tokens");
  if (batchSize_ < 1) throw Error("training batch size must be at least 1");
  const auto n = static_cast<std::int64_t>(tokens_.size());
  windows_ = n > seqLen_ ? (n - 1) / seqLen_ : 0;
  if (windows_ < 1) {
    throw Error("the training text gives " + std::to_string(n) +
                " tokens, fewer than one sequence of " + std::to_string(seqLen_ + 1));
  }
}

std::vector<std::int64_t> DataOrder::permutation(std::int64_t epoch) const {
  std::vector<std::int64_t> perm(static_cast<std::size_t>(windows_));
  std::iota(perm.begin(), perm.end(), 0);
  std::uint64_t state = seed_ ^ (0xD1B54A32D192ED03ull * static_cast<std::uint64_t>(epoch + 1));
  for (std::int64_t i = windows_ - 1; i > 0; --i) {
    // Unbiased bounded draw by rejection.
    const auto bound = static_cast<std::uint64_t>(i + 1);
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % bound);
    std::uint64_t r = 0;
    do r = splitMix64(state);
    while (r >= limit);
    std::swap(perm[static_cast<std::size_t>(i)], perm[static_cast<std::size_t>(r % bound)]);
  }
  return perm;
}

std::int64_t DataOrder::windowAt(std::int64_t globalIndex) const {
  const std::int64_t epoch = globalIndex / windows_;
  if (epoch != cachedEpoch_) {
    cachedPerm_ = permutation(epoch);
    cachedEpoch_ = epoch;
  }
  return cachedPerm_[static_cast<std::size_t>(globalIndex % windows_)];
}

std::vector<std::int64_t> DataOrder::batch(std::int64_t step) const {
  std::vector<std::int64_t> out;
  out.reserve(static_cast<std::size_t>(batchSize_ * (seqLen_ + 1)));
  for (std::int64_t b = 0; b < batchSize_; ++b) {
    const std::int64_t w = windowAt(step * batchSize_ + b);
    const auto begin = tokens_.begin() + w * seqLen_;
    out.insert(out.end(), begin, begin + seqLen_ + 1);
  }
  return out;
}

double DataOrder::epochsFor(std::int64_t steps) const {
  return static_cast<double>(steps * batchSize_) / static_cast<double>(windows_);
}

}  // namespace qid::train
