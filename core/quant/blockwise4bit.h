#pragma once
// bitsandbytes-style 4-bit quantization (NF4, FP4): data-free, blockwise
// absmax over the row-major flattened weight in blocks of 64 (the last block
// may be partial); each value / absmax maps to the nearest codebook entry
// (ties go to the lower code index). Codebooks are exactly REFERENCE.md's.
#include <ATen/core/Tensor.h>

#include <array>

#include "quant/quantized_weight.h"

namespace qid::quant {

enum class Codebook4 { NF4, FP4 };

// The 16 code values, indexed by the 4-bit code. FP4: codes 0..7 are the
// magnitudes {0, 0.0625, 8, 12, 4, 6, 2, 3}/12, codes 8..15 the same with the
// sign bit set.
const std::array<float, 16>& codebookValues(Codebook4 which);

QuantizedWeight blockwise4bitQuantize(const at::Tensor& weight, Codebook4 which,
                                      int blockSize = 64);

}  // namespace qid::quant
