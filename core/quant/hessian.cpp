#include "quant/hessian.h"

#include <ATen/ATen.h>

#include <cmath>
#include <string>

#include "common/error.h"

namespace qid::quant {

HessianAccumulator::HessianAccumulator(std::int64_t columns) : columns_(columns) {}

void HessianAccumulator::add(const at::Tensor& x) {
  if (x.size(-1) != columns_)
    throw Error("Hessian input has " + std::to_string(x.size(-1)) + " columns, expected " +
                std::to_string(columns_));
  at::Tensor rows = x.reshape({-1, columns_}).to(at::kFloat);
  const int64_t n = rows.size(0);
  if (n == 0) return;
  if (!h_.defined()) h_ = at::zeros({columns_, columns_}, rows.options());
  const double total = double(tokens_ + n);
  h_.mul_(double(tokens_) / total);
  tokens_ += n;
  at::Tensor scaled = rows * std::sqrt(2.0 / total);
  h_.addmm_(scaled.t(), scaled);
}

at::Tensor HessianAccumulator::hessian() const {
  if (!h_.defined()) return at::zeros({columns_, columns_}, at::kFloat);
  return h_;
}

}  // namespace qid::quant
