#pragma once
// Python's `random` module generator (MT19937 seeded by init_by_array, as
// CPython's random.seed(int) does), so that calibration windows drawn with
// random.seed(seed); random.randint(0, n - seqlen - 1) -- the GPTQ reference's
// datautils -- are reproduced exactly for the same token stream.
#include <array>
#include <cstdint>

namespace qid::quant {

class PythonRandom {
 public:
  explicit PythonRandom(std::uint64_t seed);
  std::uint32_t next32();
  // random.getrandbits(k) for 1 <= k <= 32.
  std::uint32_t bits(int k);
  // random.randint(a, b), inclusive; b - a + 1 must fit in 32 bits.
  std::int64_t randint(std::int64_t a, std::int64_t b);
  // random.random().
  double uniform();

 private:
  void twist();
  std::array<std::uint32_t, 624> mt_{};
  int index_ = 624;
};

}  // namespace qid::quant
