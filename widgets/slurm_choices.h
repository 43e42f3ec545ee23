#pragma once
// What "Run on Slurm…" asks for beyond the evaluation itself, as plain data,
// and the core submission (core/slurm/sweep_submit.h) it becomes together
// with the EvaluationRequest: the plan is written next to the results, the
// device and runner pass to every task's `qidlab-cli sweep`.
#include <QString>
#include <filesystem>

#include "evaluation_request.h"
#include "slurm/sweep_submit.h"

namespace qid::ui {

struct SlurmChoices {
  QString resultsDir;   // shared by this host and every node
  int arraySize = 3;    // tasks; each runs one shard of the cells
  QString partition;
  QString gres;         // e.g. gpu:1
  QString time;         // e.g. 01:00:00
  QString extraSbatch;  // more sbatch options, space separated (e.g. --mem=16G)
  QString cliBinary;    // "" = the qidlab-cli next to this program, or on $PATH
};

// <project dir>/slurm-results.
QString defaultSlurmResultsDir(const QString& projectPath);
// 3 tasks, or one per cell when the plan has fewer (at least 1).
int defaultArraySize(int cells);

// The plan of `r` as the file a submission reads, at
// RESULTS/.qidlab-slurm/<name>.plan.json (the results folder itself holds
// only result files). Throws qid::Error for a request Slurm cannot run:
// Pythia suite selections (not downloaded here), a bad plan.
std::filesystem::path writeSlurmPlan(const EvaluationRequest& r, const QString& resultsDir);
// The same checks without writing anything.
void checkSlurmRunnable(const EvaluationRequest& r);

// The core submission of the plan at planFile with these choices.
qid::slurm::SweepSubmitRequest slurmSubmitRequest(const EvaluationRequest& r, const SlurmChoices& c,
                                                  const std::filesystem::path& planFile);

// The sbatch script a submission would run (renderSubmission: a dry run,
// nothing is left behind). Throws qid::Error for bad choices.
QString previewSlurmScript(const EvaluationRequest& r, const SlurmChoices& c);

}  // namespace qid::ui
