#pragma once
// The result of quantizing one Linear weight [out, in]: the fake-quant
// (dequantized) weight used for evaluation, plus everything an exporter needs
// to rebuild it from integers (codes, scales, zeros, group map, codebook).
#include <ATen/core/Tensor.h>

#include <string>

namespace qid::quant {

struct QuantizedWeight {
  std::string method;       // "rtn", "gptq", "awq", "nf4", "fp4", "int8"
  int bits = 0;
  at::Tensor dequantized;   // [out, in] float32: what evaluation uses

  at::Tensor codes;         // [out, in] uint8, in the original column order

  // Affine grid (rtn, gptq, awq, int8):
  //   value[r, c] = scales[r, g] * (codes[r, c] - zeros[r, g]),  g = groupIndex[c]
  // For AWQ the result is further divided by inputScale[c] (see awq.h).
  at::Tensor scales;        // [out, groups] float32   (blockwise 4-bit: [blocks] absmax)
  at::Tensor zeros;         // [out, groups] float32   (undefined for blockwise 4-bit)
  at::Tensor groupIndex;    // [in] int64              (undefined for blockwise 4-bit)
  int groupSize = -1;       // -1: one group per row

  // Blockwise 4-bit (nf4, fp4): value = codebook[code] * scales[block],
  // block = (r * in + c) / blockSize over the row-major flattened weight.
  at::Tensor codebook;      // [16] float32
  int blockSize = 0;

  at::Tensor inputScale;    // AWQ: [in] per-input-channel scale s (W ~ Q(W*s)/s)
  at::Tensor keptColumns;   // int8: [k] int64 outlier columns kept in full precision

  double damp = 0.0;        // GPTQ: the relative damping finally used
  int dampIncreases = 0;    // GPTQ: how often Cholesky failed and damp was raised x10
};

}  // namespace qid::quant
