#pragma once
// Validation of the matrices handed to the quantizers: a clear qid::Error
// naming the tensor and the offending row/column instead of silent NaNs.
#include <ATen/core/Tensor.h>

#include <string>

namespace qid::quant {

// weight must be 2-D [out, in], floating point and finite.
void checkWeight(const at::Tensor& weight, const std::string& what = "weight");

// inputs must be 2-D [tokens, in] with in == weight.size(1), and finite.
void checkInputs(const at::Tensor& inputs, const at::Tensor& weight,
                 const std::string& what = "inputs");

// Number of column groups of size groupSize (-1: one) over columns; the last
// group is partial when groupSize does not divide columns. Throws for
// groupSize == 0 or < -1.
std::int64_t groupCount(std::int64_t columns, int groupSize);

}  // namespace qid::quant
