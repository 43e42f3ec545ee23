#pragma once
// Round-to-nearest: GPTQ's min/max grid (quant_grid.h) applied directly,
// per row or per group of groupSize columns, with no calibration data.
// A group size that does not divide the columns leaves a partial last group
// holding the remaining columns.
#include "quant/quantized_weight.h"

namespace qid::quant {

struct RtnOptions {
  int bits = 4;
  int groupSize = -1;  // -1: one scale per row
  bool symmetric = false;
};

QuantizedWeight rtnQuantize(const at::Tensor& weight, const RtnOptions& options);

// Rebuilds the float weight from codes/scales/zeros/groupIndex (affine
// methods) or codes/codebook/absmax (blockwise 4-bit); used by tests and
// exporters to check that the integers reproduce `dequantized`.
at::Tensor reconstructFromCodes(const QuantizedWeight& q);

}  // namespace qid::quant
