#include "cell_runner_factory.h"

#include "jobs/fake_cell_runner.h"
#include "jobs/quant_cell_runner.h"

namespace qid::ui {

namespace {
bool fakeRequested() { return qEnvironmentVariable("QIDLAB_GUI_RUNNER") == QLatin1String("fake"); }
}  // namespace

std::unique_ptr<qid::jobs::CellRunner> makeEvaluationRunner() {
  if (fakeRequested()) return std::make_unique<qid::jobs::FakeCellRunner>();
  return std::make_unique<qid::jobs::QuantCellRunner>();
}

QString evaluationRunnerName() {
  if (fakeRequested()) return QStringLiteral("fake (test)");
  return QStringLiteral("quant");
}

}  // namespace qid::ui
