#include "laws/percentile.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qid::laws {

double percentile(std::vector<double> values, double q) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  double pos = std::clamp(q, 0.0, 1.0) * double(values.size() - 1);
  size_t i = size_t(std::floor(pos));
  if (i + 1 >= values.size()) return values.back();
  double f = pos - double(i);
  return values[i] + f * (values[i + 1] - values[i]);
}

}  // namespace qid::laws
