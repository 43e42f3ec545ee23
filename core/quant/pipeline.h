#pragma once
// Layer-by-layer quantization of a whole CausalLM (REFERENCE.md, GPTQ "Whole
// models"): capture the inputs of block 0 for every calibration window; then
// for each block, one pass with the block's original weights collects every
// Linear's statistics through the model's LinearObserver (GPTQ Hessian, AWQ
// mean |x|, int8 max |x|, and a strided sample of input tokens), each Linear
// is quantized in NeoX order (query_key_value, dense, dense_h_to_4h,
// dense_4h_to_h) while the others keep their original weights (as the GPTQ
// NeoX script and llm-awq do), the block gets its fake-quant weights, and its
// outputs are recomputed with them and passed to the next block.
// Memory: one block's statistics plus the captured activations (on the
// model's device, or in host memory with calibOnCpu).
//
// AWQ: the scale search loss is the MSE of the block output over the
// calibration windows (for NeoX's parallel residual the same as llm-awq's
// attention/MLP outputs); dense gets no scale search (no fusable pair),
// query_key_value no clipping search (q/k are skipped).
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/progress.h"
#include "eval/windows.h"
#include "quant/calibration.h"
#include "quant/quant_method.h"
#include "quant/quantized_weight.h"

namespace qid::model {
class CausalLM;
}

namespace qid::quant {

struct PipelineOptions {
  MethodOptions method;
  CalibrationOptions calibration;
  bool calibOnCpu = false;          // keep captured activations in host memory
  std::int64_t sampleTokens = 4096; // input tokens kept per Linear (errors, AWQ clip)
  std::int64_t awqLossWindows = 0;  // > 0: AWQ scale-search loss on the first K windows only
  bool keepQuantized = false;       // return codes/scales/zeros of every Linear
  ProgressFn progress;              // stage "quantize", done/total in blocks
};

// One Linear of one block.
struct LayerRecord {
  int layer = 0;
  std::string linear;          // "query_key_value", ...
  std::int64_t rows = 0, cols = 0;
  double seconds = 0;          // quantization time of this Linear
  double relativeError = 0;    // ||WX - QX||^2 / ||WX||^2 on the sampled calibration inputs
  double damp = 0;             // GPTQ: relative damping used
  int dampIncreases = 0;       // GPTQ: Cholesky failures that raised the damp
};

struct PipelineResult {
  std::vector<LayerRecord> layers;
  std::vector<eval::Window> calibrationWindows;  // empty for data-free runs without calibration
  double seconds = 0;
  // With keepQuantized: the HF weight name of every Linear and its record.
  std::vector<std::pair<std::string, QuantizedWeight>> quantized;
};

// Quantizes `model` in place (its Linear weights become fake-quant weights).
// calibTokens may be empty only for the data-free methods (rtn, nf4, fp4,
// int8); then no errors are recorded (relativeError is NaN).
PipelineResult quantizeModel(model::CausalLM& model, const std::vector<std::uint32_t>& calibTokens,
                             const PipelineOptions& options);

}  // namespace qid::quant
