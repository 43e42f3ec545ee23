#include "quant/blockwise4bit.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "common/error.h"
#include "quant/weight_checks.h"

namespace qid::quant {

const std::array<float, 16>& codebookValues(Codebook4 which) {
  static const std::array<float, 16> nf4 = {
      -1.0f,
      -0.6961928009986877f,
      -0.5250730514526367f,
      -0.39491748809814453f,
      -0.28444138169288635f,
      -0.18477343022823334f,
      -0.09105003625154495f,
      0.0f,
      0.07958029955625534f,
      0.16093020141124725f,
      0.24611230194568634f,
      0.33791524171829224f,
      0.44070982933044434f,
      0.5626170039176941f,
      0.7229568362236023f,
      1.0f};
  static const std::array<float, 16> fp4 = [] {
    const float mag[8] = {0.0f, 0.0625f, 8.0f, 12.0f, 4.0f, 6.0f, 2.0f, 3.0f};
    std::array<float, 16> v{};
    for (int i = 0; i < 8; ++i) {
      v[i] = mag[i] / 12.0f;
      v[i + 8] = -mag[i] / 12.0f;
    }
    return v;
  }();
  return which == Codebook4::NF4 ? nf4 : fp4;
}

QuantizedWeight blockwise4bitQuantize(const at::Tensor& weight, Codebook4 which,
                                      int blockSize) {
  checkWeight(weight);
  if (blockSize <= 0) throw Error("block size must be positive");
  at::Tensor flat = weight.to(at::kFloat).flatten();
  const int64_t n = flat.numel();
  const int64_t blocks = (n + blockSize - 1) / blockSize;
  const auto& values = codebookValues(which);
  at::Tensor book =
      at::tensor(at::ArrayRef<float>(values.data(), values.size()), at::kFloat).to(flat.device());

  at::Tensor padded = at::zeros({blocks * blockSize}, flat.options());
  padded.slice(0, 0, n).copy_(flat);
  at::Tensor view = padded.view({blocks, blockSize});
  at::Tensor absmax = std::get<0>(view.abs().max(1));
  at::Tensor safe = at::where(absmax > 0, absmax, at::ones_like(absmax));
  at::Tensor normed = view / safe.unsqueeze(1);
  // Nearest code: the distinct code values sorted ascending (the lower code
  // index kept for equal values, so FP4 never emits -0), then bucketize
  // against the midpoints; a value exactly on a midpoint goes to the lower value.
  std::vector<std::pair<float, int64_t>> sorted;
  for (int64_t i = 0; i < 16; ++i) sorted.emplace_back(values[i], i);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<float> mids;
  std::vector<int64_t> codeOf;
  for (const auto& [v, code] : sorted) {
    if (!codeOf.empty() && v == values[codeOf.back()]) continue;
    if (!codeOf.empty()) mids.push_back(0.5f * (values[codeOf.back()] + v));
    codeOf.push_back(code);
  }
  at::Tensor midsT = at::tensor(at::ArrayRef<float>(mids), at::kFloat).to(flat.device());
  at::Tensor codeOfT = at::tensor(at::ArrayRef<int64_t>(codeOf), at::kLong).to(flat.device());
  at::Tensor codes =
      codeOfT.index_select(0, at::bucketize(normed.flatten(), midsT)).slice(0, 0, n);
  at::Tensor blockOf =
      at::div(at::arange(n, flat.options().dtype(at::kLong)), blockSize, "floor");
  at::Tensor deq = book.index_select(0, codes) * absmax.index_select(0, blockOf);

  QuantizedWeight q;
  q.method = which == Codebook4::NF4 ? "nf4" : "fp4";
  q.bits = 4;
  q.dequantized = deq.view(weight.sizes());
  q.codes = codes.to(at::kByte).view(weight.sizes());
  q.scales = absmax;
  q.codebook = book;
  q.blockSize = blockSize;
  return q;
}

}  // namespace qid::quant
