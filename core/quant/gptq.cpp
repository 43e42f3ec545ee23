#include "quant/gptq.h"

#include <ATen/ATen.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "quant/quant_grid.h"
#include "quant/weight_checks.h"

namespace qid::quant {

namespace {

// Upper Cholesky factor of the inverse of the damped H. Raises percdamp x10 on
// failure, at most maxRetries times.
at::Tensor inverseCholeskyUpper(const at::Tensor& h, double& percdamp, int maxRetries,
                                int& increases) {
  const double meanDiag = h.diagonal().mean().item<double>();
  for (int attempt = 0;; ++attempt) {
    at::Tensor hd = h.clone();
    hd.diagonal().add_(percdamp * meanDiag);
    auto [l, info] = at::linalg_cholesky_ex(hd);
    if (info.item<int64_t>() == 0) {
      at::Tensor inv = at::cholesky_inverse(l);
      auto [u, info2] = at::linalg_cholesky_ex(inv, /*upper=*/true);
      if (info2.item<int64_t>() == 0 && at::isfinite(u).all().item<bool>()) return u;
    }
    if (attempt >= maxRetries)
      throw Error("GPTQ: the Hessian is not positive definite even with damp " +
                  std::to_string(percdamp) + " after " + std::to_string(maxRetries) +
                  " increases; use more calibration data or a larger --damp");
    percdamp *= 10.0;
    ++increases;
  }
}

}  // namespace

QuantizedWeight gptqQuantize(const at::Tensor& weight, const at::Tensor& hessian,
                             const GptqOptions& options) {
  checkBits(options.bits);
  checkWeight(weight);
  const int64_t cols = weight.size(1);
  if (hessian.dim() != 2 || hessian.size(0) != cols || hessian.size(1) != cols)
    throw Error("GPTQ: the Hessian must be [" + std::to_string(cols) + ", " +
                std::to_string(cols) + "] for a weight with " + std::to_string(cols) +
                " input columns");
  if (!(options.percdamp >= 0)) throw Error("GPTQ: damp must be >= 0");
  if (options.blockSize <= 0) throw Error("GPTQ: block size must be positive");
  const int64_t ngroups = groupCount(cols, options.groupSize);
  const int64_t g = options.groupSize;
  const int bits = options.bits;
  const bool sym = options.symmetric;

  at::Tensor w = weight.to(at::kFloat).clone();
  at::Tensor h = hessian.to(w.options()).clone();
  if (!at::isfinite(h).all().item<bool>()) throw Error("GPTQ: the Hessian contains NaN or Inf");

  GridParams rowParams;
  if (g < 0) rowParams = fitMinMax(w, bits, sym);

  at::Tensor dead = h.diagonal() == 0;
  h.diagonal().masked_fill_(dead, 1.0);
  w.masked_fill_(dead.unsqueeze(0), 0.0);

  std::vector<GridParams> staticParams;
  if (g > 0 && options.staticGroups)
    for (int64_t k = 0; k < ngroups; ++k)
      staticParams.push_back(fitMinMax(w.slice(1, k * g, std::min(cols, (k + 1) * g)), bits, sym));

  at::Tensor perm, invperm;
  std::vector<int64_t> permHost;
  if (options.actOrder) {
    perm = at::argsort(h.diagonal(), /*dim=*/0, /*descending=*/true);
    w = w.index_select(1, perm);
    h = h.index_select(0, perm).index_select(1, perm);
    invperm = at::argsort(perm);
    at::Tensor ph = perm.cpu().contiguous();
    permHost.assign(ph.data_ptr<int64_t>(), ph.data_ptr<int64_t>() + cols);
  }

  QuantizedWeight out;
  out.method = "gptq";
  out.bits = bits;
  out.groupSize = options.groupSize;
  double percdamp = options.percdamp;
  at::Tensor hinv = inverseCholeskyUpper(h, percdamp, options.maxDampRetries, out.dampIncreases);
  out.damp = percdamp;

  // Work on W^T so that a column of W is a contiguous row.
  at::Tensor wt = w.t().contiguous();
  at::Tensor qt = at::zeros_like(wt);
  at::Tensor codesT = at::zeros_like(wt);
  std::vector<at::Tensor> groupScales, groupZeros;  // dynamic groups, in permuted order
  GridParams cur = rowParams;

  for (int64_t i1 = 0; i1 < cols; i1 += options.blockSize) {
    const int64_t i2 = std::min(cols, i1 + options.blockSize), count = i2 - i1;
    at::Tensor w1 = wt.slice(0, i1, i2).clone();
    at::Tensor err1 = at::zeros_like(w1);
    at::Tensor hinv1 = hinv.slice(0, i1, i2).slice(1, i1, i2);
    for (int64_t i = 0; i < count; ++i) {
      const int64_t col = i1 + i;
      if (g > 0) {
        if (!options.staticGroups) {
          if (col % g == 0) {
            cur = fitMinMax(wt.slice(0, col, std::min(cols, col + g)).t(), bits, sym);
            groupScales.push_back(cur.scale);
            groupZeros.push_back(cur.zero);
          }
        } else {
          const int64_t idx = options.actOrder ? permHost[col] : col;
          cur = staticParams[idx / g];
        }
      }
      at::Tensor col1 = w1[i];
      at::Tensor scale = cur.scale.view({-1}), zero = cur.zero.view({-1});
      at::Tensor c = at::clamp(at::round(col1 / scale) + zero, 0.0, double((1 << bits) - 1));
      at::Tensor q = scale * (c - zero);
      codesT[col].copy_(c);
      qt[col].copy_(q);
      at::Tensor err = (col1 - q) / hinv1[i][i];
      w1.slice(0, i, count).addr_(hinv1[i].slice(0, i, count), err, 1.0, -1.0);
      err1[i].copy_(err);
    }
    if (i2 < cols)
      wt.slice(0, i2).sub_(hinv.slice(0, i1, i2).slice(1, i2).t().matmul(err1));
  }

  at::Tensor q = qt.t(), codes = codesT.t();
  if (options.actOrder) {
    q = q.index_select(1, invperm);
    codes = codes.index_select(1, invperm);
  }
  out.dequantized = q.contiguous();
  out.codes = codes.to(at::kByte).contiguous();

  auto longOpts = w.options().dtype(at::kLong);
  if (g < 0) {
    out.scales = rowParams.scale;
    out.zeros = rowParams.zero;
    out.groupIndex = at::zeros({cols}, longOpts);
  } else if (options.staticGroups) {
    std::vector<at::Tensor> s, z;
    for (const auto& p : staticParams) {
      s.push_back(p.scale);
      z.push_back(p.zero);
    }
    out.scales = at::cat(s, 1);
    out.zeros = at::cat(z, 1);
    out.groupIndex = at::div(at::arange(cols, longOpts), g, "floor");
  } else {
    out.scales = at::cat(groupScales, 1);
    out.zeros = at::cat(groupZeros, 1);
    at::Tensor byPermCol = at::div(at::arange(cols, longOpts), g, "floor");
    out.groupIndex = options.actOrder ? byPermCol.index_select(0, invperm) : byPermCol;
  }
  return out;
}

}  // namespace qid::quant
