#pragma once
// Spearman's rank correlation: Pearson's correlation of the ranks, ties
// given their average rank. Used to ask whether ΔqLoss grows with the
// weight-fluctuation ratio without assuming a functional form.
#include <vector>

namespace qid::analysis {

// Ranks 1..n (average ranks for ties).
std::vector<double> averageRanks(const std::vector<double>& values);

// NaN when there are fewer than 3 pairs, the sizes differ, or either side is
// constant.
double spearman(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace qid::analysis
