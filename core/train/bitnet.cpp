#include "train/bitnet.h"

#include <ATen/ATen.h>

namespace qid::train {

namespace {
constexpr double kEps = 1e-5;
}

TernaryWeight bitnetTernary(const at::Tensor& weight) {
  at::NoGradGuard noGrad;
  const at::Tensor w = weight.to(at::kFloat);
  at::Tensor scale = w.abs().mean().clamp_min(kEps);
  at::Tensor codes = (w / scale).round().clamp(-1, 1).to(at::kChar);
  return {codes, scale};
}

at::Tensor bitnetWeightValue(const at::Tensor& weight) {
  at::NoGradGuard noGrad;
  const TernaryWeight t = bitnetTernary(weight);
  return (t.codes.to(at::kFloat) * t.scale).to(weight.scalar_type());
}

at::Tensor bitnetActivationValue(const at::Tensor& x) {
  at::NoGradGuard noGrad;
  const at::Tensor xf = x.to(at::kFloat);
  const at::Tensor a = 127.0 / xf.abs().amax({-1}, /*keepdim=*/true).clamp_min(kEps);
  return ((xf * a).round().clamp(-128, 127) / a).to(x.scalar_type());
}

at::Tensor bitnetWeightSte(const at::Tensor& weight) {
  return weight + (bitnetWeightValue(weight) - weight).detach();
}

at::Tensor bitnetActivationSte(const at::Tensor& x) {
  return x + (bitnetActivationValue(x) - x).detach();
}

}  // namespace qid::train
