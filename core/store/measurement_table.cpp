#include "store/measurement_table.h"

#include <limits>
#include <optional>

#include "store/measurement_columns.h"

namespace qid::store {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <class T>
double value(const std::optional<T>& v) {
  return v ? double(*v) : kNaN;
}

std::vector<double> rowOf(const Measurement& m) {
  return {value(m.N),       value(m.Ntotal),     value(m.D),      value(m.step),   value(m.lr),
          double(m.bits),   value(m.groupSize),  value(m.seqlen), value(m.windows), value(m.tokenCount),
          value(m.loss16),  value(m.lossq),      m.delta,         value(m.stderr_), value(m.ciLo),
          value(m.ciHi),    value(m.wallTimeS)};
}

}  // namespace

std::vector<std::string> measurementTableColumns() {
  return {"N",          "N_total", "D",     "step",         "lr",     "bits",        "group_size",  "seqlen",     "windows",
          "token_count", "loss16", "lossq", "delta_q_loss", "stderr", "delta_ci_lo", "delta_ci_hi", "wall_time_s"};
}

laws::DataTable measurementTable(const std::vector<Measurement>& rows, const std::string& source) {
  laws::DataTable t;
  t.source = source;
  t.columns = measurementTableColumns();
  int line = 0;
  for (const auto& m : rows) {
    std::vector<double> r = rowOf(m);
    std::vector<std::string> text;
    for (double v : r) text.push_back(v == v ? exactNumber(v) : "(none)");
    t.values.push_back(std::move(r));
    t.text.push_back(std::move(text));
    t.lines.push_back(++line);
  }
  return t;
}

std::string measurementLabel(const Measurement& m) {
  std::string s = m.modelId.empty() ? "?" : m.modelId;
  if (!m.revision.empty()) s += "@" + m.revision;
  else if (m.step) s += "@step" + std::to_string(*m.step);
  s += " " + m.method + " " + std::to_string(m.bits) + "b";
  if (m.groupSize) s += " g" + std::to_string(*m.groupSize);
  return s + " (cell " + m.cellId.substr(0, 12) + ")";
}

}  // namespace qid::store
