#include "quant/rtn.h"

#include <ATen/ATen.h>

#include <vector>

#include "common/error.h"
#include "quant/quant_grid.h"
#include "quant/weight_checks.h"

namespace qid::quant {

QuantizedWeight rtnQuantize(const at::Tensor& weight, const RtnOptions& options) {
  checkBits(options.bits);
  checkWeight(weight);
  at::Tensor w = weight.to(at::kFloat);
  const int64_t cols = w.size(1);
  const int64_t groups = groupCount(cols, options.groupSize);
  const int64_t g = options.groupSize < 0 ? cols : options.groupSize;

  std::vector<at::Tensor> codes, deq, scales, zeros;
  for (int64_t k = 0; k < groups; ++k) {
    at::Tensor part = w.slice(1, k * g, std::min(cols, (k + 1) * g));
    GridParams p = fitMinMax(part, options.bits, options.symmetric);
    at::Tensor c = quantizeCodes(part, p, options.bits);
    codes.push_back(c);
    deq.push_back(dequantizeCodes(c, p));
    scales.push_back(p.scale);
    zeros.push_back(p.zero);
  }
  QuantizedWeight q;
  q.method = "rtn";
  q.bits = options.bits;
  q.groupSize = options.groupSize;
  q.dequantized = at::cat(deq, 1);
  q.codes = at::cat(codes, 1).to(at::kByte);
  q.scales = at::cat(scales, 1);
  q.zeros = at::cat(zeros, 1);
  q.groupIndex = at::div(at::arange(cols, w.options().dtype(at::kLong)), g, "floor");
  return q;
}

at::Tensor reconstructFromCodes(const QuantizedWeight& q) {
  at::Tensor codes = q.codes.to(at::kFloat);
  if (q.codebook.defined()) {
    at::Tensor flat = q.codebook.index_select(0, q.codes.flatten().to(at::kLong));
    const int64_t n = flat.numel();
    at::Tensor block = at::div(at::arange(n, flat.options().dtype(at::kLong)), q.blockSize,
                               "floor");
    return (flat * q.scales.index_select(0, block)).view(q.codes.sizes());
  }
  at::Tensor s = q.scales.index_select(1, q.groupIndex);
  at::Tensor z = q.zeros.index_select(1, q.groupIndex);
  at::Tensor w = s * (codes - z);
  if (q.inputScale.defined()) w = w / q.inputScale.unsqueeze(0);
  if (q.keptColumns.defined() && q.keptColumns.numel() > 0)
    w.index_copy_(1, q.keptColumns, q.dequantized.index_select(1, q.keptColumns));
  return w;
}

}  // namespace qid::quant
