#pragma once
// The quantization methods by name, their options, and one entry point that
// quantizes a single weight matrix given its calibration inputs (used by
// `qidlab-cli quantize-tensor` and, per Linear, by the layer-wise pipeline).
#include <ATen/core/Tensor.h>

#include <string>

#include "quant/quantized_weight.h"

namespace qid::quant {

enum class Method { RTN, GPTQ, AWQ, NF4, FP4, INT8 };

// "rtn", "gptq", "awq", "nf4", "fp4", "int8" (case-insensitive); throws
// qid::Error naming the accepted names otherwise.
Method parseMethod(const std::string& name);
std::string methodName(Method method);
// True for the methods that need calibration inputs (gptq, awq; int8 uses them
// for its outlier columns when given).
bool needsCalibration(Method method);

struct MethodOptions {
  Method method = Method::GPTQ;
  int bits = 4;
  int groupSize = -1;       // -1: one scale per output row
  bool symmetric = false;
  double percdamp = 0.01;   // GPTQ relative damping
  bool actOrder = false;    // GPTQ
  bool staticGroups = false;// GPTQ
  int blockSize = 128;      // GPTQ lazy-update block
  int awqGrid = 20;         // AWQ scale-search grid
  bool awqClip = true;      // AWQ clipping search (the pipeline turns it off for q/k)
  double int8Threshold = 6.0;
};

// Throws qid::Error for bits outside 1-8 (nf4/fp4 need 4, int8 needs 8), a
// group size of 0 or below -1, a negative damp. A group size that does not
// divide the columns is accepted: the last group is partial.
void validate(const MethodOptions& options);

// weight [out, in]; inputs [tokens, in], required for gptq and awq, optional
// otherwise. Throws qid::Error on shape mismatch or non-finite values.
QuantizedWeight quantizeMatrix(const at::Tensor& weight, const at::Tensor& inputs,
                               const MethodOptions& options);

// ||W X^T - Q X^T||^2 / ||W X^T||^2 over the tokens of inputs [tokens, in].
double relativeOutputError(const at::Tensor& weight, const at::Tensor& quantized,
                           const at::Tensor& inputs);

}  // namespace qid::quant
