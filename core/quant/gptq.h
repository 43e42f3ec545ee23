#pragma once
// GPTQ (Frantar et al.), following the reference implementation
// IST-DASLab/gptq step by step (REFERENCE.md):
//  - dead columns (diag H == 0) get H_ii = 1 and W[:, i] = 0;
//  - relative damping percdamp * mean(diag H), then Hinv = upper Cholesky
//    factor of cholesky_inverse(cholesky(H)); when a Cholesky fails the damp
//    is raised x10 and retried, up to maxDampRetries times (recorded);
//  - optional act-order: columns by descending diag(H), undone at the end;
//  - columns in blocks of blockSize with lazy updates of later columns;
//  - groups: fitted when column i % groupSize == 0 on columns [i, i+g) of the
//    outer W, which holds every update of earlier blocks (as in the reference,
//    updates inside the current block are not yet in it); static groups are
//    fitted once on the weight before any update, by original column.
// Without groups the per-row grid is fitted on the original weight.
// A partial last group holds the remaining columns.
#include <ATen/core/Tensor.h>

#include "quant/quantized_weight.h"

namespace qid::quant {

struct GptqOptions {
  int bits = 4;
  int groupSize = -1;
  bool symmetric = false;
  double percdamp = 0.01;
  bool actOrder = false;
  bool staticGroups = false;
  int blockSize = 128;
  int maxDampRetries = 3;
};

// weight [out, in], hessian [in, in] (HessianAccumulator). Runs on the
// weight's device.
QuantizedWeight gptqQuantize(const at::Tensor& weight, const at::Tensor& hessian,
                             const GptqOptions& options);

}  // namespace qid::quant
