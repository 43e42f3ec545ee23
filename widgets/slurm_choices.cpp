#include "slurm_choices.h"

#include <algorithm>

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <fstream>

#include "cell_runner_factory.h"
#include "common/error.h"

namespace qid::ui {

namespace {

std::string safeFileName(const QString& name) {
  std::string out;
  for (QChar ch : name) {
    const bool keep = (ch.unicode() < 128 && ch.isLetterOrNumber()) || ch == QLatin1Char('-') || ch == QLatin1Char('_');
    out += keep ? char(ch.unicode()) : '_';
  }
  return out.empty() ? std::string("evaluation") : out.substr(0, 60);
}

void writePlanTo(const EvaluationRequest& r, const std::filesystem::path& file) {
  const nlohmann::json plan = planJson(r);
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) throw qid::Error(file.parent_path().string() + ": cannot create the folder: " + ec.message());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << plan.dump(2) << "\n";
  out.close();
  if (!out) throw qid::Error(file.string() + ": cannot write the plan");
}

}  // namespace

QString defaultSlurmResultsDir(const QString& projectPath) {
  const QString dir = projectPath.isEmpty() ? QDir::currentPath() : QFileInfo(projectPath).absolutePath();
  return QDir(dir).filePath(QStringLiteral("slurm-results"));
}

int defaultArraySize(int cells) { return std::max(1, std::min(3, cells)); }

void checkSlurmRunnable(const EvaluationRequest& r) {
  if (!r.selectors.isEmpty())
    throw qid::Error("Run on Slurm takes checkpoint folders that every node can read; Pythia suite checkpoints "
                     "are not downloaded here yet (run them here first, or add their folders)");
  planJson(r);  // throws naming what is missing
}

std::filesystem::path writeSlurmPlan(const EvaluationRequest& r, const QString& resultsDir) {
  checkSlurmRunnable(r);
  if (resultsDir.trimmed().isEmpty()) throw qid::Error("Run on Slurm needs a results folder every node can write");
  const std::filesystem::path file = std::filesystem::absolute(resultsDir.trimmed().toStdString()) / ".qidlab-slurm" /
                                     (safeFileName(r.name) + ".plan.json");
  writePlanTo(r, file);
  return file;
}

qid::slurm::SweepSubmitRequest slurmSubmitRequest(const EvaluationRequest& r, const SlurmChoices& c,
                                                  const std::filesystem::path& planFile) {
  qid::slurm::SweepSubmitRequest req;
  req.planPath = planFile;
  req.resultsDir = c.resultsDir.trimmed().toStdString();
  req.arraySize = c.arraySize;
  req.partition = c.partition.trimmed().toStdString();
  req.gres = c.gres.trimmed().toStdString();
  req.time = c.time.trimmed().toStdString();
  req.extraSbatch = c.extraSbatch.trimmed().toStdString();
  req.cliBinary = c.cliBinary.trimmed().toStdString();
  // What the GUI would run here, every task runs there.
  const QString device = r.device.trimmed();
  if (!device.isEmpty() && device != QLatin1String("cpu")) req.sweepArgs = {"--device", device.toStdString()};
  if (evaluationRunnerName().startsWith(QLatin1String("fake"))) {
    req.sweepArgs.push_back("--runner");
    req.sweepArgs.push_back("fake");
  }
  return req;
}

QString previewSlurmScript(const EvaluationRequest& r, const SlurmChoices& c) {
  checkSlurmRunnable(r);
  if (c.resultsDir.trimmed().isEmpty()) throw qid::Error("Run on Slurm needs a results folder every node can write");
  QTemporaryDir tmp;
  if (!tmp.isValid()) throw qid::Error("cannot create a temporary folder for the preview");
  const std::filesystem::path plan = std::filesystem::path(tmp.path().toStdString()) / "plan.json";
  writePlanTo(r, plan);
  qid::slurm::SweepSubmitRequest req = slurmSubmitRequest(r, c, plan);
  req.dryRun = true;
  return QString::fromStdString(qid::slurm::renderSubmission(req).script);
}

}  // namespace qid::ui
