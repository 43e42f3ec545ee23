#include "quant/weight_checks.h"

#include <ATen/ATen.h>

#include "common/error.h"

namespace qid::quant {

namespace {

void checkFinite(const at::Tensor& t, const std::string& what) {
  at::Tensor bad = at::logical_not(at::isfinite(t));
  if (!bad.any().item<bool>()) return;
  at::Tensor where = at::nonzero(bad)[0].cpu();
  std::string pos;
  for (int64_t d = 0; d < where.size(0); ++d)
    pos += (d ? ", " : "") + std::to_string(where[d].item<int64_t>());
  throw Error(what + " contains NaN or Inf (first at [" + pos + "])");
}

}  // namespace

void checkWeight(const at::Tensor& weight, const std::string& what) {
  if (!weight.defined()) throw Error(what + " is missing");
  if (weight.dim() != 2)
    throw Error(what + " must be a 2-D [out, in] matrix, got " + std::to_string(weight.dim()) +
                " dimensions");
  if (!at::isFloatingType(weight.scalar_type()))
    throw Error(what + " must hold floating-point values");
  if (weight.numel() == 0) throw Error(what + " is empty");
  checkFinite(weight, what);
}

void checkInputs(const at::Tensor& inputs, const at::Tensor& weight, const std::string& what) {
  if (!inputs.defined()) throw Error(what + " are missing");
  if (inputs.dim() != 2)
    throw Error(what + " must be a 2-D [tokens, in] matrix, got " +
                std::to_string(inputs.dim()) + " dimensions");
  if (inputs.size(1) != weight.size(1))
    throw Error(what + " have " + std::to_string(inputs.size(1)) +
                " columns but the weight has " + std::to_string(weight.size(1)) +
                " input columns (shapes must be [tokens, in] and [out, in])");
  if (inputs.size(0) == 0) throw Error(what + " hold no tokens");
  if (!at::isFloatingType(inputs.scalar_type()))
    throw Error(what + " must hold floating-point values");
  checkFinite(inputs, what);
}

std::int64_t groupCount(std::int64_t columns, int groupSize) {
  if (groupSize == -1) return 1;
  if (groupSize <= 0)
    throw Error("group size must be -1 (one per row) or positive, got " +
                std::to_string(groupSize));
  return (columns + groupSize - 1) / groupSize;
}

}  // namespace qid::quant
