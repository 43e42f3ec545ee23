#include "store/fit_table.h"

#include <cmath>
#include <limits>
#include <optional>

namespace qid::store {

laws::DataTable measurementTable(const std::vector<Measurement>& rows, const std::string& source) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  laws::DataTable t;
  t.source = source;
  t.columns = {"N", "D", "bits", "delta_q_loss", "loss16", "lossq", "stderr", "delta_ci_lo", "delta_ci_hi",
               "step", "group_size"};
  auto v = [&](const auto& o) { return o ? double(*o) : kNaN; };
  int row = 0;
  for (const auto& m : rows) {
    std::vector<double> r{v(m.N),      v(m.D),      double(m.bits), m.delta,  v(m.loss16), v(m.lossq),
                          v(m.stderr_), v(m.ciLo), v(m.ciHi),      v(m.step), v(m.groupSize)};
    std::vector<std::string> text;
    for (double x : r) text.push_back(std::isfinite(x) ? std::to_string(x) : "(none)");
    text[0] = std::isfinite(r[0]) ? text[0] : "(none: N unknown for " + m.modelId + ")";
    t.values.push_back(std::move(r));
    t.text.push_back(std::move(text));
    t.lines.push_back(++row);
  }
  return t;
}

}  // namespace qid::store
