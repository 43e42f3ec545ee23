#pragma once
// A project's weight-fluctuation rows (core analysis/fluctuation_store) as
// the Figure 12 charts read them: the rows of one quantizer, and every
// measurement joined to the row of its checkpoint at its bit width.
#include <memory>
#include <string>
#include <vector>

#include "analysis/fluctuation_store.h"

namespace qid::store {
class Project;
}

namespace qid::ui {

struct FluctuationData {
  std::string method;  // the quantizer Q of |Q(W) − W|
  int groupSize = -1;
  std::vector<qid::analysis::FluctuationRow> rows;      // by run, step, bits
  std::vector<qid::analysis::FluctuationPoint> points;  // one per joined measurement
  bool empty() const { return rows.empty(); }
};

using FluctuationDataPtr = std::shared_ptr<const FluctuationData>;

// The rows of the project's first quantizer (rtn when it has rtn rows) and
// first group size; empty data when the table has no rows.
FluctuationDataPtr loadFluctuationData(qid::store::Project& project);

}  // namespace qid::ui
