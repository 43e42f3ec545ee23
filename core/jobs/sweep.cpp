#include "jobs/sweep.h"

#include <chrono>
#include <cmath>
#include <ctime>
#include <set>
#include <thread>

#include "common/error.h"
#include "common/version.h"
#include "jobs/manifest.h"
#include "store/paired_bootstrap.h"
#include "store/project.h"
#include "store/result_file.h"

namespace qid::jobs {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string nowUtc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string shortText(const json& j) {
  std::string s = j.dump();
  return s.size() > 120 ? s.substr(0, 117) + "..." : s;
}

std::string shortHash(const std::string& h) { return h.size() > 20 ? h.substr(0, 20) + "..." : h; }

// Retries fn with the batch divided by 2, 4, ... on OutOfMemory.
template <class F>
auto withOomRetry(int maxRetries, RunContext rc, F&& fn) {
  for (int attempt = 0;; ++attempt) {
    try {
      return fn(rc);
    } catch (const OutOfMemory& e) {
      if (attempt >= maxRetries)
        throw Error(std::string("out of memory even with the batch divided by ") + std::to_string(rc.batchDivisor) +
                    ": " + e.what());
      rc.batchDivisor *= 2;
    }
  }
}

}  // namespace

Sweep::Sweep(store::Project& project, SweepPlan plan, CellRunner& runner, SweepOptions options)
    : project_(project), plan_(std::move(plan)), runner_(runner), options_(std::move(options)) {}

Sweep::~Sweep() = default;

std::string Sweep::label(const CellSpec& c) {
  std::string s = c.model.name;
  if (!c.model.revision.empty()) s += "@" + c.model.revision;
  else if (c.model.step) s += "@step" + std::to_string(*c.model.step);
  s += " " + c.method.method + " " + std::to_string(c.method.bits) + "b";
  if (c.method.group) s += " g" + std::to_string(*c.method.group);
  return s;
}

json Sweep::runDefinition() const {
  json settings = plan_.source;
  settings.erase("name");
  settings.erase("models");
  json methods = settings.contains("methods") ? settings["methods"] : json::array();
  settings.erase("methods");
  json models = json::array();
  std::set<std::string> seen;
  json data = json::object();
  for (const auto& c : cells_) {
    std::string src = c.model.hubRepo.empty() ? c.model.path : c.model.hubRepo + "@" + c.model.revision;
    if (seen.insert(src).second)
      models.push_back({{"source", src}, {"checkpoint_id", c.checkpointId}, {"step", c.model.step ? json(*c.model.step) : json(nullptr)}});
    data["eval"] = {{"path", c.eval.path}, {"sha256", c.evalHash}};
    if (!c.calib.path.empty()) data["calibration"] = {{"path", c.calib.path}, {"sha256", c.calibHash}};
  }
  return {{"settings", settings}, {"methods", methods}, {"models", models}, {"data", data}};
}

