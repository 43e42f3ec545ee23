#include "analysis/weight_fluctuation.h"

#include <ATen/ATen.h>

#include <cmath>
#include <limits>
#include <regex>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "jobs/content_hash.h"
#include "model/causal_lm.h"
#include "quant/quant_method.h"
#include "train/checkpoint_meta.h"

namespace qid::analysis {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<float> absValues(const at::Tensor& t) {
  const at::Tensor a = t.detach().abs().to(at::kFloat).contiguous().cpu();
  const float* p = a.data_ptr<float>();
  return std::vector<float>(p, p + a.numel());
}

void append(std::vector<float>& into, const std::vector<float>& more) {
  into.insert(into.end(), more.begin(), more.end());
}

double safeRatio(double num, double den) { return den > 0 ? num / den : kNaN; }

BitPush bitPush(int bits, std::vector<float>& push, const BoxStats& movement) {
  BitPush b;
  b.bits = bits;
  b.push = boxStats(push);
  b.ratio = safeRatio(b.push.median, movement.median);
  b.ratioMean = safeRatio(b.push.mean, movement.mean);
  return b;
}

quant::MethodOptions methodOptions(const FluctuationOptions& o, int bits) {
  quant::MethodOptions m;
  m.method = quant::parseMethod(o.method);
  if (quant::needsCalibration(m.method) || m.method == quant::Method::INT8)
    throw Error("fluctuation: method '" + o.method +
                "' is not data-free; use rtn, nf4 or fp4 (the push of a data-free quantizer)");
  m.bits = bits;
  m.groupSize = o.groupSize;
  m.symmetric = o.symmetric;
  quant::validate(m);
  return m;
}

struct Point {
  fs::path dir;
  std::int64_t step = 0;
  double D = 0, lr = 0;
};

Point pointOf(const fs::path& dir) {
  Point p;
  p.dir = dir;
  if (auto meta = train::readCheckpointMeta(dir)) {
    p.step = meta->step;
    p.D = static_cast<double>(meta->tokensSeen);
    p.lr = meta->learningRate;
    return p;
  }
  static const std::regex re("step[-_]?([0-9]+)");
  std::smatch m;
  const std::string name = dir.filename().string();
  if (std::regex_search(name, m, re)) p.step = std::stoll(m[1].str());
  return p;
}

}  // namespace

FluctuationReport analyzeCheckpointSequence(const std::string& run, const std::vector<fs::path>& dirs,
                                            const FluctuationOptions& options) {
  if (options.bits.empty()) throw Error("fluctuation: no bit widths given");
  std::vector<quant::MethodOptions> methods;
  for (int b : options.bits) methods.push_back(methodOptions(options, b));
  if (dirs.size() < 2)
    throw Error("fluctuation: run " + run + " needs at least two checkpoints to compare (it has " +
                std::to_string(dirs.size()) + ")");
  FluctuationReport out;
  out.method = quant::methodName(methods.front().method);
  out.groupSize = options.groupSize;
  out.symmetric = options.symmetric;
  out.bits = options.bits;

  const std::string stage = "fluctuation " + run;
  const auto total = static_cast<std::int64_t>(dirs.size() - 1);
  report(options.progress, {stage, 0, total, "loading " + dirs.front().filename().string()});
  Point prevPoint = pointOf(dirs.front());
  std::unique_ptr<model::CausalLM> prev = model::loadCausalLM(dirs.front());
  std::string prevId = jobs::checkpointFingerprint(dirs.front(), options.fullHash);
  at::NoGradGuard noGrad;
  for (std::size_t i = 1; i < dirs.size(); ++i) {
    const Point point = pointOf(dirs[i]);
    std::unique_ptr<model::CausalLM> cur = model::loadCausalLM(dirs[i]);
    if (cur->config().numLayers != prev->config().numLayers || cur->config().hiddenSize != prev->config().hiddenSize)
      throw Error("fluctuation: " + dirs[i].string() + " has another architecture than " +
                  dirs[i - 1].string() + "; adjacent checkpoints must be of one model");
    CheckpointFluctuation c;
    c.run = run;
    c.dir = dirs[i];
    c.prevDir = dirs[i - 1];
    c.checkpointId = jobs::checkpointFingerprint(dirs[i], options.fullHash);
    c.prevCheckpointId = prevId;
    c.step = point.step;
    c.prevStep = prevPoint.step;
    c.stepsBetween = point.step - prevPoint.step;
    c.D = point.D;
    c.learningRate = point.lr;
    c.N = static_cast<double>(model::countParameters(cur->config()).nonEmbedding);

    std::vector<float> allMovement;
    std::vector<std::vector<float>> allPush(methods.size());
    for (int layer = 0; layer < cur->numLayers(); ++layer) {
      for (const auto& name : cur->linearNames()) {
        const at::Tensor w = cur->linearWeight(layer, name).to(at::kFloat);
        const at::Tensor wPrev = prev->linearWeight(layer, name).to(at::kFloat);
        std::vector<float> movement = absValues(w - wPrev);
        append(allMovement, movement);
        LinearFluctuation lf;
        lf.layer = layer;
        lf.linear = name;
        lf.movement = boxStats(movement);
        for (std::size_t b = 0; b < methods.size(); ++b) {
          const at::Tensor q = quant::quantizeMatrix(w, at::Tensor(), methods[b]).dequantized;
          std::vector<float> push = absValues(q.to(at::kFloat) - w);
          append(allPush[b], push);
          if (options.perLinear) lf.bits.push_back(bitPush(methods[b].bits, push, lf.movement));
        }
        if (options.perLinear) c.linears.push_back(std::move(lf));
      }
    }
    c.movement = boxStats(allMovement);
    for (std::size_t b = 0; b < methods.size(); ++b) c.bits.push_back(bitPush(methods[b].bits, allPush[b], c.movement));
    out.checkpoints.push_back(std::move(c));
    report(options.progress, {stage, static_cast<std::int64_t>(i), total, "step " + std::to_string(point.step)});
    prev = std::move(cur);
    prevPoint = point;
    prevId = out.checkpoints.back().checkpointId;
  }
  return out;
}

