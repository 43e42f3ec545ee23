#include "cell_runner_factory.h"

#include "common/error.h"
#include "jobs/fake_cell_runner.h"

#if __has_include("jobs/quant_cell_runner.h")
#include "jobs/quant_cell_runner.h"
#define QIDLAB_HAVE_QUANT_RUNNER 1
#endif

namespace qid::ui {

namespace {
bool fakeRequested() { return qEnvironmentVariable("QIDLAB_GUI_RUNNER") == QLatin1String("fake"); }
}  // namespace

std::unique_ptr<qid::jobs::CellRunner> makeEvaluationRunner() {
  if (fakeRequested()) return std::make_unique<qid::jobs::FakeCellRunner>();
#ifdef QIDLAB_HAVE_QUANT_RUNNER
  return std::make_unique<qid::jobs::QuantCellRunner>();
#else
  throw qid::Error("this build has no quantization runner (core/jobs/quant_cell_runner.h); "
                   "set QIDLAB_GUI_RUNNER=fake for the test runner");
#endif
}

QString evaluationRunnerName() {
  if (fakeRequested()) return QStringLiteral("fake (test)");
#ifdef QIDLAB_HAVE_QUANT_RUNNER
  return QStringLiteral("quant");
#else
  return QStringLiteral("none");
#endif
}

}  // namespace qid::ui
