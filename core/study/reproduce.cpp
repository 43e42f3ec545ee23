#include "study/reproduce.h"

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>

#include "analysis/fluctuation_store.h"
#include "analysis/weight_fluctuation.h"
#include "common/error.h"
#include "laws/law.h"
#include "store/project.h"
#include "store/project_fit.h"
#include "study/chart_renderer.h"
#include "study/study_fits.h"
#include "study/study_report.h"
#include "study/suite_sweep.h"
#include "train/checkpoint_meta.h"

namespace qid::study {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

void writeText(const fs::path& file, const std::string& text) {
  const fs::path tmp = file.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << text;
    if (!f) throw Error("cannot write " + tmp.string());
  }
  fs::rename(tmp, file);
}

json readJson(const fs::path& file) {
  std::ifstream f(file);
  if (!f) return json::object();
  try {
    return json::parse(f);
  } catch (const json::exception&) {
    return json::object();
  }
}

class Phases {
 public:
  Phases(const ReproduceOptions& o, std::vector<PhaseTiming>& timings) : o_(o), timings_(timings) {}
  void start(const std::string& name) {
    name_ = name;
    t0_ = Clock::now();
    ++index_;
    if (o_.onPhase) o_.onPhase({index_, kCount, name, false, 0, ""});
  }
  void finish(const std::string& summary) {
    const double s = since(t0_);
    timings_.push_back({name_, s, summary});
    if (o_.onPhase) o_.onPhase({index_, kCount, name_, true, s, summary});
  }
  static constexpr int kCount = 6;

 private:
  const ReproduceOptions& o_;
  std::vector<PhaseTiming>& timings_;
  std::string name_;
  Clock::time_point t0_;
  int index_ = 0;
};

std::string fmt(double v, int digits = 3) {
  std::ostringstream s;
  s.precision(digits);
  s << v;
  return s.str();
}

}  // namespace