std::string describeRunDifferences(const json& stored, const json& current) {
  std::vector<std::string> diffs;
  json s0 = stored.value("settings", json::object()), s1 = current.value("settings", json::object());
  std::set<std::string> keys;
  for (auto it = s0.begin(); it != s0.end(); ++it) keys.insert(it.key());
  for (auto it = s1.begin(); it != s1.end(); ++it) keys.insert(it.key());
  for (const auto& k : keys) {
    json a = s0.value(k, json(nullptr)), b = s1.value(k, json(nullptr));
    if (a != b) diffs.push_back("plan setting '" + k + "' changed from " + shortText(a) + " to " + shortText(b));
  }
  for (const auto& m : stored.value("methods", json::array())) {
    bool still = false;
    for (const auto& n : current.value("methods", json::array())) still = still || n == m;
    if (!still) diffs.push_back("method entry " + shortText(m) + " was changed or removed");
  }
  std::map<std::string, json> before;
  for (const auto& m : stored.value("models", json::array())) before[m.value("source", "")] = m;
  for (const auto& m : current.value("models", json::array())) {
    auto it = before.find(m.value("source", ""));
    if (it == before.end()) continue;  // a model added to the plan: fine
    if (it->second.value("checkpoint_id", "") != m.value("checkpoint_id", ""))
      diffs.push_back("checkpoint " + it->first + " changed: its identity was " +
                      shortHash(it->second.value("checkpoint_id", "")) + ", now " +
                      shortHash(m.value("checkpoint_id", "")));
    if (it->second.value("step", json(nullptr)) != m.value("step", json(nullptr)))
      diffs.push_back("checkpoint " + it->first + " claimed step changed from " +
                      it->second.value("step", json(nullptr)).dump() + " to " + m.value("step", json(nullptr)).dump());
  }
  json d0 = stored.value("data", json::object()), d1 = current.value("data", json::object());
  for (const char* k : {"eval", "calibration"}) {
    json a = d0.value(k, json(nullptr)), b = d1.value(k, json(nullptr));
    if (a.is_null() && b.is_null()) continue;
    std::string ha = a.is_null() ? "none" : a.value("sha256", ""), hb = b.is_null() ? "none" : b.value("sha256", "");
    if (ha != hb)
      diffs.push_back(std::string(k) + " data changed content (" + (b.is_null() ? a.value("path", "") : b.value("path", "")) +
                      ": sha256 " + shortHash(ha) + " -> " + shortHash(hb) + ")");
  }
  std::string out;
  for (const auto& d : diffs) out += (out.empty() ? "" : "; ") + d;
  return out;
}

void Sweep::prepare() {
  if (prepared_) return;
  std::vector<CellSpec> all = expandPlan(plan_, options_.resolver);
  resolveIdentities(all, options_.fullHash);
  cells_ = all;
  json run = runDefinition();
  if (auto stored = project_.findPlan(plan_.name)) {
    std::string diff = describeRunDifferences(stored->run, run);
    if (!diff.empty())
      throw Error(project_.path().string() + " already holds a run of plan '" + plan_.name +
                  "' that differs from this one, so resuming would mix two runs: " + diff +
                  ". Give the plan a new name to start a separate run.");
    planId_ = stored->id;
    project_.updatePlanRun(planId_, run);
  } else {
    planId_ = project_.createPlan(plan_.name, plan_.source, run);
  }
  std::vector<store::CellRecord> records;
  for (const auto& c : all) {
    store::CellRecord r;
    r.cellId = c.cellId;
    r.planId = planId_;
    r.index = c.index;
    r.spec = c.toJson();
    records.push_back(std::move(r));
  }
  project_.registerCells(planId_, records);
  if (!options_.shard.empty()) cells_ = selectShard(all, options_.shard);
  // Result files written before a crash, or by an earlier run without this project.
  if (!options_.resultsDir.empty() && fs::is_directory(options_.resultsDir)) {
    for (const auto& c : cells_) {
      fs::path f = store::resultFilePath(options_.resultsDir, c.cellId);
      if (!project_.hasMeasurement(c.cellId) && fs::exists(f)) {
        store::ingestResult(project_, store::readResultFile(f), "local");
        ++recovered_;
      }
    }
  }
  auto states = project_.cellStates(planId_);
  for (const auto& c : cells_) alreadyDone_ += cellDone(states, c.cellId);
  alreadyDone_ -= recovered_;
  prepared_ = true;
}

bool Sweep::cellDone(std::map<std::string, store::CellState>& states, const std::string& cellId) const {
  // A cell another plan registered first (the same checkpoint, method and
  // data) is listed under that plan: its measurement says it is done.
  return states[cellId] == store::CellState::Done || project_.hasMeasurement(cellId);
}

std::vector<CellSpec> Sweep::pendingCells() const {
  std::vector<CellSpec> out;
  auto states = project_.cellStates(planId_);
  for (const auto& c : cells_)
    if (!cellDone(states, c.cellId)) out.push_back(c);
  return out;
}

