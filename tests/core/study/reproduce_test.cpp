#include "study/reproduce.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>

#include "common/error.h"
#include "model/model_config.h"
#include "store/project.h"
#include "test_support.h"

using namespace qid::study;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A runner whose ΔqLoss follows a known law exactly: k·D^beta / (N^alpha·P^gamma),
// N read from the checkpoint's config. The fitted unified law must give these back.
class ExactLawRunner : public qid::jobs::CellRunner {
 public:
  ExactLawRunner(double beta, double alpha, double gamma) : beta_(beta), alpha_(alpha), gamma_(gamma) {}
  std::string name() const override { return "exact-law"; }
  qid::jobs::BaselineOutcome baseline(const qid::jobs::CellSpec& cell, const qid::jobs::RunContext&) override {
    qid::jobs::BaselineOutcome b;
    b.loss16 = 3.0;
    b.tokenCount = 100;
    b.N = nOf(cell);
    ++baselines;
    return b;
  }
  qid::jobs::QuantOutcome quantize(const qid::jobs::CellSpec& cell, const qid::store::Baseline& base,
                                   const qid::jobs::RunContext&) override {
    const double N = nOf(cell), D = cell.model.D.value_or(0);
    qid::jobs::QuantOutcome q;
    q.lossq = base.loss16 + (D > 0 ? 0.01 * std::pow(D, beta_) / (std::pow(N, alpha_) * std::pow(cell.method.bits, gamma_)) : 0.0);
    q.tokenCount = 100;
    q.N = N;
    ++cells;
    return q;
  }
  int baselines = 0, cells = 0;

 private:
  static double nOf(const qid::jobs::CellSpec& cell) {
    return static_cast<double>(qid::model::countParameters(qid::model::loadModelConfig(cell.model.path)).nonEmbedding);
  }
  double beta_, alpha_, gamma_;
};

qid::train::SuitePlan smallPlan() {
  qid::train::SuitePlan p;
  p.name = "unit";
  p.description = "test suite";
  p.sizes = {{"a", 1, 16, 1}, {"b", 1, 32, 2}, {"c", 2, 32, 2}};
  p.seqLen = 16;
  p.batchSize = 2;
  p.totalSteps = 8;
  p.checkpointInterval = 4;  // checkpoints 0, 1, 2, 4, 8
  p.evalWindows = 1;
  p.extra = json::parse(R"({
    "methods": [{"method": "rtn", "bits": [2, 3, 4]}, {"method": "gptq", "bits": [2, 3, 4]}],
    "eval": {"seqlen": 16, "windows": 4},
    "calibration": {"samples": 4},
    "fit": {"bootstrap": 100}
  })");
  return p;
}

struct Fixture {
  qid::test::TempDir dir;
  ReproduceOptions options;
  Fixture(qid::jobs::CellRunner& runner) {
    std::string text;
    for (int i = 0; i < 2000; ++i) text += "In the beginning was verse " + std::to_string(i % 89) + " of the book.\n";
    qid::test::writeFile(dir / "corpus.txt", text);
    options.plan = smallPlan();
    options.inputs.corpusFiles = {dir / "corpus.txt"};
    options.outDir = dir / "out";
    options.runner = &runner;
    options.command = "test";
  }
};

}  // namespace

