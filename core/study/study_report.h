#pragma once
// The reproduce report: report.json (everything, machine-readable) and
// report.md (for people), the second written from the first.
//
// report.json keys:
//   suite        the plan, corpus, and per size N, D, D/N and its regime
//   sweep        cells, done, failed (with errors), methods and bits
//   measurements one compact row per cell (model, N, step, D, lr, method,
//                bits, loss16, lossq, delta, stderr)
//   laws         per law key (tokens, size, bits, unified, perbit,
//                kumar2024): family, formula, params/stderr/ci by name, the
//                paper's constants, the points used (study_fits.h)
//   unified_by_method, tokens_slices
//   trend        tokens / size: seen (bool), the exponent, its CI, a sentence
//   fluctuation  per checkpoint medians and ratios, and Spearman's rank
//                correlation of ΔqLoss with the ratio per method and bits
//   bitnet       eval loss of each BitNet twin beside its 16-bit model (Figure 14)
//   charts       rendered files, or why there are none
//   phases       seconds per phase; total_seconds
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/fluctuation_store.h"
#include "analysis/weight_fluctuation.h"
#include "jobs/sweep.h"
#include "store/records.h"
#include "study/chart_renderer.h"
#include "study/reproduce_settings.h"
#include "study/study_fits.h"
#include "train/suite.h"

namespace qid::study {

struct PhaseTiming;

struct StudyReportInput {
  std::string command;
  train::SuitePlan plan;
  train::SuiteResult suite;
  nlohmann::json suiteInfo;  // OUT/suite/suite.json
  ReproduceSettings settings;
  std::string sweepName;
  int sweepCells = 0;
  jobs::SweepSummary sweep;
  std::vector<store::Measurement> measurements;
  StudyFits fits;
  analysis::FluctuationReport fluctuation;
  std::vector<analysis::FluctuationPoint> fluctuationPoints;  // measurements joined to their fluctuation
  std::vector<ChartOutcome> charts;
  std::string chartsNote;  // why no charts, when there are none
  std::vector<std::pair<std::string, double>> phases;  // name, seconds
  std::filesystem::path outDir, projectFile, lawsDir;
};

// The trend verdict for one exponent of the unified law: seen when the
// exponent is positive and its CI lies above zero.
nlohmann::json trendVerdict(const LawFit* unified, const std::string& param, const std::string& what);

nlohmann::json studyReportJson(const StudyReportInput& input);
// A law's parameter names in reading order: k, then beta, alpha, gamma (per
// bit width for the per-bit law).
std::vector<std::string> paramDisplayOrder(const nlohmann::json& params);
std::string studyReportMarkdown(const nlohmann::json& report);

}  // namespace qid::study