ReproduceResult reproduce(const ReproduceOptions& o) {
  if (!o.runner) throw Error("reproduce needs a cell runner (internal)");
  if (o.outDir.empty()) throw Error("reproduce needs an output folder (--out)");
  const auto started = Clock::now();
  const ReproduceSettings settings = parseReproduceSettings(o.plan.extra, "suite plan " + o.plan.name);
  ReproduceResult result;
  fs::create_directories(o.outDir);
  result.suiteDir = o.outDir / "suite";
  result.projectFile = o.projectFile.empty() ? o.outDir / "study.qidlab" : o.projectFile;
  result.lawsDir = o.outDir / "laws";
  result.chartsDir = o.outDir / "charts";
  result.reportMarkdown = o.outDir / "report.md";
  result.reportJson = o.outDir / "report.json";
  Phases phases(o, result.phases);

  // 1. Train.
  phases.start("train");
  train::TrainCallbacks cb;
  cb.progress = o.progress;
  train::SuiteResult suite = train::trainSuite(o.plan, o.inputs, result.suiteDir, cb);
  std::size_t checkpoints = 0;
  for (const auto& r : suite.runs) checkpoints += r.result.checkpoints.size();
  phases.finish(std::to_string(suite.runs.size()) + " runs, " + std::to_string(checkpoints) + " checkpoints, " +
                std::to_string(suite.trainTokens) + " training tokens");

  // 2. Sweep.
  phases.start("sweep");
  store::Project project(result.projectFile);
  jobs::SweepOptions so;
  so.resultsDir = o.outDir / "results";
  so.cpuWorkers = std::max(1, o.cpuWorkers);
  jobs::Sweep sweep(project, suiteSweepPlan(result.suiteDir, o.plan, settings), *o.runner, so);
  sweep.prepare();
  const auto total = static_cast<std::int64_t>(sweep.cells().size());
  std::int64_t finished = 0;
  std::int64_t doneBefore = total - static_cast<std::int64_t>(sweep.pendingCells().size());
  report(o.progress, {"sweep", doneBefore, total, ""});
  bool cancelled = false;
  auto listener = [&](const jobs::JobEvent& e) {
    if (o.onSweepEvent) o.onSweepEvent(e);
    if (e.type != jobs::JobEvent::Type::Finished && e.type != jobs::JobEvent::Type::Failed) return;
    ++finished;
    if (o.progress && !o.progress({"sweep", doneBefore + finished, total, e.label})) cancelled = true;
  };
  auto stop = [&] { return cancelled || (o.stopRequested && o.stopRequested()); };
  result.sweep = sweep.run(listener, stop);
  if (cancelled) throw Cancelled();
  std::set<std::string> cellIds;
  for (const auto& c : sweep.cells()) cellIds.insert(c.cellId);
  std::vector<store::Measurement> measurements;
  for (auto& m : project.measurements())
    if (cellIds.count(m.cellId)) measurements.push_back(std::move(m));
  result.complete = static_cast<std::int64_t>(measurements.size()) == total;
  phases.finish(std::to_string(measurements.size()) + " of " + std::to_string(total) + " cells measured (" +
                std::to_string(result.sweep.alreadyDone) + " already done, " + std::to_string(result.sweep.failed) +
                " failed)");

  // 3. Fluctuation (16-bit runs only, like the sweep).
  phases.start("fluctuation");
  analysis::FluctuationOptions fo;
  fo.method = settings.fluctuationMethod;
  fo.bits = settings.fluctuationBits;
  fo.groupSize = settings.fluctuationGroup;
  fo.progress = o.progress;
  analysis::FluctuationReport fluct;
  for (const auto& run : suite.runs) {
    if (run.bitnet || run.result.checkpoints.size() < 2) continue;
    std::vector<fs::path> dirs;
    for (const auto& c : run.result.checkpoints) dirs.push_back(c.dir);
    analysis::FluctuationReport r = analysis::analyzeCheckpointSequence(run.size.name, dirs, fo);
    fluct.method = r.method;
    fluct.groupSize = r.groupSize;
    fluct.symmetric = r.symmetric;
    fluct.bits = r.bits;
    for (auto& c : r.checkpoints) fluct.checkpoints.push_back(std::move(c));
  }
  analysis::FluctuationStore fstore(project);
  const int rows = fstore.put(fluct);
  std::vector<analysis::FluctuationPoint> joined;
  for (auto& p : fstore.join({}, fluct.method, fluct.groupSize))
    if (cellIds.count(p.measurement.cellId)) joined.push_back(std::move(p));
  phases.finish(std::to_string(fluct.checkpoints.size()) + " checkpoint pairs, " + std::to_string(rows) +
                " rows stored, " + std::to_string(joined.size()) + " measurements joined");

  // 4. Fit.
  phases.start("fit");
  StudyFitOptions fitOptions;
  fitOptions.method = settings.fitMethod;
  fitOptions.minStep = settings.fitMinStep;
  fitOptions.bootstrap = settings.bootstrap;
  fitOptions.seed = settings.bootstrapSeed;
  fitOptions.progress = o.progress;
  StudyFits fits = fitStudyLaws(measurements, fitOptions);
  fs::create_directories(result.lawsDir);
  // Each fitted law as a file and as a saved fit of the project, so that the
  // GUI opening study.qidlab later draws the study's laws, not only the paper's.
  auto saveFitted = [&](const LawFit& f, const std::string& file) {
    if (!f.fit || !f.error.empty()) return;
    laws::saveLaw(f.fit->law, (result.lawsDir / file).string());
    const nlohmann::json selection{{"source", "reproduce"},
                                   {"method", f.method},
                                   {"min_step", settings.fitMinStep},
                                   {"count", f.points.used}};
    project.saveFit(store::makeFitRecord(*f.fit, "study " + fs::path(file).stem().string(), selection));
  };
  for (const auto& f : fits.laws) saveFitted(f, f.key + ".json");
  for (const auto& f : fits.unifiedByMethod) saveFitted(f, "unified-" + f.method + ".json");
  const LawFit* unified = fits.find("unified");
  std::string fitSummary = "unified law not fitted";
  if (unified && unified->fit && unified->error.empty())
    fitSummary = "unified: beta " + fmt(unified->fit->law.param("beta").value_or(0)) + ", alpha " +
                 fmt(unified->fit->law.param("alpha").value_or(0)) + ", gamma " +
                 fmt(unified->fit->law.param("gamma").value_or(0));
  phases.finish(fitSummary);

  // 5. Charts.
  phases.start("charts");
  std::vector<ChartOutcome> charts;
  std::string chartsNote;
  const fs::path unifiedLaw = result.lawsDir / "unified.json";
  if (o.plotter.empty()) {
    chartsNote = "No charts: they are drawn by qidlab-plot, which comes with the GUI build (scripts/build "
                 "without --no-gui); rerun reproduce with it next to qidlab-cli.";
  } else if (!fs::exists(unifiedLaw)) {
    chartsNote = "No charts: the unified law could not be fitted, and the charts draw it.";
  } else {
    charts = renderCharts(o.plotter, result.projectFile, reproduceCharts(result.chartsDir, unifiedLaw), o.progress);
  }
  int chartsOk = 0;
  for (const auto& c : charts) chartsOk += c.ok;
  phases.finish(charts.empty() ? "none" : std::to_string(chartsOk) + " of " + std::to_string(charts.size()) + " rendered");

  // 6. Report.
  phases.start("report");
  StudyReportInput in;
  in.command = o.command;
  in.plan = o.plan;
  in.suite = suite;
  in.suiteInfo = readJson(result.suiteDir / "suite.json");
  in.settings = settings;
  in.sweepName = suiteSweepName(o.plan);
  in.sweepCells = static_cast<int>(total);
  in.sweep = result.sweep;
  in.measurements = measurements;
  in.fits = fits;
  in.fluctuation = fluct;
  in.fluctuationPoints = joined;
  in.charts = charts;
  in.chartsNote = chartsNote;
  for (const auto& p : result.phases) in.phases.emplace_back(p.name, p.seconds);
  in.outDir = o.outDir;
  in.projectFile = result.projectFile;
  in.lawsDir = result.lawsDir;
  const auto reportStarted = Clock::now();
  result.report = studyReportJson(in);
  const double reportSeconds = since(reportStarted);
  result.report["phases"].push_back({{"phase", "report"}, {"seconds", reportSeconds}});
  result.report["total_seconds"] = result.report["total_seconds"].get<double>() + reportSeconds;
  writeText(result.reportJson, result.report.dump(2) + "\n");
  writeText(result.reportMarkdown, studyReportMarkdown(result.report));
  phases.finish(result.reportMarkdown.string());
  result.seconds = since(started);
  return result;
}

}  // namespace qid::study
