#include "quant/awq.h"

#include <ATen/ATen.h>

#include <limits>

#include "common/error.h"
#include "quant/quant_grid.h"
#include "quant/weight_checks.h"

namespace qid::quant {

namespace {

int64_t groupWidth(int64_t cols, int groupSize) { return groupSize < 0 ? cols : groupSize; }

}  // namespace

at::Tensor awqFakeQuantize(const at::Tensor& weight, int bits, int groupSize) {
  const int64_t cols = weight.size(1);
  const int64_t groups = groupCount(cols, groupSize), g = groupWidth(cols, groupSize);
  std::vector<at::Tensor> parts;
  for (int64_t k = 0; k < groups; ++k) {
    at::Tensor part = weight.slice(1, k * g, std::min(cols, (k + 1) * g));
    parts.push_back(fakeQuantize(part, fitAwq(part, bits), bits));
  }
  return groups == 1 ? parts[0] : at::cat(parts, 1);
}

AwqScaleResult awqSearchScales(const at::Tensor& weight, const at::Tensor& inputMeanAbs,
                               const AwqOptions& options, const AwqLossFn& loss) {
  if (options.grid <= 0) throw Error("AWQ: the grid must be positive");
  at::Tensor w = weight.to(at::kFloat);
  at::Tensor xmax = inputMeanAbs.to(w.options()).flatten();
  AwqScaleResult best;
  double bestLoss = std::numeric_limits<double>::infinity();
  for (int i = 0; i < options.grid; ++i) {
    const double ratio = double(i) / options.grid;
    at::Tensor s = xmax.pow(ratio).clamp_min(1e-4);
    s = s / (s.max() * s.min()).sqrt();
    at::Tensor candidate = awqFakeQuantize(w * s.unsqueeze(0), options.bits, options.groupSize) /
                           s.unsqueeze(0);
    const double l = loss(candidate);
    best.losses.push_back(l);
    if (l < bestLoss) {  // strict: the first of equal losses wins, as in llm-awq
      bestLoss = l;
      best.ratio = ratio;
      best.scales = s;
    }
  }
  if (!best.scales.defined())  // every loss was NaN
    throw Error("AWQ: the scale search produced no finite loss");
  return best;
}

at::Tensor awqSearchClip(const at::Tensor& weight, const at::Tensor& inputs,
                         const AwqOptions& options) {
  at::Tensor w = weight.to(at::kFloat);
  at::Tensor x = inputs.to(w.options());
  const int64_t tokens = x.size(0);
  if (options.clipTokens > 0 && tokens > options.clipTokens) {
    const int64_t step = tokens / options.clipTokens;
    x = x.slice(0, 0, tokens, step);
  }
  const int64_t cols = w.size(1);
  const int64_t groups = groupCount(cols, options.groupSize),
                g = groupWidth(cols, options.groupSize);
  const int shrinkSteps = int(options.maxShrink * options.grid);
  std::vector<at::Tensor> best;
  for (int64_t k = 0; k < groups; ++k) {
    at::Tensor wk = w.slice(1, k * g, std::min(cols, (k + 1) * g));
    at::Tensor xk = x.slice(1, k * g, std::min(cols, (k + 1) * g));
    at::Tensor orgMax = std::get<0>(wk.abs().max(1, /*keepdim=*/true));  // [out, 1]
    at::Tensor bestMax = orgMax.clone();
    at::Tensor minErr = at::full_like(orgMax, 1e9);
    for (int i = 0; i < shrinkSteps; ++i) {
      at::Tensor maxVal = orgMax * (1.0 - double(i) / options.grid);
      at::Tensor cur = at::maximum(at::minimum(wk, maxVal), -maxVal);
      at::Tensor q = fakeQuantize(cur, fitAwq(cur, options.bits), options.bits);
      at::Tensor err = (q - wk).matmul(xk.t()).pow(2).mean(1, /*keepdim=*/true);
      at::Tensor better = err < minErr;
      minErr = at::where(better, err, minErr);
      bestMax = at::where(better, maxVal, bestMax);
    }
    best.push_back(bestMax);
  }
  return at::cat(best, 1);
}

QuantizedWeight awqQuantize(const at::Tensor& weight, const at::Tensor& inputs,
                            const AwqOptions& options, const AwqLossFn& loss,
                            at::Tensor inputMeanAbs) {
  checkBits(options.bits);
  checkWeight(weight);
  checkInputs(inputs, weight);
  at::Tensor w = weight.to(at::kFloat);
  at::Tensor x = inputs.to(w.options());
  const int64_t cols = w.size(1);
  const int64_t groups = groupCount(cols, options.groupSize),
                g = groupWidth(cols, options.groupSize);

  at::Tensor s = at::ones({cols}, w.options());
  if (options.searchScale) {
    if (!inputMeanAbs.defined()) inputMeanAbs = x.abs().mean(0);
    AwqLossFn lossFn = loss;
    at::Tensor ref;
    if (!lossFn) {
      ref = x.matmul(w.t());
      lossFn = [&x, &ref](const at::Tensor& cand) {
        return (x.matmul(cand.t()) - ref).pow(2).mean().item<double>();
      };
    }
    s = awqSearchScales(w, inputMeanAbs, options, lossFn).scales;
  }
  at::Tensor ws = w * s.unsqueeze(0);
  if (options.clip) {
    at::Tensor maxVal = awqSearchClip(ws, x / s.unsqueeze(0), options);  // [out, groups]
    at::Tensor perCol = maxVal.repeat_interleave(g, 1).slice(1, 0, cols);
    ws = at::maximum(at::minimum(ws, perCol), -perCol);
  }

  std::vector<at::Tensor> codes, scales, zeros;
  for (int64_t k = 0; k < groups; ++k) {
    at::Tensor part = ws.slice(1, k * g, std::min(cols, (k + 1) * g));
    GridParams p = fitAwq(part, options.bits);
    codes.push_back(quantizeCodes(part, p, options.bits));
    scales.push_back(p.scale);
    zeros.push_back(p.zero);
  }
  QuantizedWeight q;
  q.method = "awq";
  q.bits = options.bits;
  q.groupSize = options.groupSize;
  q.codes = at::cat(codes, 1);
  q.scales = at::cat(scales, 1);
  q.zeros = at::cat(zeros, 1);
  q.groupIndex = at::div(at::arange(cols, w.options().dtype(at::kLong)), g, "floor");
  at::Tensor sCol = q.scales.index_select(1, q.groupIndex);
  at::Tensor zCol = q.zeros.index_select(1, q.groupIndex);
  q.dequantized = sCol * (q.codes - zCol) / s.unsqueeze(0);
  q.codes = q.codes.to(at::kByte);
  q.inputScale = s;
  return q;
}

}  // namespace qid::quant
