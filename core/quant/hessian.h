#pragma once
// GPTQ's Hessian of the layer-wise squared error, H = 2/n * sum_x x x^T,
// kept as a running average in float32 on the device of the first batch
// (REFERENCE.md). n counts tokens; GPTQ is invariant to the scale of H.
#include <ATen/core/Tensor.h>

#include <cstdint>

namespace qid::quant {

class HessianAccumulator {
 public:
  explicit HessianAccumulator(std::int64_t columns);

  // x: [..., columns]; every row is one token.
  void add(const at::Tensor& x);

  std::int64_t columns() const { return columns_; }
  std::int64_t tokens() const { return tokens_; }
  // [columns, columns] float32 (zeros before any add).
  at::Tensor hessian() const;

 private:
  std::int64_t columns_;
  std::int64_t tokens_ = 0;
  at::Tensor h_;
};

}  // namespace qid::quant
