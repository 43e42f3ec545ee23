#include "quant/pipeline.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <optional>

#include "common/error.h"
#include "model/causal_lm.h"
#include "model/gpt_neox.h"
#include "quant/awq.h"
#include "quant/gptq.h"
#include "quant/hessian.h"
#include "quant/int8_outlier.h"

namespace qid::quant {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// What one Linear's inputs leave behind during the statistics pass.
struct LinearStats {
  std::optional<HessianAccumulator> hessian;
  at::Tensor absSum;   // sum |x| per column
  at::Tensor absMax;   // max |x| per column
  std::int64_t tokens = 0;
  std::vector<at::Tensor> sample;  // every stride-th token, on the storage device
};

class BlockStatsObserver : public model::LinearObserver {
 public:
  BlockStatsObserver(Method method, std::int64_t stride, c10::Device storage)
      : method_(method), stride_(stride), storage_(storage) {}

  void observe(int, const std::string& linear, const at::Tensor& input) override {
    LinearStats& s = stats_[linear];
    at::Tensor x = input.reshape({-1, input.size(-1)}).to(at::kFloat);
    const std::int64_t rows = x.size(0);
    if (method_ == Method::GPTQ) {
      if (!s.hessian) s.hessian.emplace(x.size(1));
      s.hessian->add(x);
    }
    if (method_ == Method::AWQ) {
      at::Tensor a = x.abs().sum(0);
      s.absSum = s.absSum.defined() ? s.absSum + a : a;
    }
    if (method_ == Method::INT8) {
      at::Tensor m = std::get<0>(x.abs().max(0));
      s.absMax = s.absMax.defined() ? at::maximum(s.absMax, m) : m;
    }
    const std::int64_t first = (stride_ - s.tokens % stride_) % stride_;
    if (first < rows) s.sample.push_back(x.slice(0, first, rows, stride_).to(storage_));
    s.tokens += rows;
  }

  LinearStats& operator[](const std::string& linear) {
    auto it = stats_.find(linear);
    if (it == stats_.end()) throw Error("the model never ran Linear '" + linear + "'");
    return it->second;
  }

 private:
  Method method_;
  std::int64_t stride_;
  c10::Device storage_;
  std::map<std::string, LinearStats> stats_;
};

std::string hfWeightName(const model::CausalLM& m, int layer, const std::string& linear) {
  if (m.config().modelType == "gpt_neox")
    return model::gptNeoxLinearPrefix(layer, model::parseLinearKind(linear)) + ".weight";
  return "layers." + std::to_string(layer) + "." + linear + ".weight";
}

}  // namespace

