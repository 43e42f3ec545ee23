#include "store/measurement_filter.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>

#include "common/error.h"

namespace qid::store {

namespace {

enum class Kind { Text, Number };

struct Field {
  std::string key, sql;
  Kind kind;
  std::function<std::string(const Measurement&)> text;
  std::function<std::optional<double>(const Measurement&)> number;
  bool ordered = false;   // a text key that also takes < <= > >= (timestamps)
  bool caseless = false;  // compared in lower case (method names)
  bool dataset = false;   // path, file name or content hash
  bool versioned = false; // "gptq-paper" also matches the stored "gptq-paper@1"
};

template <class T>
std::optional<double> toDouble(const std::optional<T>& v) {
  return v ? std::optional<double>(double(*v)) : std::nullopt;
}

const std::vector<Field>& fields() {
  using M = const Measurement&;
  auto txt = [](std::string key, std::string sql, std::function<std::string(M)> get) {
    return Field{std::move(key), std::move(sql), Kind::Text, std::move(get), {}};
  };
  auto num = [](std::string key, std::string sql, std::function<std::optional<double>(M)> get) {
    return Field{std::move(key), std::move(sql), Kind::Number, {}, std::move(get)};
  };
  static const std::vector<Field> f = [&] {
    std::vector<Field> v{
        txt("model_id", "model_id", [](M m) { return m.modelId; }),
        txt("revision", "revision", [](M m) { return m.revision; }),
        txt("checkpoint_id", "checkpoint_id", [](M m) { return m.checkpointId; }),
        txt("method", "method", [](M m) { return m.method; }),
        num("bits", "bits", [](M m) { return std::optional<double>(m.bits); }),
        num("group_size", "group_size", [](M m) { return toDouble(m.groupSize); }),
        num("N", "n_params", [](M m) { return m.N; }),
        num("N_total", "n_total", [](M m) { return m.Ntotal; }),
        num("D", "tokens", [](M m) { return m.D; }),
        num("step", "step", [](M m) { return toDouble(m.step); }),
        num("lr", "lr", [](M m) { return m.lr; }),
        txt("eval_dataset", "eval_dataset", [](M m) { return m.evalDataset; }),
        txt("eval_hash", "eval_hash", [](M m) { return m.evalHash; }),
        txt("recipe", "recipe", [](M m) { return m.recipe; }),
        num("seqlen", "seqlen", [](M m) { return toDouble(m.seqlen); }),
        num("windows", "windows", [](M m) { return toDouble(m.windows); }),
        num("token_count", "token_count", [](M m) { return toDouble(m.tokenCount); }),
        num("loss16", "loss16", [](M m) { return m.loss16; }),
        num("lossq", "lossq", [](M m) { return m.lossq; }),
        num("delta_q_loss", "delta_q_loss", [](M m) { return std::optional<double>(m.delta); }),
        num("stderr", "stderr", [](M m) { return m.stderr_; }),
        txt("device", "device", [](M m) { return m.device; }),
        num("wall_time_s", "wall_time_s", [](M m) { return m.wallTimeS; }),
        txt("tool_version", "tool_version", [](M m) { return m.toolVersion; }),
        txt("timestamp", "timestamp", [](M m) { return m.timestamp; }),
        txt("origin", "origin", [](M m) { return m.origin; }),
        txt("cell_id", "cell_id", [](M m) { return m.cellId; }),
        txt("dataset", "eval_dataset", [](M m) { return m.evalDataset; }),
    };
    for (auto& x : v) {
      if (x.key == "timestamp") x.ordered = true;
      if (x.key == "method") x.caseless = true;
      if (x.key == "dataset") x.dataset = true;
      if (x.key == "recipe") x.versioned = true;
    }
    return v;
  }();
  return f;
}

const std::map<std::string, std::string>& aliases() {
  static const std::map<std::string, std::string> a{
      {"model", "model_id"},     {"group", "group_size"},       {"steps", "step"},
      {"delta", "delta_q_loss"}, {"checkpoint", "checkpoint_id"}, {"cell", "cell_id"},
      {"P", "bits"},
  };
  return a;
}

std::string lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const Field* findField(const std::string& key) {
  auto byName = [](const std::string& k) -> const Field* {
    for (const auto& f : fields())
      if (f.key == k) return &f;
    return nullptr;
  };
  if (auto* f = byName(key)) return f;
  if (auto it = aliases().find(key); it != aliases().end()) return byName(it->second);
  for (const auto& f : fields())
    if (lower(f.key) == lower(key)) return &f;
  for (const auto& [alias, target] : aliases())
    if (lower(alias) == lower(key)) return byName(target);
  return nullptr;
}

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t at = text.find(sep, start);
    out.push_back(trim(text.substr(start, at == std::string::npos ? std::string::npos : at - start)));
    if (at == std::string::npos) return out;
    start = at + 1;
  }
}

