// The real runner on two really trained tiny checkpoints: a sweep over RTN
// and GPTQ x bits 2/3/4 gives 12 measurements whose ΔqLoss falls with the
// bits, scored on exactly the baseline's windows, with one baseline per
// checkpoint and the text tokenized once.
#include "jobs/quant_cell_runner.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>

#include "eval/loss_eval.h"
#include "eval/recipe.h"
#include "eval/windows.h"
#include "jobs/sweep.h"
#include "jobs/token_cache.h"
#include "jobs/torch_errors.h"
#include "model/causal_lm.h"
#include "model/tokenizer.h"
#include "eval/text_source.h"
#include "store/project.h"
#include "support/trained_checkpoints.h"

using namespace qid::jobs;
using nlohmann::json;
using qid::store::Project;
namespace fs = std::filesystem;

namespace {

class CountingQuantRunner : public QuantCellRunner {
 public:
  std::atomic<int> baselines{0};
  BaselineOutcome baseline(const CellSpec& c, const RunContext& ctx) override {
    ++baselines;
    return QuantCellRunner::baseline(c, ctx);
  }
};

// Per-channel grids (no group): on Linears of 32-128 columns, groups of 32
// would leave 3 and 4 bits too close to zero to order.
json realPlan(const std::string& name = "real") {
  const auto& t = qid::test::trainedCheckpoints();
  return {{"name", name},
          {"models", {t.early.string(), t.late.string()}},
          {"methods", {{{"method", "rtn"}, {"bits", {2, 3, 4}}},
                       {{"method", "gptq"}, {"bits", {2, 3, 4}},
                        {"options", {{"damp", 0.1}, {"sym", true}}}}}},
          {"eval", {{"path", t.evalText.string()}, {"seqlen", 32}, {"windows", 0}}},
          {"calibration", {{"path", t.calibText.string()}, {"samples", 8}, {"seqlen", 32}, {"seed", 0}}}};
}

CellSpec oneCell(json plan) {
  auto cells = expandPlan(SweepPlan::parse(plan, fs::current_path()));
  resolveIdentities(cells);
  return cells.at(0);
}

}  // namespace

