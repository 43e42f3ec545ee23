#include "model/dtype.h"

#include "common/error.h"

namespace qid::model {

std::string dtypeName(DType dtype) {
  switch (dtype) {
    case DType::F32: return "F32";
    case DType::F16: return "F16";
    case DType::BF16: return "BF16";
  }
  return "?";
}

DType parseDType(const std::string& name, const std::string& where) {
  if (name == "F32") return DType::F32;
  if (name == "F16") return DType::F16;
  if (name == "BF16") return DType::BF16;
  throw Error(where + ": unsupported dtype '" + name + "' (supported: F32, F16, BF16)");
}

std::size_t elementSize(DType dtype) { return dtype == DType::F32 ? 4 : 2; }

c10::ScalarType toScalarType(DType dtype) {
  switch (dtype) {
    case DType::F32: return c10::ScalarType::Float;
    case DType::F16: return c10::ScalarType::Half;
    case DType::BF16: return c10::ScalarType::BFloat16;
  }
  return c10::ScalarType::Float;
}

DType fromScalarType(c10::ScalarType type, const std::string& where) {
  switch (type) {
    case c10::ScalarType::Float: return DType::F32;
    case c10::ScalarType::Half: return DType::F16;
    case c10::ScalarType::BFloat16: return DType::BF16;
    default:
      throw Error(where + ": tensor type " + std::string(c10::toString(type)) +
                  " cannot be stored (supported: F32, F16, BF16)");
  }
}

c10::ScalarType parseComputeDType(const std::string& name) {
  if (name == "fp32" || name == "float32" || name == "f32") return c10::ScalarType::Float;
  if (name == "bf16" || name == "bfloat16") return c10::ScalarType::BFloat16;
  if (name == "fp16" || name == "float16" || name == "f16") return c10::ScalarType::Half;
  throw Error("unknown dtype '" + name + "' (use fp32, bf16 or fp16)");
}

std::string computeDTypeName(c10::ScalarType type) {
  switch (type) {
    case c10::ScalarType::Float: return "fp32";
    case c10::ScalarType::BFloat16: return "bf16";
    case c10::ScalarType::Half: return "fp16";
    default: return c10::toString(type);
  }
}

}  // namespace qid::model