std::string exact(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

bool isPattern(const std::string& v) { return v.find('*') != std::string::npos; }

// SQLite GLOB with only '*' special: '?' and '[' are made literal.
std::string globFor(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '[') out += "[[]";
    else if (c == '?') out += "[?]";
    else out += c;
  }
  return out;
}

bool wildcardMatch(const std::string& pat, const std::string& s) {
  size_t p = 0, i = 0, star = std::string::npos, mark = 0;
  while (i < s.size()) {
    if (p < pat.size() && pat[p] == '*') {
      star = p++;
      mark = i;
    } else if (p < pat.size() && pat[p] == s[i]) {
      ++p;
      ++i;
    } else if (star != std::string::npos) {
      p = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

const Field& fieldOf(const FilterTerm& t) {
  const Field* f = findField(t.key);
  if (!f) throw Error("internal: filter term with unknown key '" + t.key + "'");
  return *f;
}

bool textEquals(const Field& f, const std::string& stored, const std::string& value, const Measurement& m) {
  std::string s = f.caseless ? lower(stored) : stored;
  auto eq = [&](const std::string& x) { return isPattern(value) ? wildcardMatch(value, x) : x == value; };
  // The file name: the path ends with "/" + value (as the SQL GLOB '*/value').
  if (f.dataset) return eq(s) || wildcardMatch("*/" + value, s) || eq(m.evalHash);
  if (f.versioned && value.find('@') == std::string::npos) return eq(s) || wildcardMatch(value + "@*", s);
  return eq(s);
}

}  // namespace

double parseScaledNumber(const std::string& text, const std::string& what) {
  std::string t = trim(text);
  double scale = 1;
  if (!t.empty()) {
    switch (t.back()) {
      case 'k': case 'K': scale = 1e3; break;
      case 'M': scale = 1e6; break;
      case 'B': case 'G': scale = 1e9; break;
      case 'T': scale = 1e12; break;
      default: break;
    }
  }
  std::string body = scale == 1 ? t : t.substr(0, t.size() - 1);
  char* end = nullptr;
  double v = body.empty() ? NAN : std::strtod(body.c_str(), &end);
  if (body.empty() || end != body.c_str() + body.size() || !std::isfinite(v))
    throw Error(what + ": '" + text + "' is not a number (write e.g. 3, 1e9 or 70M)");
  return v * scale;
}

std::vector<std::string> MeasurementFilter::fieldNames() {
  std::vector<std::string> out;
  for (const auto& f : fields()) out.push_back(f.key);
  for (const auto& [alias, _] : aliases()) out.push_back(alias);
  return out;
}

MeasurementFilter MeasurementFilter::parse(const std::string& text) {
  MeasurementFilter f;
  for (const std::string& term : split(text, ',')) {
    if (term.empty()) continue;
    const std::string where = "filter term '" + term + "'";
    size_t pos = term.find_first_of("=!<>");
    if (pos == std::string::npos || pos == 0)
      throw Error(where + " is not FIELD=VALUE (or FIELD!=, <, <=, >, >= VALUE)");
    std::string key = trim(term.substr(0, pos));
    std::string op;
    for (const char* cand : {"!=", "<=", ">=", "=", "<", ">"}) {
      if (term.compare(pos, std::char_traits<char>::length(cand), cand) == 0) {
        op = cand;
        break;
      }
    }
    if (op.empty()) throw Error(where + " has no valid operator (=, !=, <, <=, >, >=)");
    std::string value = trim(term.substr(pos + op.size()));
    if (value.find_first_of("=<>!") == 0) throw Error(where + " has a malformed operator");
    if (key == "duplicate" || key == "duplicates") {
      std::string v = lower(value);
      if (op != "=") throw Error(where + ": duplicate takes '=' (include, exclude or only)");
      if (v == "include" || v == "yes" || v == "true" || v == "1") f.duplicates = DuplicatePolicy::Include;
      else if (v == "exclude" || v == "no" || v == "false" || v == "0") f.duplicates = DuplicatePolicy::Exclude;
      else if (v == "only") f.duplicates = DuplicatePolicy::Only;
      else throw Error(where + ": duplicate must be include, exclude or only");
      continue;
    }
    const Field* field = findField(key);
    if (!field) {
      std::string known;
      for (const auto& k : fieldNames()) known += (known.empty() ? "" : ", ") + k;
      throw Error(where + ": unknown field '" + key + "' (known: " + known + ", duplicate)");
    }
    FilterTerm t{field->key, field->sql, op, {}, field->kind == Kind::Number};
    if (!t.numeric && op != "=" && op != "!=" && !field->ordered)
      throw Error(where + ": '" + op + "' needs a numeric field, and " + field->key +
                  " is text (use = or !=, '|' for alternatives, '*' as a wildcard)");
    for (const std::string& v : split(value, '|')) {
      if (v.empty()) throw Error(where + " has an empty value");
      if (t.numeric) t.values.push_back(exact(parseScaledNumber(v, where)));
      else t.values.push_back(field->caseless ? lower(v) : v);
    }
    if (t.values.size() > 1 && op != "=" && op != "!=")
      throw Error(where + ": alternatives with '|' need = or !=");
    f.terms.push_back(std::move(t));
  }
  return f;
}

bool MeasurementFilter::includesDuplicates(bool forFit) const {
  switch (duplicates) {
    case DuplicatePolicy::Auto: return !forFit;
    case DuplicatePolicy::Include: case DuplicatePolicy::Only: return true;
    case DuplicatePolicy::Exclude: return false;
  }
  return true;
}

std::string MeasurementFilter::whereClause(std::vector<std::string>& binds, bool forFit) const {
  std::vector<std::string> parts;
  for (const auto& t : terms) {
    const Field& f = fieldOf(t);
    if (t.numeric) {
      std::string col = "CAST(" + t.column + " AS REAL)";
      if (t.op == "=" || t.op == "!=") {
        std::string any;
        for (const auto& v : t.values) {
          any += (any.empty() ? "" : " OR ") + col + " = CAST(? AS REAL)";
          binds.push_back(v);
        }
        // A missing number matches no term, not even '!='.
        parts.push_back(t.op == "=" ? "(" + any + ")" : "(" + col + " IS NOT NULL AND NOT (" + any + "))");
      } else {
        parts.push_back(col + " " + t.op + " CAST(? AS REAL)");
        binds.push_back(t.values[0]);
      }
      continue;
    }
    std::string col = "COALESCE(" + t.column + ", '')";
    if (f.caseless) col = "lower(" + col + ")";
    if (t.op != "=" && t.op != "!=") {
      parts.push_back(col + " " + t.op + " ?");
      binds.push_back(t.values[0]);
      continue;
    }
    std::string any;
    for (const auto& v : t.values) {
      std::string one;
      if (f.dataset) {
        one = "(" + col + " GLOB ? OR " + col + " GLOB ? OR COALESCE(eval_hash, '') GLOB ?)";
        binds.push_back(globFor(v));
        binds.push_back("*/" + globFor(v));
        binds.push_back(globFor(v));
      } else if (f.versioned && v.find('@') == std::string::npos) {
        one = "(" + col + " GLOB ? OR " + col + " GLOB ?)";
        binds.push_back(globFor(v));
        binds.push_back(globFor(v) + "@*");
      } else if (isPattern(v)) {
        one = col + " GLOB ?";
        binds.push_back(globFor(v));
      } else {
        one = col + " = ?";
        binds.push_back(v);
      }
      any += (any.empty() ? "" : " OR ") + one;
    }
    parts.push_back(t.op == "=" ? "(" + any + ")" : "NOT (" + any + ")");
  }
  if (duplicates == DuplicatePolicy::Only) parts.push_back("(duplicate_of IS NOT NULL AND duplicate_of <> '')");
  else if (!includesDuplicates(forFit)) parts.push_back("(duplicate_of IS NULL OR duplicate_of = '')");
  if (parts.empty()) return "";
  std::string w = " WHERE ";
  for (size_t i = 0; i < parts.size(); ++i) w += (i ? " AND " : "") + parts[i];
  return w;
}

bool MeasurementFilter::matches(const Measurement& m, bool forFit) const {
  bool dup = !m.duplicateOf.empty();
  if (duplicates == DuplicatePolicy::Only && !dup) return false;
  if (dup && !includesDuplicates(forFit)) return false;
  for (const auto& t : terms) {
    const Field& f = fieldOf(t);
    if (t.numeric) {
      auto v = f.number(m);
      if (!v) return false;
      if (t.op == "=" || t.op == "!=") {
        bool any = std::any_of(t.values.begin(), t.values.end(),
                               [&](const std::string& s) { return *v == std::strtod(s.c_str(), nullptr); });
        if (any != (t.op == "=")) return false;
      } else {
        double x = std::strtod(t.values[0].c_str(), nullptr);
        bool ok = t.op == "<" ? *v < x : t.op == "<=" ? *v <= x : t.op == ">" ? *v > x : *v >= x;
        if (!ok) return false;
      }
      continue;
    }
    std::string s = f.text(m);
    if (t.op == "=" || t.op == "!=") {
      bool any = std::any_of(t.values.begin(), t.values.end(),
                             [&](const std::string& v) { return textEquals(f, s, v, m); });
      if (any != (t.op == "=")) return false;
    } else {
      const std::string& x = t.values[0];
      bool ok = t.op == "<" ? s < x : t.op == "<=" ? s <= x : t.op == ">" ? s > x : s >= x;
      if (!ok) return false;
    }
  }
  return true;
}

}  // namespace qid::store
