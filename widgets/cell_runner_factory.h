#pragma once
// The runner the GUI's evaluations use: core's QuantCellRunner (the real
// quantization pipeline). QIDLAB_GUI_RUNNER=fake picks the test-only
// FakeCellRunner (demos and tests without a model runtime).
#include <QString>
#include <functional>
#include <memory>

#include "jobs/cell_runner.h"

namespace qid::ui {

using RunnerFactory = std::function<std::unique_ptr<qid::jobs::CellRunner>()>;

std::unique_ptr<qid::jobs::CellRunner> makeEvaluationRunner();
QString evaluationRunnerName();

}  // namespace qid::ui
