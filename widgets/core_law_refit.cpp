// CoreLaw::refit: fits the law's family on measurement rows with the core's
// fitter.
#include "common/error.h"
#include "core_law.h"

namespace qid::ui {

LawPtr CoreLaw::refit(const QVector<MeasurementRow>& rows) const {
  if (rows.size() < int(law_.paramNames().size()))
    throw qid::Error("a fit of " + law_.name + " needs at least " + std::to_string(law_.paramNames().size()) +
                     " rows, got " + std::to_string(rows.size()));
  throw qid::Error("this build has no law fitter yet (core/laws fitting)");
}

}  // namespace qid::ui
