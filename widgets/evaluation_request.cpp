#include "evaluation_request.h"

#include <QDir>
#include <QFileInfo>

#include "common/error.h"
#include "hub/pythia_suite.h"

namespace qid::ui {

int hubCheckpointCount(const EvaluationRequest& r) {
  int n = 0;
  for (const QString& s : r.selectors) n += int(qid::hub::expandSelector(s.toStdString()).size());
  return n;
}

int estimatedCells(const EvaluationRequest& r) {
  int settings = 0;
  for (const MethodChoice& m : r.methods) settings += int(m.bits.size());
  return (int(r.folders.size()) + hubCheckpointCount(r)) * settings;
}

nlohmann::json planJson(const EvaluationRequest& r, const QVector<HubCheckpoint>& hub) {
  using nlohmann::json;
  if (r.folders.isEmpty() && hub.isEmpty()) throw qid::Error("the evaluation has no checkpoints");
  if (r.methods.isEmpty()) throw qid::Error("the evaluation has no quantization method");
  if (r.evalPath.isEmpty()) throw qid::Error("the evaluation has no evaluation text");
  json models = json::array();
  for (const QString& f : r.folders) models.push_back(QDir::cleanPath(QFileInfo(f).absoluteFilePath()).toStdString());
  for (const HubCheckpoint& h : hub) {
    json m{{"path", h.folder.toStdString()},
           {"name", h.repo.section(QLatin1Char('/'), -1).toStdString()},
           {"revision", h.revision.toStdString()}};
    if (h.step >= 0) m["step"] = h.step;
    if (h.tokens > 0) m["D"] = h.tokens;
    models.push_back(m);
  }
  json methods = json::array();
  for (const MethodChoice& m : r.methods) {
    if (m.bits.isEmpty()) continue;
    methods.push_back({{"method", m.method.toStdString()},
                       {"bits", std::vector<int>(m.bits.begin(), m.bits.end())},
                       {"group", m.group}});
  }
  if (methods.empty()) throw qid::Error("the evaluation has no bit widths");
  json plan{{"name", r.name.toStdString()},
            {"models", models},
            {"methods", methods},
            {"eval", {{"path", QFileInfo(r.evalPath).absoluteFilePath().toStdString()},
                      {"seqlen", r.seqlen},
                      {"windows", r.windows},
                      {"recipe", r.recipe.isEmpty() ? std::string("gptq-paper") : r.recipe.toStdString()}}}};
  if (r.kl) plan["eval"]["kl"] = true;
  if (!r.calibPath.isEmpty())
    plan["calibration"] = {{"path", QFileInfo(r.calibPath).absoluteFilePath().toStdString()},
                           {"samples", r.calibSamples}};
  return plan;
}

qid::jobs::SweepPlan sweepPlan(const EvaluationRequest& r, const QVector<HubCheckpoint>& hub) {
  qid::jobs::SweepPlan plan = qid::jobs::SweepPlan::parse(planJson(r, hub), QDir::currentPath().toStdString(),
                                                          "evaluation " + r.name.toStdString());
  // Hub checkpoints keep their repo as their source.
  for (qid::jobs::ModelRef& m : plan.models)
    for (const HubCheckpoint& h : hub)
      if (m.path == h.folder.toStdString()) m.hubRepo = h.repo.toStdString();
  return plan;
}

}  // namespace qid::ui
