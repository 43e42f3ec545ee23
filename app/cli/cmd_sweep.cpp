// qidlab-cli sweep: run a sweep plan (checkpoints x methods x bits) into a
// project file, resumable, shardable, with one result file per cell.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "command_registry.h"
#include "common/error.h"
#include "hub/hub_config.h"
#include "jobs/fake_cell_runner.h"
#include "jobs/hub_models.h"
#include "jobs/quant_cell_runner.h"
#include "jobs/sweep.h"
#include "model/causal_lm.h"
#include "store/project.h"
#include "sweep_progress.h"

namespace {

using nlohmann::json;
using namespace qid::jobs;
namespace fs = std::filesystem;

struct Args {
  std::string plan, project, shard, resultsDir, devices = "cpu", runner = "quant", cache;
  int workers = 0;
  double maxCacheGb = 0;
  int prefetch = 2;
  std::int64_t batch = 0;
  bool calibOnCpu = false, dryRun = false, json = false, quiet = false;
};

// SIGINT/SIGTERM: the first asks to stop after the cells in flight, a second
// one ends the process at once (the cells in flight are re-run on resume).
std::atomic<int> g_signals{0};

void onSignal(int sig) {
  if (g_signals.fetch_add(1) == 0) {
    const char msg[] = "\nqidlab-cli sweep: stopping after the current cell (press Ctrl-C again to abort now)\n";
    ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)ignored;
    return;
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void installSignals() {
  struct sigaction sa {};
  sa.sa_handler = onSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

// Passes ΔqLoss of every finished cell to the progress lines.
class ReportingRunner : public CellRunner {
 public:
  ReportingRunner(CellRunner& inner, qid::cli::SweepProgress& progress) : inner_(inner), progress_(progress) {}
  std::string name() const override { return inner_.name(); }
  BaselineOutcome baseline(const CellSpec& c, const RunContext& ctx) override { return inner_.baseline(c, ctx); }
  QuantOutcome quantize(const CellSpec& c, const qid::store::Baseline& b, const RunContext& ctx) override {
    QuantOutcome q = inner_.quantize(c, b, ctx);
    progress_.setDelta(c.cellId, q.lossq - b.loss16);
    return q;
  }

 private:
  CellRunner& inner_;
  qid::cli::SweepProgress& progress_;
};

void parseDevices(const Args& a, SweepOptions& o) {
  o.cpuWorkers = 0;
  o.devices.clear();
  std::stringstream ss(a.devices);
  for (std::string d; std::getline(ss, d, ',');) {
    if (d == "cpu") {
      o.cpuWorkers = a.workers > 0 ? a.workers : 1;
    } else if (d.rfind("cuda", 0) == 0) {
      if (a.runner != "fake") qid::model::parseDevice(d);  // a clear error when CUDA is missing
      o.devices.push_back(d);
    } else {
      throw qid::Error("--device '" + d + "': expected cpu or cuda:N (comma-separated, e.g. cuda:0,cuda:1)");
    }
  }
  if (o.cpuWorkers == 0 && o.devices.empty()) throw qid::Error("--device: no device given");
  if (a.workers > 0 && o.cpuWorkers == 0)
    throw qid::Error("--workers sets the number of CPU workers: add cpu to --device (e.g. --device cpu,cuda:0)");
}

const char* stateName(qid::store::CellState s) { return qid::store::toString(s); }

void dryRun(const Args& a, const SweepPlan& plan, const ModelResolver& resolver) {
  std::vector<CellSpec> all = expandPlan(plan, resolver);
  resolveIdentities(all);
  std::vector<CellSpec> cells = a.shard.empty() ? all : selectShard(all, a.shard);
  std::map<std::string, std::string> states;
  if (!a.project.empty() && fs::exists(a.project)) {
    qid::store::Project project(a.project, qid::store::Project::Mode::OpenExisting);
    if (auto p = project.findPlan(plan.name))
      for (const auto& [id, s] : project.cellStates(p->id)) states[id] = stateName(s);
    for (const auto& c : cells)
      if (!states.count(c.cellId) && project.hasMeasurement(c.cellId)) states[c.cellId] = "done";
  }
  json out = json::array();
  int todo = 0;
  for (const auto& c : cells) {
    std::string state = states.count(c.cellId) ? states[c.cellId] : "pending";
    todo += state != "done";
    out.push_back({{"index", c.index}, {"cell_id", c.cellId}, {"label", Sweep::label(c)}, {"state", state},
                   {"model", c.model.path}, {"checkpoint_id", c.checkpointId}, {"method", c.method.method},
                   {"bits", c.method.bits}, {"group", c.method.group ? json(*c.method.group) : json(nullptr)}});
  }
  if (a.json) {
    std::cout << json{{"plan", plan.name}, {"cells", out}, {"to_run", todo}}.dump(2) << "\n";
    return;
  }
  std::printf("plan %s: %zu cells%s, %d to run\n", plan.name.c_str(), cells.size(),
              a.shard.empty() ? "" : (" in shard " + a.shard).c_str(), todo);
  for (const auto& j : out)
    std::printf("  %4d  %.12s  %-8s %s\n", j["index"].get<int>(), j["cell_id"].get<std::string>().c_str(),
                j["state"].get<std::string>().c_str(), j["label"].get<std::string>().c_str());
}

int run(const Args& a) {
  SweepPlan plan = SweepPlan::load(a.plan);
  std::unique_ptr<HubModels> hub;
  if (!plan.modelSelectors.empty()) {
    qid::hub::HubConfig config = qid::hub::configFromEnvironment();
    if (!a.cache.empty()) config.cacheDir = a.cache;
    hub = std::make_unique<HubModels>(config, plan.tokensPerStep);
  }
  ModelResolver resolver = hub ? hub->resolver() : ModelResolver{};
  if (a.dryRun) {
    dryRun(a, plan, resolver);
    return 0;
  }
  if (a.project.empty()) throw qid::Error("--project is required (the .qidlab file the results go into)");
  if (a.runner != "quant" && a.runner != "fake") throw qid::Error("--runner must be quant or fake");

  SweepOptions so;
  so.shard = a.shard;
  so.resultsDir = a.resultsDir;
  so.resolver = resolver;
  parseDevices(a, so);

  installSignals();
  qid::store::Project project(a.project);
  std::unique_ptr<CellRunner> inner;
  if (a.runner == "fake") inner = std::make_unique<FakeCellRunner>();
  else inner = std::make_unique<QuantCellRunner>(QuantCellRunnerOptions{a.batch, a.calibOnCpu});
  std::unique_ptr<PrefetchingRunner> prefetching;
  if (hub) prefetching = std::make_unique<PrefetchingRunner>(*inner, *hub);
  CellRunner& base = prefetching ? static_cast<CellRunner&>(*prefetching) : *inner;

  qid::cli::SweepProgress progress(a.quiet);
  ReportingRunner runner(base, progress);

  Sweep sweep(project, plan, runner, so);
  sweep.prepare();
  auto pending = sweep.pendingCells();
  progress.setTotal(int(pending.size()));
  if (hub) {
    qid::hub::PrefetchOptions po;
    po.depth = a.prefetch;
    po.maxCacheBytes = std::int64_t(a.maxCacheGb * 1e9);
    hub->startPrefetch(
        pending, [&](const CellSpec& c) { return !project.findBaseline(c.baselineKey); }, po,
        [&](const qid::Progress& p) { return progress.onDownload(p); });
  }
  if (!a.quiet)
    progress.note("sweep " + plan.name + ": " + std::to_string(sweep.cells().size()) + " cells" +
                   (a.shard.empty() ? "" : " in shard " + a.shard) + ", " + std::to_string(pending.size()) +
                   " to run, " + std::to_string(sweep.cells().size() - pending.size()) + " already done");

  SweepSummary sum = sweep.run([&](const JobEvent& e) { progress.onEvent(e); },
                               [] { return g_signals.load() > 0; });
  json hubStats = nullptr;
  if (hub) hubStats = {{"downloads", hub->downloads()}, {"evictions", hub->evictions()}};
  hub.reset();  // stops and joins the download thread before the display goes
  progress.finish();

  json failures = json::array();
  for (const auto& [label, error] : sum.failures) failures.push_back({{"cell", label}, {"error", error}});
  if (a.json) {
    std::cout << json{{"plan", plan.name},
                      {"project", a.project},
                      {"shard", a.shard},
                      {"results_dir", a.resultsDir},
                      {"cells", sum.cells},
                      {"already_done", sum.alreadyDone},
                      {"recovered", sum.recovered},
                      {"finished", sum.finished},
                      {"failed", sum.failed},
                      {"not_run", sum.notRun},
                      {"stopped", sum.stopped},
                      {"failures", failures},
                      {"hub", hubStats}}
                     .dump(2)
              << "\n";
  } else {
    std::printf("sweep %s: %d cells%s: %d done now, %d already done", plan.name.c_str(), sum.cells,
                a.shard.empty() ? "" : (" in shard " + a.shard).c_str(), sum.finished, sum.alreadyDone);
    if (sum.recovered) std::printf(", %d recovered from result files", sum.recovered);
    std::printf(", %d failed", sum.failed);
    if (sum.notRun) std::printf(", %d not run", sum.notRun);
    std::printf("\n");
    for (const auto& [label, error] : sum.failures) std::printf("  FAILED %s: %s\n", label.c_str(), error.c_str());
    if (!hubStats.is_null())
      std::printf("hub: %d checkpoints downloaded, %d evicted for the disk budget\n", hubStats["downloads"].get<int>(),
                  hubStats["evictions"].get<int>());
  }
  if (sum.stopped) {
    std::fprintf(stderr,
                 "qidlab-cli sweep: stopped; %d cells not run. Run the same command again to resume: finished "
                 "cells are kept and skipped.\n",
                 sum.notRun);
    return 130;
  }
  if (sum.failed)
    std::fprintf(stderr, "qidlab-cli sweep: %d cells failed (their errors are above and in the project); running "
                         "the command again retries them.\n", sum.failed);
  return sum.failed ? 1 : 0;
}

const bool registered = qid::cli::registerCommand(
    {"sweep", 30, [](CLI::App& app) {
       auto a = std::make_shared<Args>();
       auto* sub = app.add_subcommand(
           "sweep",
           "Run a sweep plan (checkpoints x methods x bits, see README 'Sweep plans') into a project file: "
           "each cell quantizes one checkpoint, scores it on the same windows as its 16-bit baseline (computed "
           "once per checkpoint) and is committed the moment it finishes. Cells already done are skipped, so "
           "running the command again resumes an interrupted sweep; Ctrl-C stops after the current cell. "
           "Failed cells are recorded and the sweep goes on; the exit code is 1 when any failed, 130 when "
           "stopped. Hub models (suite:/hub: selectors) are downloaded into the HF cache just ahead of use.");
       sub->add_option("--plan", a->plan, "The plan JSON file")->required()->check(CLI::ExistingFile);
       sub->add_option("--project", a->project, "The .qidlab project file (created if missing)");
       sub->add_option("--shard", a->shard,
                       "i/n: run only the cells whose index % n == i (numbered from 0, like Slurm array tasks)");
       sub->add_option("--results-dir", a->resultsDir,
                       "Also write one JSON result file per finished cell here (atomic rename), for "
                       "'qidlab-cli ingest' on another machine");
       sub->add_option("--workers", a->workers, "CPU workers (default 1)");
       sub->add_option("--device", a->devices,
                       "cpu, or GPUs as cuda:0,cuda:1 (one worker per GPU; add cpu for CPU workers too)")
           ->capture_default_str();
       sub->add_option("--batch", a->batch, "Evaluation windows per forward pass (default: chosen per device)");
       sub->add_flag("--calib-on-cpu", a->calibOnCpu, "Keep captured calibration activations in host memory");
       sub->add_option("--cache", a->cache, "Hugging Face hub cache folder for hub models (default: $HF_HUB_CACHE, "
                                            "$HF_HOME/hub or ~/.cache/huggingface/hub)");
       sub->add_option("--max-cache-gb", a->maxCacheGb,
                       "Disk budget for hub checkpoints this sweep downloads: finished ones are evicted "
                       "(GB, 0 = no limit; checkpoints cached before are never removed)");
       sub->add_option("--prefetch", a->prefetch, "Hub checkpoints downloaded ahead of the workers")
           ->capture_default_str();
       sub->add_flag("--dry-run", a->dryRun, "List the cells (with their state in the project) and run nothing");
       sub->add_flag("--json", a->json, "Machine-readable summary (or cell list) on stdout");
       sub->add_flag("-q,--quiet", a->quiet, "No per-cell lines or progress bar on stderr");
       sub->add_option("--runner", a->runner, "quant (the real one) or fake (tests)")->group("");
       sub->callback([a] {
         int code = run(*a);
         if (code != 0) throw CLI::RuntimeError(code);
       });
     }});

}  // namespace
