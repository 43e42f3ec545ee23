#pragma once
// Measurements as a laws::DataTable, the table → law-data seam: the CLI's
// `fit --project` and the GUI's refit both fit a law to stored measurements
// through it. Missing values are NaN.
#include <string>
#include <vector>

#include "laws/law_data.h"
#include "store/records.h"

namespace qid::store {

// The numeric columns, in order: N, N_total, D, step, lr, bits, group_size,
// seqlen, windows, token_count, loss16, lossq, delta_q_loss, stderr,
// delta_ci_lo, delta_ci_hi, wall_time_s. `source` names the rows in errors.
std::vector<std::string> measurementTableColumns();
laws::DataTable measurementTable(const std::vector<Measurement>& rows, const std::string& source);

// "pythia-70m@step1000 gptq 3b g128 (cell 1a2b3c4d)", for messages.
std::string measurementLabel(const Measurement& m);

}  // namespace qid::store
