#include "jobs/fake_cell_runner.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "jobs/content_hash.h"

namespace qid::jobs {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct Facts {
  double N = 0, Ntotal = 0;
};

Facts readFacts(const CellSpec& cell) {
  fs::path cfg = fs::path(cell.model.path) / "config.json";
  std::ifstream in(cfg);
  if (!in) throw Error(cfg.string() + ": cannot read checkpoint config");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::parse_error& e) {
    throw Error(cfg.string() + ": corrupt checkpoint config (" + e.what() + ")");
  }
  auto num = [&](const char* k) {
    if (!j.contains(k) || !j[k].is_number()) throw Error(cfg.string() + ": missing '" + std::string(k) + "'");
    return j[k].get<double>();
  };
  double h = num("hidden_size"), layers = num("num_hidden_layers"), vocab = num("vocab_size");
  if (cell.contentHash.rfind("unreadable:", 0) == 0)
    throw Error(cell.model.path + ": no readable weight files in checkpoint folder");
  return {12 * layers * h * h, 12 * layers * h * h + 2 * vocab * h};
}

void sleepCell(const RunContext& ctx, const char* stage) {
  const char* env = std::getenv("QIDLAB_FAKE_CELL_MS");
  int ms = env ? std::atoi(env) : 0;
  for (int t = 0; t <= ms; t += 10) {
    report(ctx.progress, {stage, t, ms, ""});
    if (ms) std::this_thread::sleep_for(std::chrono::milliseconds(std::min(10, ms - t + 1)));
  }
}

std::uint64_t seedOf(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

int windowCount(const CellSpec& cell) { return cell.eval.windows > 0 ? cell.eval.windows : 8; }

}  // namespace

BaselineOutcome FakeCellRunner::baseline(const CellSpec& cell, const RunContext& ctx) {
  Facts f = readFacts(cell);
  sleepCell(ctx, "baseline");
  double D = cell.model.D.value_or(1e9);
  double loss16 = std::pow(std::pow(4.74e19 / f.N, 0.045 / 0.399) + 7.63e10 / D, 0.399);
  std::mt19937_64 rng(seedOf(cell.baselineKey));
  std::normal_distribution<double> noise(0.0, 0.1);
  BaselineOutcome b;
  int w = windowCount(cell);
  double sum = 0;
  for (int i = 0; i < w; ++i) {
    b.windowNll.push_back(float(loss16 + noise(rng)));
    sum += b.windowNll.back();
  }
  b.loss16 = sum / w;
  b.tokenCount = std::int64_t(w) * (cell.eval.seqlen - 1);
  b.N = f.N;
  b.Ntotal = f.Ntotal;
  return b;
}

QuantOutcome FakeCellRunner::quantize(const CellSpec& cell, const store::Baseline& baseline, const RunContext& ctx) {
  Facts f = readFacts(cell);
  if (const char* oom = std::getenv("QIDLAB_FAKE_OOM_BITS"); oom && std::atoi(oom) == cell.method.bits &&
                                                              ctx.batchDivisor == 1)
    throw OutOfMemory("fake runner: out of memory at full batch");
  sleepCell(ctx, "quantize");
  double D = cell.model.D.value_or(1e9);
  double factor = cell.method.method == "gptq" ? 0.8 : 1.0;
  double delta = factor * 0.017 * std::pow(D, 0.5251) / (std::pow(f.N, 0.2261) * std::pow(cell.method.bits, 5.4967));
  std::mt19937_64 rng(seedOf(cell.cellId));
  std::normal_distribution<double> noise(0.0, 0.01 * (1 + delta));
  QuantOutcome q;
  double sum = 0;
  for (float v : baseline.windowNll) {
    q.windowNllq.push_back(float(v + delta + noise(rng)));
    sum += q.windowNllq.back();
  }
  q.lossq = q.windowNllq.empty() ? baseline.loss16 + delta : sum / double(q.windowNllq.size());
  q.tokenCount = baseline.tokenCount;
  q.perLayer = json::array({{{"layer", "gpt_neox.layers.0.mlp.dense_4h_to_h"}, {"rel_error", delta / 10}}});
  q.details = {{"batch_divisor", ctx.batchDivisor}};
  q.N = f.N;
  q.Ntotal = f.Ntotal;
  return q;
}

}  // namespace qid::jobs
