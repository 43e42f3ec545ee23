#pragma once
// Linear-interpolated percentile of a sample (type 7, as numpy's default).
#include <vector>

namespace qid::laws {

// q in [0, 1]. Sorts a copy; values must be finite. Empty input gives NaN.
double percentile(std::vector<double> values, double q);

}  // namespace qid::laws
