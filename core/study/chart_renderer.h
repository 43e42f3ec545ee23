#pragma once
// Charts for a reproduce report, drawn by the GUI build's `qidlab-plot`
// executable (core has no Qt; it only runs the program):
//   qidlab-plot --project P --chart NAME --law LAW --out FILE.png|svg
// Each chart is rendered as PNG and SVG. Output goes to OUT/charts/, and the
// program's messages to OUT/charts/qidlab-plot.log.
#include <filesystem>
#include <string>
#include <vector>

#include "common/progress.h"

namespace qid::study {

struct ChartJob {
  std::string chart;  // tokens | size | bits | lossq | map | predicted | fluctuation | fluctuation_ratio
  std::filesystem::path law;
  std::filesystem::path out;
};

struct ChartOutcome {
  ChartJob job;
  bool ok = false;
  std::string error;
};

// The charts reproduce draws: the six law charts, each with the unified law,
// and the two weight-fluctuation charts (Figure 12; they draw no law).
std::vector<ChartJob> reproduceCharts(const std::filesystem::path& chartsDir, const std::filesystem::path& lawFile);

// Runs the plotter once per job (no shell). A job fails on its own (exit
// code or missing output file) and the others go on. Progress stage "charts".
std::vector<ChartOutcome> renderCharts(const std::filesystem::path& plotter, const std::filesystem::path& project,
                                       const std::vector<ChartJob>& jobs, const ProgressFn& progress = {});

// Runs argv[0] with the arguments, stdout and stderr appended to logFile;
// returns the exit status (127 when it cannot be started, 128+N for signal N).
int runProgram(const std::vector<std::string>& argv, const std::filesystem::path& logFile);

}  // namespace qid::study