FluctuationReport analyzeFluctuation(const fs::path& dir, const FluctuationOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error("fluctuation: " + dir.string() + " is not a folder");
  std::vector<fs::path> runs;
  if (!train::listRunCheckpoints(dir).empty()) runs.push_back(dir);
  else runs = train::listSuiteRuns(dir);
  if (runs.empty())
    throw Error("fluctuation: " + dir.string() +
                " holds no micro-suite checkpoints (step*/ folders with qidlab_meta.json)");
  FluctuationReport all;
  for (const auto& runDir : runs) {
    std::vector<fs::path> dirs;
    for (const auto& c : train::listRunCheckpoints(runDir)) dirs.push_back(c.dir);
    const auto first = train::listRunCheckpoints(runDir).front().meta;
    FluctuationReport r = analyzeCheckpointSequence(first.run.empty() ? runDir.filename().string() : first.run,
                                                    dirs, options);
    all.method = r.method;
    all.groupSize = r.groupSize;
    all.symmetric = r.symmetric;
    all.bits = r.bits;
    for (auto& c : r.checkpoints) all.checkpoints.push_back(std::move(c));
  }
  return all;
}

namespace {
json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
}  // namespace

json toJson(const BitPush& b) {
  return {{"bits", b.bits}, {"push", toJson(b.push)}, {"ratio", number(b.ratio)}, {"ratio_mean", number(b.ratioMean)}};
}

json toJson(const CheckpointFluctuation& c) {
  json bits = json::array();
  for (const auto& b : c.bits) bits.push_back(toJson(b));
  json linears = json::array();
  for (const auto& l : c.linears) {
    json lb = json::array();
    for (const auto& b : l.bits) lb.push_back(toJson(b));
    linears.push_back({{"layer", l.layer}, {"linear", l.linear}, {"movement", toJson(l.movement)}, {"bits", lb}});
  }
  return {{"run", c.run},
          {"dir", c.dir.string()},
          {"prev_dir", c.prevDir.string()},
          {"checkpoint_id", c.checkpointId},
          {"prev_checkpoint_id", c.prevCheckpointId},
          {"step", c.step},
          {"prev_step", c.prevStep},
          {"steps_between", c.stepsBetween},
          {"D", c.D},
          {"lr", c.learningRate},
          {"N", c.N},
          {"movement", toJson(c.movement)},
          {"bits", bits},
          {"linears", linears}};
}

json toJson(const FluctuationReport& r) {
  json cks = json::array();
  for (const auto& c : r.checkpoints) cks.push_back(toJson(c));
  return {{"method", r.method},
          {"group_size", r.groupSize},
          {"symmetric", r.symmetric},
          {"bits", r.bits},
          {"ratio_definition", "median |Q(W_t) - W_t| / median |W_t - W_prev| over every block Linear"},
          {"checkpoints", cks}};
}

}  // namespace qid::analysis
