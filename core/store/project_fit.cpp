#include "store/project_fit.h"

#include <cmath>
#include <set>

#include "common/error.h"
#include "laws/fit_result_json.h"
#include "store/measurement_columns.h"
#include "store/measurement_table.h"
#include "store/project.h"

namespace qid::store {

using nlohmann::json;

namespace {

const char* policyName(DuplicatePolicy p) {
  switch (p) {
    case DuplicatePolicy::Auto: return "excluded";
    case DuplicatePolicy::Include: return "included";
    case DuplicatePolicy::Exclude: return "excluded";
    case DuplicatePolicy::Only: return "only";
  }
  return "excluded";
}

std::vector<Measurement> onePerBaseline(const std::vector<Measurement>& rows) {
  std::set<std::string> seen;
  std::vector<Measurement> out;
  for (const auto& m : rows) {
    std::string key = !m.baselineKey.empty()
                          ? m.baselineKey
                          : m.checkpointId + "|" + m.modelId + "|" + m.evalHash + "|" +
                                (m.seqlen ? std::to_string(*m.seqlen) : "") + "|" +
                                (m.loss16 ? exactNumber(*m.loss16) : "");
    if (seen.insert(key).second) out.push_back(m);
  }
  return out;
}

}  // namespace

FitSelection selectFitData(Project& project, const std::string& filterText) {
  FitSelection s;
  s.filterText = filterText;
  s.filter = MeasurementFilter::parse(filterText);
  s.rows = project.measurements(s.filter, true);
  if (s.rows.empty()) {
    std::string why = filterText.empty() ? "the project holds no measurements"
                                         : "no measurement matches the filter '" + filterText + "'";
    throw Error(project.path().string() + ": nothing to fit: " + why);
  }
  return s;
}

laws::FitResult fitMeasurements(const std::vector<Measurement>& rowsIn, const laws::FamilyPtr& family,
                                const laws::FitOptions& options, const laws::BindOptions& bind,
                                const std::string& source) {
  const bool loss16Law = family->quantity() == laws::Quantity::Loss16 && bind.yColumn.empty();
  std::vector<Measurement> rows = loss16Law ? onePerBaseline(rowsIn) : rowsIn;
  laws::DataTable table = measurementTable(rows, source);

  const bool builtin = family->name() != "formula";
  std::vector<std::pair<std::string, int>> vars;
  for (const auto& v : family->variables()) {
    int c = table.column(v);
    if (c < 0 && v == "P") c = table.column("bits");
    if (c >= 0) vars.emplace_back(table.columns[size_t(c)], c);  // unknown names: bindFitData explains
  }
  std::string yName = !bind.yColumn.empty() ? bind.yColumn
                      : loss16Law            ? "loss16"
                                             : "delta_q_loss";
  int yc = table.column(yName);
  const bool logY = options.space != laws::ResidualSpace::Linear;
  for (size_t r = 0; r < rows.size(); ++r) {
    const auto& values = table.values[r];
    auto where = [&] { return source + ": measurement " + measurementLabel(rows[r]); };
    for (const auto& [name, c] : vars) {
      double v = values[size_t(c)];
      if (std::isnan(v))
        throw Error(where() + " has no " + name + " (" + family->name() +
                    " needs it; leave such rows out with --filter, e.g. '" + name + ">0')");
      if (builtin && !(v > 0))
        throw Error(where() + " has " + name + "=" + exactNumber(v) + ", but " + family->name() +
                    " takes its log (leave it out with --filter '" + name + ">0')");
    }
    if (yc >= 0) {
      double y = values[size_t(yc)];
      if (std::isnan(y)) throw Error(where() + " has no " + yName);
      if (logY && !(y > 0))
        throw Error(where() + " has " + yName + "=" + exactNumber(y) + ", but a " + laws::toString(options.space) +
                    "-space fit takes its log (leave such rows out with --filter '" +
                    (yName == "delta_q_loss" ? std::string("delta") : yName) + ">0', or use --space linear)");
    }
  }
  return laws::fitLaw(family, table, options, bind);
}

json selectionJson(const FitSelection& s, const std::string& project) {
  json ids = json::array();
  for (const auto& m : s.rows) ids.push_back(m.cellId);
  return {{"project", project},
          {"filter", s.filterText},
          {"duplicates", policyName(s.filter.duplicates)},
          {"count", s.rows.size()},
          {"cell_ids", ids}};
}

FitRecord makeFitRecord(const laws::FitResult& fit, const std::string& name, const json& selection) {
  FitRecord r;
  r.name = name;
  r.law = fit.law.family->name();
  r.result = laws::fitResultToJson(fit);
  r.params = r.result["params"];
  r.selection = selection;
  return r;
}

}  // namespace qid::store
