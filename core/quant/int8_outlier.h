#pragma once
// LLM.int8()-style 8-bit weights (Dettmers et al., bitsandbytes Linear8bitLt):
// row-wise absmax int8, q = round(127 * w / absmax_row) in [-127, 127], except
// the input columns where some calibration activation exceeds `threshold` in
// magnitude (6.0 by default), which stay in full precision as in the
// mixed-precision decomposition. Only the weights are fake-quantized here; the
// int8 activation path of the real kernel is not simulated.
// Stored as an affine grid: codes = q + 128, zeros = 128, scales = absmax/127.
#include <ATen/core/Tensor.h>

#include "quant/quantized_weight.h"

namespace qid::quant {

// inputAbsMax: [in] max |x| per input column over the calibration tokens, or
// undefined for no outlier columns.
QuantizedWeight int8Quantize(const at::Tensor& weight, const at::Tensor& inputAbsMax,
                             double threshold = 6.0);

}  // namespace qid::quant
