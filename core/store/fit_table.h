#pragma once
// Stored measurements as a table of points for core/laws fits: the columns
// N, D, bits, delta_q_loss, loss16, lossq, stderr, delta_ci_lo, delta_ci_hi,
// step and group_size (missing values are NaN, so a fit that needs one names
// the row). Use Project::measurements(filter, forFit = true), which leaves
// duplicate revisions out unless the filter asks for them; a fit weighted by
// uncertainty (laws::BindOptions::weightByUncertainty) then finds the paired
// standard errors and CIs under their usual names.
#include <vector>

#include "laws/law_data.h"
#include "store/records.h"

namespace qid::store {

laws::DataTable measurementTable(const std::vector<Measurement>& rows, const std::string& source = "project");

}  // namespace qid::store
