#include "quant/quant_grid.h"

#include <ATen/ATen.h>

#include <string>

#include "common/error.h"

namespace qid::quant {

void checkBits(int bits) {
  if (bits < 1 || bits > 8)
    throw Error("bits must be between 1 and 8, got " + std::to_string(bits));
}

GridParams fitMinMax(const at::Tensor& x, int bits, bool symmetric) {
  checkBits(bits);
  const double maxq = double((1 << bits) - 1);
  at::Tensor xf = x.to(at::kFloat);
  at::Tensor zeroT = at::zeros({xf.size(0)}, xf.options());
  at::Tensor xmin = at::minimum(std::get<0>(xf.min(1)), zeroT);
  at::Tensor xmax = at::maximum(std::get<0>(xf.max(1)), zeroT);
  if (symmetric) {
    xmax = at::maximum(xmin.abs(), xmax);
    xmin = at::where(xmin < 0, -xmax, xmin);
  }
  at::Tensor both0 = (xmin == 0).logical_and(xmax == 0);
  xmin = at::where(both0, at::full_like(xmin, -1.0), xmin);
  xmax = at::where(both0, at::full_like(xmax, 1.0), xmax);
  at::Tensor scale = (xmax - xmin) / maxq;
  at::Tensor zero = symmetric ? at::full_like(scale, double(1 << (bits - 1)))
                              : at::round(-xmin / scale);
  return {scale.unsqueeze(1), zero.unsqueeze(1)};
}

GridParams fitAwq(const at::Tensor& x, int bits) {
  checkBits(bits);
  const double maxq = double((1 << bits) - 1);
  at::Tensor xf = x.to(at::kFloat);
  at::Tensor xmax = std::get<0>(xf.max(1, /*keepdim=*/true));
  at::Tensor xmin = std::get<0>(xf.min(1, /*keepdim=*/true));
  at::Tensor scale = (xmax - xmin).clamp_min(1e-5) / maxq;
  at::Tensor zero = (-at::round(xmin / scale)).clamp(0.0, maxq);
  return {scale, zero};
}

at::Tensor quantizeCodes(const at::Tensor& x, const GridParams& p, int bits) {
  const double maxq = double((1 << bits) - 1);
  return at::clamp(at::round(x.to(at::kFloat) / p.scale) + p.zero, 0.0, maxq);
}

at::Tensor dequantizeCodes(const at::Tensor& codes, const GridParams& p) {
  return p.scale * (codes - p.zero);
}

at::Tensor fakeQuantize(const at::Tensor& x, const GridParams& p, int bits) {
  return dequantizeCodes(quantizeCodes(x, p, bits), p);
}

}  // namespace qid::quant
