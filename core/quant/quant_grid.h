#pragma once
// The uniform integer grid shared by RTN, GPTQ and AWQ (REFERENCE.md).
//
// fitMinMax is GPTQ's quantizer: per row, xmin = min(row, 0), xmax = max(row, 0);
// symmetric sets xmax = max(|xmin|, xmax) and xmin = -xmax (only where xmin < 0,
// as the reference does); a row of zeros gets [-1, 1]. scale = (xmax - xmin)/(2^b - 1),
// zero = 2^(b-1) if symmetric, else round(-xmin/scale).
// fitAwq is AWQ's: per row, asymmetric, range not forced to include 0,
// scale = max(max - min, 1e-5)/(2^b - 1), zero = clamp(-round(min/scale), 0, 2^b - 1).
// Both quantize as q = clamp(round(x/scale) + zero, 0, 2^b - 1) and dequantize as
// scale * (q - zero). round is half-to-even, like torch.round.
#include <ATen/core/Tensor.h>

namespace qid::quant {

struct GridParams {
  at::Tensor scale;  // [rows, 1] float32
  at::Tensor zero;   // [rows, 1] float32
};

// Throws qid::Error unless 1 <= bits <= 8.
void checkBits(int bits);

// Fits one scale/zero per row of x [rows, cols].
GridParams fitMinMax(const at::Tensor& x, int bits, bool symmetric);
GridParams fitAwq(const at::Tensor& x, int bits);

// Integer codes (as float32, exact small integers) of x [rows, cols] on the grid.
at::Tensor quantizeCodes(const at::Tensor& x, const GridParams& p, int bits);
at::Tensor dequantizeCodes(const at::Tensor& codes, const GridParams& p);
// dequantizeCodes(quantizeCodes(x)).
at::Tensor fakeQuantize(const at::Tensor& x, const GridParams& p, int bits);

}  // namespace qid::quant