TEST(QuantCellRunner, RealSweepOrdersBitsAndPairsWindows) {
  const auto& t = qid::test::trainedCheckpoints();
  qid::test::TempDir tmp;
  Project project(tmp / "p.qidlab");
  CountingQuantRunner runner;
  int tokenizedBefore = TokenCache::shared().tokenizations();
  TokenCache::shared().clear();
  auto sum = Sweep(project, SweepPlan::parse(realPlan(), tmp.path()), runner, {}).run();
  EXPECT_EQ(sum.finished, 12);
  EXPECT_EQ(sum.failed, 0) << (sum.failures.empty() ? "" : sum.failures[0].second);
  EXPECT_EQ(runner.baselines.load(), 2);  // once per checkpoint
  // Eval and calibration text, each tokenized once for all 12 cells (both
  // checkpoints carry the same tokenizer.json).
  EXPECT_EQ(TokenCache::shared().tokenizations() - tokenizedBefore, 2);

  auto rows = project.measurements({}, false, true);
  ASSERT_EQ(rows.size(), 12u);
  std::map<std::string, std::map<int, double>> delta;  // checkpoint+method -> bits -> ΔqLoss
  for (const auto& m : rows) {
    delta[m.checkpointId + " " + m.method][m.bits] = m.delta;
    auto base = project.findBaseline(m.baselineKey);
    ASSERT_TRUE(base);
    // 6000 bytes, one token each, in windows of 32: 187 windows of 31 scored tokens.
    EXPECT_EQ(m.windows, 187);
    ASSERT_EQ(m.windowNllq.size(), 187u);
    EXPECT_EQ(base->windowNll.size(), 187u);
    EXPECT_EQ(m.tokenCount, 187 * 31);
    EXPECT_EQ(base->tokenCount, 187 * 31);
    EXPECT_NEAR(m.delta, *m.lossq - *m.loss16, 1e-12);
    EXPECT_DOUBLE_EQ(*m.loss16, base->loss16);
    EXPECT_EQ(m.device, "cpu");
    ASSERT_TRUE(m.N && m.Ntotal);
    EXPECT_GT(*m.Ntotal, *m.N);
    // Per-layer errors: 2 blocks x 4 Linears, measured on the calibration inputs.
    ASSERT_EQ(m.perLayer.size(), 8u) << m.perLayer.dump();
    for (const auto& l : m.perLayer) {
      ASSERT_TRUE(l["rel_error"].is_number()) << l.dump();
      EXPECT_GT(l["rel_error"].get<double>(), 0.0);
      EXPECT_TRUE(l.contains("damp_increases"));
    }
    EXPECT_TRUE(m.manifest["runner_details"].contains("damp_increases"));
    EXPECT_EQ(m.manifest["runner"], "quant");
  }
  ASSERT_EQ(delta.size(), 4u);
  for (const auto& [key, byBits] : delta) {
    EXPECT_GT(byBits.at(2), byBits.at(3)) << key;
    EXPECT_GT(byBits.at(3), byBits.at(4) - 1e-3) << key;  // 3 vs 4 bits: both may sit within the noise
    EXPECT_GT(byBits.at(4), -1e-3) << key;  // 4 bits: within noise of zero on a model this small
  }

  // The stored baseline is the unquantized model's loss on exactly these windows.
  auto model = qid::model::loadCausalLM(t.late);
  auto tok = qid::model::Tokenizer::fromFile(t.late / "tokenizer.json");
  auto ids = qid::eval::tokenizeFile(tok, t.evalText);
  qid::eval::WindowOptions wo;
  wo.seqlen = 32;
  auto windows = qid::eval::planWindows(std::int64_t(ids.size()), wo);
  auto ref = qid::eval::evaluateLoss(*model, ids, windows);
  bool checked = false;
  for (const auto& m : rows) {
    if (m.step != 192) continue;
    auto base = project.findBaseline(m.baselineKey);
    EXPECT_NEAR(base->loss16, ref.meanNll, 1e-6);  // other batching, other float sums
    for (size_t i = 0; i < windows.size(); ++i) EXPECT_NEAR(base->windowNll[i], ref.windowNll[i], 1e-5);
    checked = true;
  }
  EXPECT_TRUE(checked);
}

TEST(QuantCellRunner, BadSettingsGiveClearErrors) {
  QuantCellRunner runner;
  RunContext ctx;
  auto plan = realPlan();
  plan["methods"] = {{{"method", "rtn"}, {"bits", 4}}};

  auto recipe = plan;
  recipe["eval"]["recipe"] = "lm-eval-harness";
  try {
    runner.baseline(oneCell(recipe), ctx);
    FAIL() << "an unknown recipe was accepted";
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("recipe 'lm-eval-harness'"), std::string::npos) << e.what();
  }

  auto option = plan;
  option["methods"] = {{{"method", "gptq"}, {"bits", 4}, {"options", {{"dampp", 0.1}}}}};
  qid::store::Baseline none;
  try {
    runner.quantize(oneCell(option), none, ctx);
    FAIL() << "an unknown method option was accepted";
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown method option 'dampp'"), std::string::npos) << e.what();
  }

  auto noCalib = plan;
  noCalib.erase("calibration");
  noCalib["methods"] = {{{"method", "gptq"}, {"bits", 4}}};
  CellSpec gptq = oneCell(noCalib);
  auto base = runner.baseline(gptq, ctx);
  qid::store::Baseline stored;
  stored.loss16 = base.loss16;
  stored.tokenCount = base.tokenCount;
  stored.windowNll = base.windowNll;
  try {
    runner.quantize(gptq, stored, ctx);
    FAIL() << "gptq ran without calibration text";
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("needs calibration text"), std::string::npos) << e.what();
  }

  // A baseline over other windows is refused: the pairing would be wrong.
  CellSpec rtn = oneCell(plan);
  stored.windowNll.pop_back();
  try {
    runner.quantize(rtn, stored, ctx);
    FAIL() << "a baseline over other windows was accepted";
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("would not be paired"), std::string::npos) << e.what();
  }

  auto missing = plan;
  missing["models"] = {"/nonexistent/step5"};
  try {
    runner.baseline(oneCell(missing), ctx);
    FAIL();
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/step5"), std::string::npos) << e.what();
  }
}