PipelineResult quantizeModel(model::CausalLM& model, const std::vector<std::uint32_t>& calibTokens,
                             const PipelineOptions& options) {
  const auto t0 = Clock::now();
  at::NoGradGuard noGrad;
  const MethodOptions& mo = options.method;
  validate(mo);
  const bool haveCalib = !calibTokens.empty();
  if (!haveCalib && needsCalibration(mo.method))
    throw Error(methodName(mo.method) + " needs calibration text (--calib)");

  PipelineResult result;
  const c10::Device device = model.device();
  const c10::Device storage = options.calibOnCpu ? c10::Device(c10::kCPU) : device;
  const int layers = model.numLayers();
  const std::vector<std::string> linears = model.linearNames();

  // Block-0 inputs of every calibration window.
  std::vector<at::Tensor> hidden;
  std::int64_t totalTokens = 0;
  if (haveCalib) {
    result.calibrationWindows =
        calibrationWindows(std::int64_t(calibTokens.size()), options.calibration);
    const std::int64_t vocab = model.config().vocabSize;
    for (const auto& w : result.calibrationWindows) {
      std::vector<std::int64_t> ids(calibTokens.begin() + w.start,
                                    calibTokens.begin() + w.start + w.length);
      for (std::int64_t id : ids)
        if (id >= vocab)
          throw Error("calibration token id " + std::to_string(id) +
                      " is outside the model's vocabulary of " + std::to_string(vocab));
      at::Tensor t = at::tensor(at::ArrayRef<std::int64_t>(ids), at::kLong).view({1, -1});
      hidden.push_back(model.embed(t).to(storage));
      totalTokens += w.length;
    }
  }
  const std::int64_t stride =
      std::max<std::int64_t>(1, (totalTokens + options.sampleTokens - 1) /
                                    std::max<std::int64_t>(1, options.sampleTokens));

  for (int layer = 0; layer < layers; ++layer) {
    report(options.progress, {"quantize", layer, layers, "block " + std::to_string(layer)});
    BlockStatsObserver stats(mo.method, stride, storage);
    std::vector<at::Tensor> fpOut;  // AWQ: the block's original outputs
    for (const auto& h : hidden) {
      at::Tensor out = model.blockForward(layer, h.to(device), &stats);
      if (mo.method == Method::AWQ) fpOut.push_back(out.to(storage));
    }

    std::vector<QuantizedWeight> pending;
    for (const auto& name : linears) {
      report(options.progress,
             {"quantize", layer, layers, "block " + std::to_string(layer) + " " + name});
      const auto tl = Clock::now();
      at::Tensor w = model.linearWeight(layer, name).detach().to(at::kFloat).clone();
      at::Tensor sample;
      if (haveCalib) sample = at::cat(stats[name].sample, 0).to(w.device());

      QuantizedWeight q;
      try {
        switch (mo.method) {
          case Method::GPTQ: {
            GptqOptions g;
            g.bits = mo.bits;
            g.groupSize = mo.groupSize;
            g.symmetric = mo.symmetric;
            g.percdamp = mo.percdamp;
            g.actOrder = mo.actOrder;
            g.staticGroups = mo.staticGroups;
            g.blockSize = mo.blockSize;
            q = gptqQuantize(w, stats[name].hessian->hessian(), g);
            break;
          }
          case Method::AWQ: {
            AwqOptions a;
            a.bits = mo.bits;
            a.groupSize = mo.groupSize;
            a.grid = mo.awqGrid;
            a.searchScale = name != "dense";
            a.clip = mo.awqClip && name != "query_key_value";
            const std::size_t lossWindows =
                options.awqLossWindows > 0
                    ? std::min<std::size_t>(hidden.size(), std::size_t(options.awqLossWindows))
                    : hidden.size();
            at::Tensor original = model.linearWeight(layer, name).detach().clone();
            AwqLossFn loss = [&](const at::Tensor& candidate) {
              model.setLinearWeight(layer, name, candidate);
              double sum = 0;
              for (std::size_t k = 0; k < lossWindows; ++k) {
                at::Tensor out = model.blockForward(layer, hidden[k].to(device));
                sum += (out.to(at::kFloat) - fpOut[k].to(device).to(at::kFloat))
                           .pow(2)
                           .mean()
                           .item<double>();
              }
              model.setLinearWeight(layer, name, original);
              report(options.progress, {"quantize", layer, layers,
                                        "block " + std::to_string(layer) + " " + name + " awq"});
              return sum / double(lossWindows);
            };
            const auto& st = stats[name];
            q = awqQuantize(w, sample, a, loss, st.absSum / double(st.tokens));
            break;
          }
          case Method::INT8:
            q = int8Quantize(w, haveCalib ? stats[name].absMax : at::Tensor(), mo.int8Threshold);
            break;
          default:
            q = quantizeMatrix(w, at::Tensor(), mo);
            break;
        }
      } catch (const Cancelled&) {
        throw;
      } catch (const Error& e) {
        // Name the tensor: "block 1 dense_h_to_4h (gpt_neox.layers.1.mlp.dense_h_to_4h.weight): ..."
        throw Error("block " + std::to_string(layer) + " " + name + " (" +
                    hfWeightName(model, layer, name) + "): " + e.what());
      }
      LayerRecord rec;
      rec.layer = layer;
      rec.linear = name;
      rec.rows = w.size(0);
      rec.cols = w.size(1);
      rec.relativeError = haveCalib ? relativeOutputError(w, q.dequantized, sample)
                                    : std::numeric_limits<double>::quiet_NaN();
      rec.damp = q.damp;
      rec.dampIncreases = q.dampIncreases;
      rec.seconds = secondsSince(tl);
      result.layers.push_back(rec);
      pending.push_back(std::move(q));
    }
    for (std::size_t k = 0; k < linears.size(); ++k) {
      model.setLinearWeight(layer, linears[k], pending[k].dequantized);
      if (options.keepQuantized)
        result.quantized.emplace_back(hfWeightName(model, layer, linears[k]),
                                      std::move(pending[k]));
    }
    pending.clear();
    fpOut.clear();
    if (layer + 1 < layers)
      for (auto& h : hidden) h = model.blockForward(layer, h.to(device)).to(storage);
  }
  report(options.progress, {"quantize", layers, layers, "done"});
  result.seconds = secondsSince(t0);
  return result;
}

}  // namespace qid::quant
