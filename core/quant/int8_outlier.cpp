#include "quant/int8_outlier.h"

#include <ATen/ATen.h>

#include "common/error.h"
#include "quant/weight_checks.h"

namespace qid::quant {

QuantizedWeight int8Quantize(const at::Tensor& weight, const at::Tensor& inputAbsMax,
                             double threshold) {
  checkWeight(weight);
  at::Tensor w = weight.to(at::kFloat);
  const int64_t cols = w.size(1);
  at::Tensor absmax = std::get<0>(w.abs().max(1, /*keepdim=*/true));
  at::Tensor scale = at::where(absmax > 0, absmax, at::ones_like(absmax)) / 127.0;
  at::Tensor q = at::clamp(at::round(w / scale), -127.0, 127.0);
  at::Tensor deq = q * scale;

  QuantizedWeight out;
  out.method = "int8";
  out.bits = 8;
  out.codes = (q + 128.0).to(at::kByte);
  out.scales = scale;
  out.zeros = at::full_like(scale, 128.0);
  out.groupIndex = at::zeros({cols}, w.options().dtype(at::kLong));
  out.keptColumns = at::empty({0}, w.options().dtype(at::kLong));
  if (inputAbsMax.defined()) {
    if (inputAbsMax.numel() != cols)
      throw Error("int8: the activation statistics have " + std::to_string(inputAbsMax.numel()) +
                  " columns, the weight " + std::to_string(cols));
    out.keptColumns = at::nonzero(inputAbsMax.to(w.device()).flatten() > threshold).flatten();
    if (out.keptColumns.numel() > 0)
      deq.index_copy_(1, out.keptColumns, w.index_select(1, out.keptColumns));
  }
  out.dequantized = deq;
  return out;
}

}  // namespace qid::quant