TEST(Reproduce, RecoversTheLawTheCellsFollowAndWritesTheReport) {
  ExactLawRunner runner(0.5, 0.3, 2.0);
  Fixture fx(runner);
  std::vector<std::string> phases;
  fx.options.onPhase = [&](const PhaseEvent& e) {
    if (e.finished) phases.push_back(e.name);
  };
  // Every finished cell is announced during the sweep phase, already committed.
  std::set<std::string> announced;
  int notCommitted = 0;
  fx.options.onSweepEvent = [&](const qid::jobs::JobEvent& e) {
    if (e.type != qid::jobs::JobEvent::Type::Finished) return;
    announced.insert(e.task);
    qid::store::Project p(fx.dir / "out" / "study.qidlab");
    notCommitted += p.measurements(qid::store::MeasurementFilter::parse("cell_id=" + e.task)).size() != 1;
    EXPECT_EQ(phases, (std::vector<std::string>{"train"}));
  };
  const ReproduceResult r = reproduce(fx.options);
  EXPECT_EQ(phases, (std::vector<std::string>{"train", "sweep", "fluctuation", "fit", "charts", "report"}));
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(runner.cells, 3 * 5 * 6);  // sizes x checkpoints x (2 methods x 3 bits)
  EXPECT_EQ(announced.size(), std::size_t(3 * 5 * 6));
  EXPECT_EQ(notCommitted, 0);
  EXPECT_EQ(runner.baselines, 3 * 5);
  ASSERT_TRUE(fs::exists(r.reportJson));
  ASSERT_TRUE(fs::exists(r.reportMarkdown));
  const json j = json::parse(qid::test::readFile(r.reportJson));
  const json& u = j["laws"]["unified"];
  EXPECT_EQ(u["family"], "ouyang-unified");
  EXPECT_NEAR(u["params"]["beta"].get<double>(), 0.5, 1e-6);
  EXPECT_NEAR(u["params"]["alpha"].get<double>(), 0.3, 1e-6);
  EXPECT_NEAR(u["params"]["gamma"].get<double>(), 2.0, 1e-6);
  EXPECT_NEAR(u["params"]["k"].get<double>(), 0.01, 1e-6);
  ASSERT_TRUE(u["ci"]["beta"].is_array());
  EXPECT_NEAR(u["paper"]["params"]["beta"].get<double>(), 0.5251, 1e-9);
  // Step 0 (D = 0) is left out; 4 checkpoints x 3 sizes x 3 bits remain.
  EXPECT_EQ(u["fitted_on"]["points_used"], 36);
  EXPECT_EQ(u["fitted_on"]["dropped_early"], 9);
  EXPECT_NEAR(j["laws"]["tokens"]["params"]["beta"].get<double>(), 0.5, 1e-6);  // balanced design
  EXPECT_NEAR(j["laws"]["size"]["params"]["alpha"].get<double>(), 0.3, 1e-6);
  EXPECT_NEAR(j["laws"]["bits"]["params"]["gamma"].get<double>(), 2.0, 1e-6);
  EXPECT_NEAR(j["laws"]["perbit"]["params"]["beta_3"].get<double>(), 0.5, 1e-6);
  EXPECT_TRUE(j["laws"]["kumar2024"]["params"]["gD"].is_number());
  EXPECT_NEAR(j["unified_by_method"]["rtn"]["params"]["beta"].get<double>(), 0.5, 1e-6);
  EXPECT_EQ(j["tokens_slices"].size(), 9u);
  EXPECT_TRUE(j["trend"]["tokens"]["seen"].get<bool>());
  EXPECT_TRUE(j["trend"]["size"]["seen"].get<bool>());
  // The suite: D/N and a regime per size; the smallest has seen the most tokens per parameter.
  ASSERT_EQ(j["suite"]["sizes"].size(), 3u);
  EXPECT_GT(j["suite"]["sizes"][0]["tokens_per_param"].get<double>(), j["suite"]["sizes"][2]["tokens_per_param"].get<double>());
  // Fluctuation: every pair of adjacent checkpoints, joined to the measurements.
  EXPECT_EQ(j["fluctuation"]["checkpoints"].size(), 3u * 4u);
  EXPECT_FALSE(j["fluctuation"]["correlation_with_delta_q_loss"].empty());
  EXPECT_EQ(j["measurements"].size(), 90u);
  EXPECT_EQ(j["charts"]["files"].size(), 0u);
  EXPECT_NE(j["charts"]["note"].get<std::string>().find("GUI build"), std::string::npos);
  std::vector<std::string> timed;
  for (const auto& p : j["phases"]) timed.push_back(p["phase"]);
  EXPECT_EQ(timed, phases);
  EXPECT_GT(j["total_seconds"].get<double>(), 0);
  const std::string md = qid::test::readFile(r.reportMarkdown);
  EXPECT_NE(md.find("ΔqLoss rises with training tokens"), std::string::npos) << md;
  EXPECT_NE(md.find("| unified |"), std::string::npos);
  EXPECT_NE(md.find("## Timing"), std::string::npos);
  EXPECT_TRUE(fs::exists(r.lawsDir / "unified.json"));
  EXPECT_TRUE(fs::exists(r.suiteDir / "calib.txt"));
  // The laws are saved fits of the project too (the GUI draws them from there).
  qid::store::Project project(r.projectFile);
  bool unifiedSaved = false;
  for (const auto& f : project.fits()) {
    if (f.name != "study unified") continue;
    unifiedSaved = true;
    EXPECT_EQ(f.law, "ouyang-unified");
    EXPECT_NEAR(f.params["beta"].get<double>(), 0.5, 1e-6);
    EXPECT_EQ(f.selection["count"], 36);
  }
  EXPECT_TRUE(unifiedSaved);
}

