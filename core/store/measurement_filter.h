#pragma once
// A filter over measurements, written as users type it:
//   "bits=3,method=gptq"   "bits=2|3"   "N>=70M,step<1000"   "method!=rtn"
//   "model=pythia-*"       "dataset=wiki.test.raw"           "duplicate=include"
// Terms are ANDed; '|' separates alternatives for '=' and '!='. Keys are the
// export column names (model_id, method, bits, group_size, N, D, step, ...)
// with the aliases model, group, steps, dataset, delta, checkpoint and cell;
// N and D may also be written n and d. Numbers take the suffixes k, M, B (or
// G) and T (70M = 7e7). Text keys take '=' and '!=' only ('<' etc. also for
// timestamp), a '*' in a text value matches any run of characters, method
// names compare case-insensitively, dataset matches the evaluation file's
// path, its file name or its content hash, and a recipe without a version
// ("recipe=llamacpp") matches every version of it ("llamacpp@1").
//
// The filter becomes a parameterised SQL WHERE (Project::measurements), and
// matches() applies the same rules in memory (the GUI's table).
#include <string>
#include <vector>

#include "store/records.h"

namespace qid::store {

struct FilterTerm {
  std::string key;                  // canonical field name (e.g. "group_size")
  std::string column;               // SQL column
  std::string op;                   // = != < <= > >=
  std::vector<std::string> values;  // alternatives for '=' / '!='; numbers normalised
  bool numeric = false;
};

// What to do with duplicate revisions (identical weights, different claimed
// steps). Auto: left out of fits, kept elsewhere.
enum class DuplicatePolicy { Auto, Include, Exclude, Only };

struct MeasurementFilter {
  std::vector<FilterTerm> terms;
  DuplicatePolicy duplicates = DuplicatePolicy::Auto;

  // Throws qid::Error naming the bad term: an unknown key (listing the known
  // ones), a missing operator, an empty or non-numeric value, an ordering
  // operator on a text key.
  static MeasurementFilter parse(const std::string& text);
  // The keys parse() knows, canonical names first, then aliases.
  static std::vector<std::string> fieldNames();

  // " WHERE ..." (or "") and the values to bind in order. forFit: the
  // selection a fit takes (duplicates left out under Auto).
  std::string whereClause(std::vector<std::string>& binds, bool forFit) const;
  // The same rules in memory.
  bool matches(const Measurement& m, bool forFit = false) const;
  bool includesDuplicates(bool forFit) const;
};

// "70M" -> 7e7, "2.1B" -> 2.1e9, "1e9" -> 1e9; throws qid::Error naming
// `what` when text is not a finite number.
double parseScaledNumber(const std::string& text, const std::string& what);

}  // namespace qid::store
