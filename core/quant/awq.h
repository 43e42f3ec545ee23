#pragma once
// AWQ (Lin et al.), following mit-han-lab/llm-awq (REFERENCE.md):
//  - group quantizer: per group of groupSize columns, asymmetric, range not
//    forced to include 0 (quant_grid.h fitAwq);
//  - scale search: s = mean|x|^r for r in {0, 1/grid, ..., (grid-1)/grid},
//    clamped at 1e-4 and normalised by sqrt(max s * min s); the candidate
//    weight is Q(W * s) / s and the s with the lowest loss wins (r = 0, s = 1,
//    is always a candidate). The loss is a callback: the layer-wise pipeline
//    passes the MSE of the block output, quantize-tensor the layer output;
//  - clipping search on the scaled weight with the scaled inputs: per output
//    row and group, max|w| shrunk by (1 - i/grid) for i < maxShrink * grid,
//    keeping the shrink with the lowest MSE of that group's partial output on
//    up to clipTokens evenly spaced tokens;
//  - the result is Q(clip(W * s)) / s. Dividing the weight by s is the same
//    product as folding 1/s into the preceding LayerNorm or activation, and it
//    keeps a fake-quant model a plain HF checkpoint; inputScale records s so an
//    exporter can fold it instead.
#include <ATen/core/Tensor.h>

#include <functional>
#include <vector>

#include "quant/quantized_weight.h"

namespace qid::quant {

struct AwqOptions {
  int bits = 4;
  int groupSize = 128;  // -1: one group per row
  int grid = 20;
  bool searchScale = true;
  bool clip = true;          // llm-awq skips clipping for q/k layers
  double maxShrink = 0.5;
  std::int64_t clipTokens = 512;
};

// Loss of a candidate fake-quant weight [out, in] (already divided by s).
using AwqLossFn = std::function<double(const at::Tensor& candidate)>;

// llm-awq's pseudo_quantize_tensor: Q(w) with the AWQ group grid.
at::Tensor awqFakeQuantize(const at::Tensor& weight, int bits, int groupSize);

struct AwqScaleResult {
  at::Tensor scales;           // [in]
  double ratio = 0.0;          // the winning exponent r
  std::vector<double> losses;  // one per grid point
};

AwqScaleResult awqSearchScales(const at::Tensor& weight, const at::Tensor& inputMeanAbs,
                               const AwqOptions& options, const AwqLossFn& loss);

// Best max|w| per output row and group, [out, groups]; weight and inputs
// already scaled (W * s, X / s). inputs: [tokens, in].
at::Tensor awqSearchClip(const at::Tensor& weight, const at::Tensor& inputs,
                         const AwqOptions& options);

// The full layer: scale search (if enabled, with `loss`, or the layer-output
// MSE on `inputs` when loss is empty), clipping search (if enabled), group
// quantization. inputs: [tokens, in] calibration inputs of this layer;
// inputMeanAbs: [in] mean |x| over all calibration tokens (computed from
// inputs when undefined).
QuantizedWeight awqQuantize(const at::Tensor& weight, const at::Tensor& inputs,
                            const AwqOptions& options, const AwqLossFn& loss = {},
                            at::Tensor inputMeanAbs = {});

}  // namespace qid::quant
