#include "quant/quant_method.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cctype>
#include <limits>

#include "common/error.h"
#include "quant/awq.h"
#include "quant/blockwise4bit.h"
#include "quant/gptq.h"
#include "quant/hessian.h"
#include "quant/int8_outlier.h"
#include "quant/quant_grid.h"
#include "quant/rtn.h"
#include "quant/weight_checks.h"

namespace qid::quant {

Method parseMethod(const std::string& name) {
  std::string n = name;
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
  if (n == "rtn") return Method::RTN;
  if (n == "gptq") return Method::GPTQ;
  if (n == "awq") return Method::AWQ;
  if (n == "nf4") return Method::NF4;
  if (n == "fp4") return Method::FP4;
  if (n == "int8" || n == "llm.int8") return Method::INT8;
  throw Error("unknown quantization method '" + name +
              "' (expected rtn, gptq, awq, nf4, fp4 or int8)");
}

std::string methodName(Method method) {
  switch (method) {
    case Method::RTN: return "rtn";
    case Method::GPTQ: return "gptq";
    case Method::AWQ: return "awq";
    case Method::NF4: return "nf4";
    case Method::FP4: return "fp4";
    case Method::INT8: return "int8";
  }
  return "?";
}

bool needsCalibration(Method method) { return method == Method::GPTQ || method == Method::AWQ; }

void validate(const MethodOptions& o) {
  checkBits(o.bits);
  if ((o.method == Method::NF4 || o.method == Method::FP4) && o.bits != 4)
    throw Error(methodName(o.method) + " is a 4-bit format; got bits " + std::to_string(o.bits));
  if (o.method == Method::INT8 && o.bits != 8)
    throw Error("int8 is an 8-bit format; got bits " + std::to_string(o.bits));
  if (o.groupSize == 0 || o.groupSize < -1)
    throw Error("group size must be -1 (one scale per row) or positive, got " +
                std::to_string(o.groupSize));
  if (!(o.percdamp >= 0)) throw Error("damp must be a number >= 0");
  if (o.blockSize <= 0) throw Error("GPTQ block size must be positive");
  if (o.awqGrid <= 0) throw Error("AWQ grid must be positive");
}

QuantizedWeight quantizeMatrix(const at::Tensor& weight, const at::Tensor& inputs,
                               const MethodOptions& o) {
  validate(o);
  checkWeight(weight);
  if (inputs.defined()) checkInputs(inputs, weight);
  if (needsCalibration(o.method) && !inputs.defined())
    throw Error(methodName(o.method) + " needs calibration inputs");
  switch (o.method) {
    case Method::RTN: return rtnQuantize(weight, {o.bits, o.groupSize, o.symmetric});
    case Method::GPTQ: {
      HessianAccumulator h(weight.size(1));
      h.add(inputs.to(weight.device()));
      GptqOptions g;
      g.bits = o.bits;
      g.groupSize = o.groupSize;
      g.symmetric = o.symmetric;
      g.percdamp = o.percdamp;
      g.actOrder = o.actOrder;
      g.staticGroups = o.staticGroups;
      g.blockSize = o.blockSize;
      return gptqQuantize(weight, h.hessian(), g);
    }
    case Method::AWQ: {
      AwqOptions a;
      a.bits = o.bits;
      a.groupSize = o.groupSize;
      a.grid = o.awqGrid;
      a.clip = o.awqClip;
      return awqQuantize(weight, inputs.to(weight.device()), a);
    }
    case Method::NF4: return blockwise4bitQuantize(weight, Codebook4::NF4);
    case Method::FP4: return blockwise4bitQuantize(weight, Codebook4::FP4);
    case Method::INT8: {
      at::Tensor absMax;
      if (inputs.defined()) absMax = std::get<0>(inputs.abs().max(0));
      return int8Quantize(weight, absMax, o.int8Threshold);
    }
  }
  throw Error("unhandled quantization method");
}

double relativeOutputError(const at::Tensor& weight, const at::Tensor& quantized,
                           const at::Tensor& inputs) {
  at::Tensor w = weight.to(at::kFloat);
  at::Tensor x = inputs.to(w.options());
  at::Tensor ref = x.matmul(w.t());
  const double denom = ref.pow(2).sum().item<double>();
  const double num = x.matmul((w - quantized.to(w.options())).t()).pow(2).sum().item<double>();
  return denom > 0 ? num / denom : (num > 0 ? std::numeric_limits<double>::infinity() : 0.0);
}

}  // namespace qid::quant
