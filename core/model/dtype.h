#pragma once
// The floating-point storage types QiD Lab reads and writes in checkpoints.
#include <c10/core/ScalarType.h>

#include <cstddef>
#include <string>

namespace qid::model {

enum class DType { F32, F16, BF16 };

// "F32", "F16", "BF16" as safetensors spells them.
std::string dtypeName(DType dtype);
// Parses a safetensors dtype name; throws qid::Error naming `where` otherwise.
DType parseDType(const std::string& name, const std::string& where);
std::size_t elementSize(DType dtype);
c10::ScalarType toScalarType(DType dtype);
// Throws qid::Error for scalar types a checkpoint cannot hold.
DType fromScalarType(c10::ScalarType type, const std::string& where);

// "fp32" | "bf16" | "fp16" (CLI spelling; also accepts float32/bfloat16/float16).
c10::ScalarType parseComputeDType(const std::string& name);
std::string computeDTypeName(c10::ScalarType type);

}  // namespace qid::model
