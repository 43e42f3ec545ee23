#pragma once
// `reproduce`: the whole study on a micro-suite, end to end, resumable.
//
//   1 train        the suite (train/suite.h), resuming an interrupted one
//   2 sweep        every 16-bit checkpoint × the preset's methods and bit
//                  widths into the project (jobs::Sweep; done cells are skipped)
//   3 fluctuation  |ΔW| against |Q(W) − W| between adjacent checkpoints,
//                  stored in the project beside the measurements
//   4 fit          the per-factor, unified, per-bit and Kumar laws with
//                  bootstrap CIs (study_fits.h), saved as law files
//   5 charts       through a qidlab-plot executable when one is given
//   6 report       OUT/report.md and OUT/report.json (study_report.h)
//
//   OUT/suite/          the trained suite (HF checkpoint folders)
//   OUT/study.qidlab    the project (unless another is given)
//   OUT/results/        one result file per finished cell (crash recovery)
//   OUT/laws/*.json     the fitted laws (loadable wherever a law is named)
//   OUT/charts/         PNG and SVG charts
//   OUT/report.md, OUT/report.json
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/progress.h"
#include "jobs/cell_runner.h"
#include "jobs/sweep.h"
#include "study/reproduce_settings.h"
#include "train/suite.h"

namespace qid::study {

struct PhaseEvent {
  int index = 0;        // 1-based
  int count = 0;
  std::string name;     // "train", "sweep", "fluctuation", "fit", "charts", "report"
  bool finished = false;
  double seconds = 0;   // when finished
  std::string summary;  // one line, when finished
};

struct ReproduceOptions {
  train::SuitePlan plan;
  train::SuiteInputs inputs;
  std::filesystem::path outDir;
  std::filesystem::path projectFile;   // empty: OUT/study.qidlab
  jobs::CellRunner* runner = nullptr;  // required: what computes each cell
  int cpuWorkers = 1;
  std::filesystem::path plotter;       // a qidlab-plot executable; empty: no charts
  std::string command;                 // the command line, for the report
  ProgressFn progress;                 // every phase's progress (stages "train <run>", "sweep", ...)
  std::function<void(const PhaseEvent&)> onPhase;
  // Every event of the sweep phase as it happens (a finished cell's
  // measurement is already committed): what a GUI needs to show results live.
  std::function<void(const jobs::JobEvent&)> onSweepEvent;
  std::function<bool()> stopRequested; // polled by the sweep: finish running cells, start no more
};

struct PhaseTiming {
  std::string name;
  double seconds = 0;
  std::string summary;
};

struct ReproduceResult {
  std::filesystem::path suiteDir, projectFile, reportMarkdown, reportJson, lawsDir, chartsDir;
  jobs::SweepSummary sweep;
  std::vector<PhaseTiming> phases;
  double seconds = 0;
  nlohmann::json report;  // what report.json holds
  bool complete = false;  // every cell done (a stopped sweep leaves a partial report)
};

// Throws qid::Error for bad input (no runner, an output folder holding a
// different suite, ...) and qid::Cancelled when the progress callback asks
// to stop during training or fitting; everything finished so far is kept
// and a rerun resumes.
ReproduceResult reproduce(const ReproduceOptions& options);

}  // namespace qid::study
