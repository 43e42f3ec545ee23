#pragma once
// What the "New evaluation" dialog asks for, as plain data, and the sweep
// plan it becomes (core/jobs/sweep_plan.h). Checkpoints are local folders
// and/or Pythia hub checkpoints (downloaded first, then evaluated).
#include <QString>
#include <QStringList>
#include <QVector>
#include <nlohmann/json.hpp>

#include "jobs/sweep_plan.h"

namespace qid::ui {

struct MethodChoice {
  QString method;       // rtn, gptq, awq, nf4, fp4, int8
  QVector<int> bits;
  int group = 128;      // -1: per channel
};

// A hub checkpoint once it is in the cache.
struct HubCheckpoint {
  QString repo, revision;
  qint64 step = -1;
  double tokens = 0;
  QString folder;       // the snapshot folder
};

struct EvaluationRequest {
  QString name = QStringLiteral("evaluation");
  QString projectPath;          // where the measurements go (created when missing)
  QStringList folders;          // local checkpoint folders
  QStringList selectors;        // suite:/hub: selectors (core/hub/pythia_suite.h)
  QVector<MethodChoice> methods;
  QString evalPath;
  int seqlen = 2048;
  int windows = 0;              // 0: all
  QString recipe = QStringLiteral("gptq-paper");  // eval/recipe.h preset
  bool kl = false;              // also measure KL(P16 || Pq) per cell
  QString calibPath;            // empty: no calibration (data-free methods only)
  int calibSamples = 128;
  QString device = QStringLiteral("cpu");
};

// Cells the request expands to: (folders + hub checkpoints) x method settings.
// Throws qid::Error for a bad selector.
int estimatedCells(const EvaluationRequest& r);
int hubCheckpointCount(const EvaluationRequest& r);

// The request as a plan (the JSON `qidlab-cli sweep` reads) with the hub
// checkpoints as folders. Throws qid::Error naming what is missing.
nlohmann::json planJson(const EvaluationRequest& r, const QVector<HubCheckpoint>& hub = {});
qid::jobs::SweepPlan sweepPlan(const EvaluationRequest& r, const QVector<HubCheckpoint>& hub = {});

}  // namespace qid::ui
