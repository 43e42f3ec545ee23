// GPTQ on one 2048 x 8192 layer (pythia-1b's dense_4h_to_h: out 2048, in
// 8192) on CPU, as the issue asks: the Hessian from 128 x 2048 calibration
// tokens, then the quantization itself (4 bits, group 128, damp 0.01, block
// 128). Accumulating H from all 262,144 tokens is 2·n·in² = 35 TFLOP, so by
// default it is measured on a few windows and extrapolated linearly (it is
// one GEMM per window, exactly linear in tokens); pass the window count to
// measure more. Prints figures; never fails on speed.
//   bench_gptq [out in] [measured windows of 2048] [bits] [group]
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "common/error.h"
#include "quant/gptq.h"
#include "quant/hessian.h"
#include "quant/quant_method.h"

namespace {
using clock_type = std::chrono::steady_clock;
double secondsSince(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}
}  // namespace

int main(int argc, char** argv) {
  std::int64_t out = 2048, in = 8192, windows = 4;
  int bits = 4, group = 128;
  const std::int64_t seqlen = 2048, fullWindows = 128;
  if (argc > 2) {
    out = std::atoll(argv[1]);
    in = std::atoll(argv[2]);
  }
  if (argc > 3) windows = std::max<std::int64_t>(1, std::atoll(argv[3]));
  if (argc > 4) bits = std::atoi(argv[4]);
  if (argc > 5) group = std::atoi(argv[5]);
  try {
    at::NoGradGuard noGrad;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(1);
    std::printf("layer: %lld x %lld (out x in), calibration %lld x %lld tokens, cpu, %d threads\n",
                (long long)out, (long long)in, (long long)fullWindows, (long long)seqlen,
                at::get_num_threads());
    // Correlated inputs (a random low-rank mix plus noise), like activations.
    at::Tensor mix = at::randn({256, in}, gen) / 16.0;
    at::Tensor weight = at::randn({out, in}, gen) * 0.02;
    qid::quant::HessianAccumulator acc(in);
    const auto th = clock_type::now();
    for (std::int64_t w = 0; w < windows; ++w) {
      at::Tensor x = at::matmul(at::randn({seqlen, 256}, gen), mix) + 0.1 * at::randn({seqlen, in}, gen);
      acc.add(x);
    }
    const double hSeconds = secondsSince(th);
    const double perWindow = hSeconds / double(windows);
    std::printf("hessian: %lld windows in %.2f s (%.3f s per window, %.1f GFLOP/s incl. input generation)\n",
                (long long)windows, hSeconds, perWindow,
                2.0 * double(seqlen) * double(in) * double(in) / perWindow / 1e9);
    if (windows < fullWindows)
      std::printf("hessian: %.1f s for all %lld windows (extrapolated, linear in tokens)\n",
                  perWindow * double(fullWindows), (long long)fullWindows);

    qid::quant::GptqOptions o;
    o.bits = bits;
    o.groupSize = group;
    const at::Tensor h = acc.hessian();
    const auto tq = clock_type::now();
    qid::quant::QuantizedWeight q = qid::quant::gptqQuantize(weight, h, o);
    const double qSeconds = secondsSince(tq);
    at::Tensor x = at::matmul(at::randn({2048, 256}, gen), mix) + 0.1 * at::randn({2048, in}, gen);
    const double err = qid::quant::relativeOutputError(weight, q.dequantized, x);
    std::printf("gptq: %.2f s (%d bits, group %d, damp %g, %d damp raises), rel. output error %.3e\n",
                qSeconds, bits, group, q.damp, q.dampIncreases, err);
    std::printf("total for one layer: %.1f s (hessian %s + gptq)\n",
                perWindow * double(fullWindows) + qSeconds,
                windows < fullWindows ? "extrapolated" : "measured");
  } catch (const qid::Error& e) {
    std::fprintf(stderr, "bench_gptq: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