TEST(QuantCellRunner, HonoursDtypeAndCancel) {
  QuantCellRunner runner;
  auto plan = realPlan();
  plan["methods"] = {{{"method", "rtn"}, {"bits", 4}}};
  plan["dtype"] = "bfloat16";
  CellSpec cell = oneCell(plan);
  RunContext ctx;
  auto base = runner.baseline(cell, ctx);
  qid::store::Baseline stored;
  stored.loss16 = base.loss16;
  stored.tokenCount = base.tokenCount;
  stored.windowNll = base.windowNll;
  auto q = runner.quantize(cell, stored, ctx);
  EXPECT_EQ(q.details["dtype"], "bf16");
  EXPECT_EQ(q.windowNllq.size(), base.windowNll.size());

  std::vector<std::string> stages;
  RunContext cancelling;
  cancelling.progress = [&](const qid::Progress& p) {
    stages.push_back(p.stage);
    return p.stage != "quantize";
  };
  EXPECT_THROW(runner.quantize(cell, stored, cancelling), qid::Cancelled);
  EXPECT_NE(std::find(stages.begin(), stages.end(), "load"), stages.end());
}

TEST(QuantCellRunner, TorchOutOfMemoryBecomesOutOfMemory) {
  auto translate = [](auto thrower) -> std::string {
    try {
      try {
        thrower();
      } catch (...) {
        rethrowTorchError("ckpt");
      }
    } catch (const OutOfMemory& e) {
      return std::string("oom: ") + e.what();
    } catch (const qid::Error& e) {
      return std::string("error: ") + e.what();
    }
    return "nothing";
  };
  EXPECT_EQ(translate([] { TORCH_CHECK(false, "CUDA out of memory. Tried to allocate 2.00 GiB"); }).rfind("oom: ckpt: CUDA out of memory", 0), 0u);
  EXPECT_EQ(translate([] { throw std::bad_alloc(); }).rfind("oom: ", 0), 0u);
  std::string other = translate([] { TORCH_CHECK(false, "shape mismatch"); });
  EXPECT_EQ(other.rfind("error: ckpt: libtorch failed: shape mismatch", 0), 0u) << other;
  EXPECT_EQ(other.find('\n'), std::string::npos);
  EXPECT_EQ(translate([] { throw qid::Error("plain"); }), "error: plain");
  EXPECT_TRUE(isOutOfMemoryMessage("DefaultCPUAllocator: can't allocate memory: you tried to allocate 1 bytes"));
  EXPECT_FALSE(isOutOfMemoryMessage("index out of range"));
}

