#include "store/measurement_filter.h"

#include <map>

#include "common/error.h"

namespace qid::store {

namespace {

struct Column {
  const char* sql;
  bool numeric;
};

const std::map<std::string, Column>& columns() {
  static const std::map<std::string, Column> c{
      {"model_id", {"model_id", false}},   {"model", {"model_id", false}},
      {"revision", {"revision", false}},   {"checkpoint_id", {"checkpoint_id", false}},
      {"method", {"method", false}},       {"bits", {"bits", true}},
      {"group_size", {"group_size", true}}, {"group", {"group_size", true}},
      {"N", {"n_params", true}},           {"N_total", {"n_total", true}},
      {"D", {"tokens", true}},             {"step", {"step", true}},
      {"recipe", {"recipe", false}},       {"seqlen", {"seqlen", true}},
      {"eval_hash", {"eval_hash", false}}, {"eval_dataset", {"eval_dataset", false}},
      {"device", {"device", false}},       {"origin", {"origin", false}},
      {"cell_id", {"cell_id", false}},
  };
  return c;
}

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

}  // namespace

MeasurementFilter MeasurementFilter::parse(const std::string& text) {
  MeasurementFilter f;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string term = trim(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    start = comma == std::string::npos ? text.size() + 1 : comma + 1;
    if (term.empty()) continue;
    size_t pos = term.find_first_of("=!<>");
    if (pos == std::string::npos || pos == 0)
      throw Error("filter term '" + term + "' is not KEY=VALUE (or !=, <, <=, >, >=)");
    std::string key = trim(term.substr(0, pos));
    std::string op;
    for (const char* cand : {"!=", "<=", ">=", "=", "<", ">"}) {
      if (term.compare(pos, std::char_traits<char>::length(cand), cand) == 0) {
        op = cand;
        break;
      }
    }
    if (op.empty()) throw Error("filter term '" + term + "' has no valid operator");
    std::string value = trim(term.substr(pos + op.size()));
    if (key == "duplicate" || key == "duplicates") {
      f.includeDuplicates = value == "1" || value == "yes" || value == "true" || value == "include";
      continue;
    }
    auto it = columns().find(key);
    if (it == columns().end()) {
      std::string known;
      for (const auto& [k, c] : columns()) known += (known.empty() ? "" : ", ") + k;
      throw Error("filter term '" + term + "': unknown key '" + key + "' (known: " + known + ")");
    }
    FilterTerm t{it->second.sql, op, {}, it->second.numeric};
    size_t vs = 0;
    while (vs <= value.size()) {
      size_t bar = value.find('|', vs);
      std::string v = trim(value.substr(vs, bar == std::string::npos ? std::string::npos : bar - vs));
      vs = bar == std::string::npos ? value.size() + 1 : bar + 1;
      if (v.empty()) throw Error("filter term '" + term + "' has an empty value");
      if (t.numeric) {
        try {
          size_t used = 0;
          std::stod(v, &used);
          if (used != v.size()) throw std::invalid_argument(v);
        } catch (const std::exception&) {
          throw Error("filter term '" + term + "': '" + v + "' is not a number");
        }
      }
      t.values.push_back(v);
    }
    if (t.values.size() > 1 && op != "=" && op != "!=")
      throw Error("filter term '" + term + "': alternatives with '|' need = or !=");
    f.terms.push_back(std::move(t));
  }
  return f;
}

std::string MeasurementFilter::whereClause(std::vector<std::string>& binds, bool forFit) const {
  std::vector<std::string> parts;
  for (const auto& t : terms) {
    std::string col = t.numeric ? "CAST(" + t.column + " AS REAL)" : t.column;
    std::string val = t.numeric ? "CAST(? AS REAL)" : "?";
    if (t.op == "=" || t.op == "!=") {
      std::string p = "(";
      for (size_t i = 0; i < t.values.size(); ++i) {
        p += (i ? (t.op == "=" ? " OR " : " AND ") : "") + col + " " + t.op + " " + val;
        binds.push_back(t.values[i]);
      }
      parts.push_back(p + ")");
    } else {
      parts.push_back(col + " " + t.op + " " + val);
      binds.push_back(t.values[0]);
    }
  }
  if (forFit && !includeDuplicates) parts.push_back("(duplicate_of IS NULL OR duplicate_of = '')");
  if (parts.empty()) return "";
  std::string w = " WHERE ";
  for (size_t i = 0; i < parts.size(); ++i) w += (i ? " AND " : "") + parts[i];
  return w;
}

}  // namespace qid::store