store::Baseline Sweep::baselineFor(const CellSpec& c, const RunContext& rc) {
  std::shared_ptr<std::mutex> keyLock;
  {
    std::lock_guard lock(baselineMutex_);
    auto& slot = baselineLocks_[c.baselineKey];
    if (!slot) slot = std::make_shared<std::mutex>();
    keyLock = slot;
  }
  std::lock_guard lock(*keyLock);  // one computation per checkpoint, even with several workers
  if (auto cached = project_.findBaseline(c.baselineKey)) return *cached;
  auto out = withOomRetry(options_.maxOomRetries, rc, [&](const RunContext& r) { return runner_.baseline(c, r); });
  if (!std::isfinite(out.loss16)) throw Error(label(c) + ": the 16-bit loss is not finite (" + std::to_string(out.loss16) + ")");
  store::Baseline b;
  b.key = c.baselineKey;
  b.checkpointId = c.checkpointId;
  b.datasetHash = c.evalHash;
  b.recipe = c.eval.recipeId.empty() ? c.eval.recipe : c.eval.recipeId;
  b.seqlen = c.eval.seqlen;
  b.windows = c.eval.windows;
  b.loss16 = out.loss16;
  b.stderr_ = out.stderr_;
  b.tokenCount = out.tokenCount;
  b.windowNll = out.windowNll;
  b.wallTimeS = out.wallTimeS;
  b.manifest = buildManifest(c, rc.device, runner_.name(), options_.bootstrapSeed);
  if (out.N) b.manifest["N"] = *out.N;
  if (out.Ntotal) b.manifest["N_total"] = *out.Ntotal;
  project_.putBaseline(b);
  return b;
}

void Sweep::runCell(const CellSpec& c, TaskContext& ctx) {
  project_.setCellState(c.cellId, store::CellState::Running);
  try {
    RunContext rc{ctx.device, 1, ctx.progress};
    auto t0 = std::chrono::steady_clock::now();
    store::Baseline base = baselineFor(c, rc);
    QuantOutcome q = withOomRetry(options_.maxOomRetries, rc,
                                  [&](const RunContext& r) { return runner_.quantize(c, base, r); });
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!std::isfinite(q.lossq)) throw Error(label(c) + ": the quantized loss is not finite (" + std::to_string(q.lossq) + ")");

    store::Measurement m;
    m.cellId = c.cellId;
    m.modelId = c.model.name;
    m.revision = c.model.revision;
    m.checkpointId = c.checkpointId;
    m.N = q.N ? q.N : (base.manifest.contains("N") ? std::optional<double>(base.manifest["N"].get<double>()) : std::nullopt);
    m.Ntotal = q.Ntotal ? q.Ntotal
                        : (base.manifest.contains("N_total") ? std::optional<double>(base.manifest["N_total"].get<double>())
                                                             : std::nullopt);
    m.D = c.model.D;
    m.step = c.model.step;
    m.lr = c.model.lr;
    m.method = c.method.method;
    m.bits = c.method.bits;
    m.groupSize = c.method.group;
    m.methodOptions = c.method.options;
    m.evalDataset = c.eval.path;
    m.evalHash = c.evalHash;
    m.recipe = c.eval.recipeId.empty() ? c.eval.recipe : c.eval.recipeId;
    m.seqlen = c.eval.seqlen;
    m.windows = std::int64_t(!q.windowNllq.empty() ? q.windowNllq.size() : size_t(c.eval.windows));
    m.tokenCount = q.tokenCount ? q.tokenCount : base.tokenCount;
    m.loss16 = base.loss16;
    m.lossq = q.lossq;
    m.delta = q.lossq - base.loss16;
    m.stderr_ = q.stderr_;
    if (!q.windowNllq.empty() && q.windowNllq.size() == base.windowNll.size()) {
      auto ci = store::pairedBootstrap(base.windowNll, q.windowNllq, options_.bootstrapResamples, options_.bootstrapSeed);
      m.ciLo = ci.lo;
      m.ciHi = ci.hi;
      if (!m.stderr_) m.stderr_ = ci.stderr_;
    }
    m.device = ctx.device;
    m.wallTimeS = wall;
    m.toolVersion = toolVersion();
    m.timestamp = nowUtc();
    m.perLayer = q.perLayer;
    m.manifest = buildManifest(c, ctx.device, runner_.name(), options_.bootstrapSeed);
    if (!q.details.empty()) m.manifest["runner_details"] = q.details;
    m.manifest["baseline_key"] = c.baselineKey;
    m.baselineKey = c.baselineKey;
    m.windowNllq = q.windowNllq;

    store::ModelRecord model;
    model.checkpointId = c.checkpointId;
    model.idKind = c.idKind;
    model.contentHash = c.contentHash;
    model.name = c.model.name;
    model.source = c.model.hubRepo.empty() ? c.model.path : c.model.hubRepo + "@" + c.model.revision;
    model.revision = c.model.revision;
    model.N = m.N;
    model.Ntotal = m.Ntotal;
    model.D = c.model.D;
    model.step = c.model.step;
    model.lr = c.model.lr;

    // File first, then the project: a crash between the two leaves a file that
    // the next run ingests instead of recomputing.
    if (!options_.resultsDir.empty())
      store::writeResultFile(options_.resultsDir, {plan_.name, c.toJson(), model, base, m});
    project_.commitCell(m, model, std::nullopt);
  } catch (const Cancelled&) {
    project_.setCellState(c.cellId, store::CellState::Pending);
    throw;
  } catch (const std::exception& e) {
    project_.setCellState(c.cellId, store::CellState::Failed, e.what());
    throw;
  }
}

