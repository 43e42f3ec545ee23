#include "quant/python_random.h"

#include <algorithm>
#include <vector>

#include "common/error.h"

namespace qid::quant {

namespace {
constexpr int kN = 624, kM = 397;
}

PythonRandom::PythonRandom(std::uint64_t seed) {
  // The key: the seed's 32-bit words, least significant first ([0] for 0).
  std::vector<std::uint32_t> key;
  for (std::uint64_t s = seed; s; s >>= 32) key.push_back(std::uint32_t(s));
  if (key.empty()) key.push_back(0);
  // init_genrand(19650218)
  mt_[0] = 19650218u;
  for (int i = 1; i < kN; ++i)
    mt_[i] = 1812433253u * (mt_[i - 1] ^ (mt_[i - 1] >> 30)) + std::uint32_t(i);
  // init_by_array(key)
  int i = 1;
  std::size_t j = 0;
  for (int k = std::max<int>(kN, int(key.size())); k; --k) {
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1664525u)) + key[j] + std::uint32_t(j);
    ++i;
    ++j;
    if (i >= kN) {
      mt_[0] = mt_[kN - 1];
      i = 1;
    }
    if (j >= key.size()) j = 0;
  }
  for (int k = kN - 1; k; --k) {
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1566083941u)) - std::uint32_t(i);
    ++i;
    if (i >= kN) {
      mt_[0] = mt_[kN - 1];
      i = 1;
    }
  }
  mt_[0] = 0x80000000u;
  index_ = kN;
}

void PythonRandom::twist() {
  for (int i = 0; i < kN; ++i) {
    std::uint32_t y = (mt_[i] & 0x80000000u) | (mt_[(i + 1) % kN] & 0x7fffffffu);
    mt_[i] = mt_[(i + kM) % kN] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
  }
  index_ = 0;
}

std::uint32_t PythonRandom::next32() {
  if (index_ >= kN) twist();
  std::uint32_t y = mt_[index_++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

std::uint32_t PythonRandom::bits(int k) { return next32() >> (32 - k); }

std::int64_t PythonRandom::randint(std::int64_t a, std::int64_t b) {
  const std::int64_t n = b - a + 1;
  if (n <= 0 || n >= (std::int64_t(1) << 32)) throw Error("randint: empty or too large range");
  int k = 0;
  while ((std::int64_t(1) << k) <= n) ++k;  // n.bit_length()
  std::int64_t r = bits(k);
  while (r >= n) r = bits(k);
  return a + r;
}

double PythonRandom::uniform() {
  const std::uint32_t a = next32() >> 5, b = next32() >> 6;
  return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

}  // namespace qid::quant