// A plan's eval recipe decides the windows: llama.cpp's (BOS first, second
// half scored) and lm-eval's rolling windows give the same baseline as the
// eval CLI's path (loadEvalData + evaluateLoss), and a quantized cell is
// scored on those same windows.
TEST(QuantCellRunner, PlanRecipesChooseTheWindows) {
  const auto& t = qid::test::trainedCheckpoints();
  auto model = qid::model::loadCausalLM(t.late);
  auto tok = qid::model::Tokenizer::fromFile(t.late / "tokenizer.json");
  QuantCellRunner runner;
  RunContext ctx;
  std::map<std::string, std::int64_t> scored;
  for (std::string name : {"gptq-paper", "llamacpp", "lm-eval-rolling"}) {
    SCOPED_TRACE(name);
    auto plan = realPlan();
    plan["models"] = {t.late.string()};
    plan["methods"] = {{{"method", "rtn"}, {"bits", 3}}};
    plan["eval"]["recipe"] = name;
    CellSpec cell = oneCell(plan);
    BaselineOutcome b = runner.baseline(cell, ctx);

    qid::eval::EvalDataOptions o;
    o.seqlen = 32;
    // As qidlab-cli eval: llama.cpp's BOS is config.json's bos_token_id; lm-eval's
    // document prefix is the tokenizer's end-of-text token.
    if (name == "llamacpp") o.bosId = std::uint32_t(model->config().bosTokenId);
    auto data = qid::eval::loadEvalData(qid::eval::findRecipe(name), t.evalText, tok, o);
    auto ref = qid::eval::evaluateLoss(*model, data.tokens, data.windows);
    EXPECT_EQ(b.tokenCount, ref.tokenCount);
    EXPECT_EQ(b.windowNll.size(), data.windows.size());
    EXPECT_NEAR(b.loss16, ref.meanNll, 1e-5);
    scored[name] = b.tokenCount;

    qid::store::Baseline stored;
    stored.loss16 = b.loss16;
    stored.tokenCount = b.tokenCount;
    stored.windowNll = b.windowNll;
    QuantOutcome q = runner.quantize(cell, stored, ctx);
    EXPECT_GT(q.lossq, b.loss16 - 1e-3);
  }
  EXPECT_EQ(scored["gptq-paper"], 187 * 31);
  // llama.cpp scores targets 17..31 of each window of 32: 15 of them.
  EXPECT_EQ(scored["llamacpp"], 187 * 15);
  // Rolling windows score every token of the text once, the first included.
  EXPECT_GT(scored["lm-eval-rolling"], scored["gptq-paper"]);
}

// "kl": true in the plan's eval stores KL(P16 || Pq) with each quantized cell;
// the cells keep the ids they have without it.
TEST(QuantCellRunner, PlanKlIsStoredWithTheMeasurement) {
  const auto& t = qid::test::trainedCheckpoints();
  qid::test::TempDir tmp;
  Project project(tmp / "kl.qidlab");
  QuantCellRunner runner;
  auto plan = realPlan("kl");
  plan["models"] = {t.late.string()};
  plan["methods"] = {{{"method", "rtn"}, {"bits", {2, 4}}}};
  auto withKl = plan;
  withKl["eval"]["kl"] = true;
  auto sum = Sweep(project, SweepPlan::parse(withKl, tmp.path()), runner, {}).run();
  ASSERT_EQ(sum.finished, 2) << (sum.failures.empty() ? "" : sum.failures[0].second);
  std::map<int, double> kl;
  for (const auto& m : project.measurements()) {
    const auto& d = m.manifest["runner_details"];
    ASSERT_TRUE(d.contains("kl_divergence")) << d.dump();
    kl[m.bits] = d["kl_divergence"].get<double>();
    EXPECT_EQ(m.recipe, "gptq-paper@1");  // name and version
    EXPECT_EQ(project.findBaseline(m.baselineKey)->recipe, "gptq-paper@1");
    EXPECT_GT(d["top_token_agreement"].get<double>(), 0.0);
  }
  EXPECT_GT(kl.at(4), 0.0);
  EXPECT_GT(kl.at(2), kl.at(4));
  auto a = expandPlan(SweepPlan::parse(plan, tmp.path())), b = expandPlan(SweepPlan::parse(withKl, tmp.path()));
  resolveIdentities(a);
  resolveIdentities(b);
  EXPECT_EQ(a.at(0).cellId, b.at(0).cellId);
  withKl["eval"]["kl"] = "yes";
  EXPECT_THROW(SweepPlan::parse(withKl, tmp.path()), qid::Error);
}