SweepSummary Sweep::run(const JobEngine::Listener& listener, const std::function<bool()>& stopRequested) {
  prepare();
  SweepSummary sum;
  sum.cells = int(cells_.size());
  sum.alreadyDone = alreadyDone_;
  sum.recovered = recovered_;
  auto pending = pendingCells();
  if (pending.empty()) {
    project_.refreshDuplicates();
    return sum;
  }
  std::mutex sumMutex;
  std::map<std::string, std::string> labels;
  for (const auto& c : pending) labels[c.cellId] = label(c);
  auto onEvent = [&](const JobEvent& e) {
    if (e.type == JobEvent::Type::Finished || e.type == JobEvent::Type::Failed) {
      std::lock_guard lock(sumMutex);
      if (e.type == JobEvent::Type::Finished) ++sum.finished;
      else {
        ++sum.failed;
        sum.failures.emplace_back(labels[e.task], e.error);
      }
    }
    if (listener) listener(e);
  };
  JobEngine engine({options_.cpuWorkers, options_.devices}, onEvent);
  std::vector<Task> tasks;
  for (const auto& c : pending)
    tasks.push_back({c.cellId, label(c), [this, c](TaskContext& ctx) { runCell(c, ctx); }});
  JobId job = 0;
  {
    // The engine runs this sweep alone, so pausing all of it pauses the
    // sweep, and a pause asked for before run() holds even the first cell.
    std::lock_guard lock(controlMutex_);
    engine_ = &engine;
    if (pauseRequested_) engine.pauseAll();
    job = engine.submit(plan_.name, std::move(tasks));
    job_ = job;
    if (cancelRequested_) engine.cancel(job);
  }
  for (;;) {
    auto st = engine.status(job);
    if (st.done()) break;
    if (stopRequested && stopRequested() && !engine.stopping()) engine.stopAfterCurrent();
    if (engine.stopping() && st.running == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  {
    std::lock_guard lock(controlMutex_);
    engine_ = nullptr;
    const JobStatus st = engine.status(job);
    sum.stopped = engine.stopping() || cancelRequested_;
    sum.notRun = st.queued + st.cancelledTasks;
  }
  engine.cancel(job);
  project_.refreshDuplicates();
  return sum;
}

void Sweep::pause() {
  std::lock_guard lock(controlMutex_);
  pauseRequested_ = true;
  if (engine_) engine_->pauseAll();
}

void Sweep::resume() {
  std::lock_guard lock(controlMutex_);
  pauseRequested_ = false;
  if (engine_) engine_->resumeAll();
}

void Sweep::cancel() {
  std::lock_guard lock(controlMutex_);
  cancelRequested_ = true;
  if (engine_) engine_->cancel(job_);
}

bool Sweep::paused() const {
  std::lock_guard lock(controlMutex_);
  return pauseRequested_;
}

}  // namespace qid::jobs
