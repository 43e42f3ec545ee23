#pragma once
// BitNet b1.58 (Ma et al. 2024) quantizers for quantization-aware training:
//   weights      ternary {-1, 0, +1} × one absmean scale per matrix:
//                s = mean|W| (+eps), W_q = s · clamp(round(W / s), -1, 1);
//   activations  8-bit absmax per token (last dimension):
//                a = 127 / max|x| (+eps), x_q = clamp(round(x · a), -128, 127) / a;
//   gradients    straight-through: the forward sees the quantized value, the
//                backward treats the quantizer as the identity.
#include <ATen/core/Tensor.h>

namespace qid::train {

struct TernaryWeight {
  at::Tensor codes;  // int8 in {-1, 0, 1}, shape of W
  at::Tensor scale;  // 0-dim float: the absmean of W
};

// The ternary codes and the absmean scale of W.
TernaryWeight bitnetTernary(const at::Tensor& weight);
// s · codes as a tensor of W's dtype (no gradient).
at::Tensor bitnetWeightValue(const at::Tensor& weight);
// x quantized to 8 bits per token, dequantized (no gradient).
at::Tensor bitnetActivationValue(const at::Tensor& x);

// Straight-through versions for training: value of the quantizer, gradient of
// the identity (x + (q(x) - x).detach()).
at::Tensor bitnetWeightSte(const at::Tensor& weight);
at::Tensor bitnetActivationSte(const at::Tensor& x);

}  // namespace qid::train
