#pragma once
// A filter over measurements, written as users type it:
//   "bits=3,method=gptq"   "bits=2|3"   "N>=1e8,step<1000"   "method!=rtn"
// Terms are ANDed; '|' separates alternatives for '='. Keys are the export
// column names (model_id, method, bits, group_size, N, D, step, ...), with the
// aliases model, group and steps. The filter becomes a parameterised SQL WHERE.
#include <string>
#include <vector>

namespace qid::store {

struct FilterTerm {
  std::string column;               // SQL column
  std::string op;                   // = != < <= > >=
  std::vector<std::string> values;  // alternatives for '=' / '!='
  bool numeric = false;
};

struct MeasurementFilter {
  std::vector<FilterTerm> terms;
  bool includeDuplicates = false;   // duplicate revisions are left out unless asked

  // Throws qid::Error naming the bad term.
  static MeasurementFilter parse(const std::string& text);
  // " WHERE ..." (or "") and the values to bind in order.
  std::string whereClause(std::vector<std::string>& binds, bool forFit) const;
};

}  // namespace qid::store