TEST(Reproduce, RerunSkipsDoneWork) {
  ExactLawRunner runner(0.5, 0.3, 2.0);
  Fixture fx(runner);
  reproduce(fx.options);
  const int cells = runner.cells;
  const ReproduceResult again = reproduce(fx.options);
  EXPECT_EQ(runner.cells, cells);  // nothing recomputed
  EXPECT_EQ(again.sweep.alreadyDone, cells);
  EXPECT_EQ(again.sweep.finished, 0);
  EXPECT_TRUE(again.complete);
  EXPECT_EQ(again.report["suite"]["sizes"].size(), 3u);
  EXPECT_NEAR(again.report["laws"]["unified"]["params"]["beta"].get<double>(), 0.5, 1e-6);
}

TEST(Reproduce, AMissingTrendIsReportedHonestly) {
  ExactLawRunner runner(-0.3, -0.2, 2.0);  // QiD falls with tokens and rises with size
  Fixture fx(runner);
  const ReproduceResult r = reproduce(fx.options);
  EXPECT_FALSE(r.report["trend"]["tokens"]["seen"].get<bool>());
  EXPECT_FALSE(r.report["trend"]["size"]["seen"].get<bool>());
  EXPECT_NEAR(r.report["trend"]["tokens"]["value"].get<double>(), -0.3, 1e-6);
  const std::string md = qid::test::readFile(r.reportMarkdown);
  EXPECT_NE(md.find("did NOT appear"), std::string::npos) << md;
}

TEST(Reproduce, ChartsGoThroughThePlotter) {
  ExactLawRunner runner(0.5, 0.3, 2.0);
  Fixture fx(runner);
  // A stand-in plotter: writes the --out file and records its arguments.
  const fs::path plotter = fx.dir / "qidlab-plot";
  qid::test::writeFile(plotter,
                       "#!/bin/sh\nwhile [ $# -gt 0 ]; do case \"$1\" in --out) out=\"$2\";; --chart) c=\"$2\";; esac; "
                       "shift; done\n[ \"$c\" = map ] && exit 3\necho chart > \"$out\"\n");
  fs::permissions(plotter, fs::perms::owner_all);
  fx.options.plotter = plotter;
  const ReproduceResult r = reproduce(fx.options);
  const json& files = r.report["charts"]["files"];
  ASSERT_EQ(files.size(), 16u);  // eight charts, PNG and SVG
  int ok = 0;
  for (const auto& f : files) {
    ok += f["ok"].get<bool>();
    if (f["chart"] == "map") {
      EXPECT_NE(f["error"].get<std::string>().find("status 3"), std::string::npos);
    }
  }
  EXPECT_EQ(ok, 14);
  EXPECT_TRUE(fs::exists(r.chartsDir / "tokens.png"));
  EXPECT_TRUE(fs::exists(r.chartsDir / "predicted.svg"));
  EXPECT_TRUE(fs::exists(r.chartsDir / "fluctuation.png"));
  EXPECT_TRUE(fs::exists(r.chartsDir / "fluctuation_ratio.svg"));
}

TEST(Reproduce, BadInputIsAnError) {
  ExactLawRunner runner(0.5, 0.3, 2.0);
  Fixture fx(runner);
  ReproduceOptions o = fx.options;
  o.runner = nullptr;
  EXPECT_THROW(reproduce(o), qid::Error);
  o = fx.options;
  o.plan.extra = json::parse(R"({"methods": [{"method": "rtn"}]})");
  EXPECT_THROW(reproduce(o), qid::Error);
  o = fx.options;
  o.plan.extra = json::parse(R"({"fit": {"method": "awq"}, "methods": [{"method": "rtn", "bits": [2]}]})");
  EXPECT_THROW(reproduce(o), qid::Error);
}
