#include "laws/law_data.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

#include "common/error.h"

namespace qid::laws {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\"");
  size_t e = s.find_last_not_of(" \t\r\"");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

double toNumber(const std::string& token) {
  if (token.empty()) return kNaN;
  char* end = nullptr;
  double v = std::strtod(token.c_str(), &end);
  if (end != token.c_str() + token.size()) return kNaN;
  return v;
}

std::vector<std::string> splitLine(const std::string& line, char sep) {
  std::vector<std::string> cells;
  std::string cur;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == sep && !quoted) {
      cells.push_back(trim(cur));
      cur.clear();
    } else cur += c;
  }
  cells.push_back(trim(cur));
  return cells;
}

std::string num(double v) {
  std::ostringstream s;
  s.precision(6);
  s << v;
  return s.str();
}

}  // namespace

int DataTable::column(const std::string& name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return int(i);
  for (size_t i = 0; i < columns.size(); ++i)
    if (lower(columns[i]) == lower(name)) return int(i);
  return -1;
}

void DataTable::addRow(const std::vector<std::pair<std::string, double>>& cells) {
  std::vector<double> row(columns.size(), kNaN);
  for (const auto& [name, v] : cells) {
    int c = column(name);
    if (c < 0) {
      columns.push_back(name);
      for (auto& r : values) r.push_back(kNaN);
      for (auto& t : text) t.push_back("");
      row.push_back(kNaN);
      c = int(columns.size()) - 1;
    }
    row[size_t(c)] = v;
  }
  values.push_back(std::move(row));
  if (!text.empty()) text.emplace_back(columns.size());
  if (!lines.empty()) lines.push_back(lines.back() + 1);
}

DataTable parseCsv(const std::string& content, const std::string& source) {
  DataTable t;
  t.source = source;
  std::istringstream in(content);
  std::string line;
  int lineNo = 0;
  char sep = ',';
  bool header = false;
  while (std::getline(in, line)) {
    ++lineNo;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string stripped = trim(line);
    if (stripped.empty() || stripped[0] == '#') continue;
    if (!header) {
      if (line.find(',') == std::string::npos) {
        if (line.find('\t') != std::string::npos) sep = '\t';
        else if (line.find(';') != std::string::npos) sep = ';';
      }
      t.columns = splitLine(line, sep);
      for (size_t i = 0; i < t.columns.size(); ++i) {
        if (t.columns[i].empty())
          throw Error(source + " line " + std::to_string(lineNo) + ": header column " +
                      std::to_string(i + 1) + " has no name");
        for (size_t j = 0; j < i; ++j)
          if (t.columns[j] == t.columns[i])
            throw Error(source + " line " + std::to_string(lineNo) + ": duplicate column '" +
                        t.columns[i] + "'");
      }
      header = true;
      continue;
    }
    auto cells = splitLine(line, sep);
    if (cells.size() != t.columns.size())
      throw Error(source + " line " + std::to_string(lineNo) + ": " + std::to_string(cells.size()) +
                  " cells, but the header has " + std::to_string(t.columns.size()) + " columns");
    std::vector<double> row;
    for (const auto& c : cells) row.push_back(toNumber(c));
    t.values.push_back(std::move(row));
    t.text.push_back(std::move(cells));
    t.lines.push_back(lineNo);
  }
  if (!header) throw Error(source + ": no header row (expected column names such as N,D,bits,delta_q_loss)");
  if (t.values.empty()) throw Error(source + ": no data rows after the header");
  return t;
}

DataTable readCsv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parseCsv(ss.str(), path);
}

std::string toString(ResidualSpace space) {
  switch (space) {
    case ResidualSpace::Log: return "log";
    case ResidualSpace::Linear: return "linear";
    case ResidualSpace::Relative: return "relative";
  }
  return "log";
}

double twoSidedNormalQuantile(double level) {
  // Bisection on P(|Z| <= z) = erf(z / sqrt 2): exact to double precision.
  double lo = 0, hi = 40;
  for (int i = 0; i < 200; ++i) {
    double mid = 0.5 * (lo + hi);
    (std::erf(mid / std::sqrt(2.0)) < level ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

ResidualSpace residualSpaceFromString(const std::string& s) {
  if (s == "log") return ResidualSpace::Log;
  if (s == "linear") return ResidualSpace::Linear;
  if (s == "relative") return ResidualSpace::Relative;
  throw Error("unknown residual space '" + s + "' (use log, linear or relative)");
}

FitData bindFitData(const DataTable& table, const LawFamily& family, const BindOptions& options) {
  FitData d;
  d.source = table.source;
  auto columnList = [&] {
    std::string s;
    for (const auto& c : table.columns) s += (s.empty() ? "" : ",") + c;
    return s;
  };
  auto need = [&](const std::string& name, const std::string& why) {
    int c = table.column(name);
    if (c < 0 && name == "P") c = table.column("bits");
    if (c < 0)
      throw Error(table.source + ": missing column '" + (name == "P" ? std::string("bits") : name) +
                  "' (" + why + "; columns are " + columnList() + ")");
    return c;
  };
  auto lineOf = [&](size_t r) { return r < table.lines.size() ? table.lines[r] : int(r) + 2; };
  auto cell = [&](size_t r, int c) {
    double v = table.values[r][size_t(c)];
    if (!std::isfinite(v)) {
      std::string token = r < table.text.size() ? table.text[r][size_t(c)] : "NaN";
      throw Error(table.source + " line " + std::to_string(lineOf(r)) + ": column '" +
                  table.columns[size_t(c)] + "' holds '" + token + "', not a number");
    }
    return v;
  };

  std::vector<int> xcols;
  for (const auto& v : family.variables()) xcols.push_back(need(v, "a variable of " + family.name()));

  int ycol = -1, lossq = -1, loss16 = -1;
  if (!options.yColumn.empty()) {
    ycol = need(options.yColumn, "the fitted quantity");
  } else if (family.quantity() == Quantity::Loss16) {
    ycol = need("loss16", "the 16-bit loss that " + family.name() + " fits");
  } else if (family.quantity() == Quantity::DeltaQLoss) {
    ycol = table.column("delta_q_loss");
    if (ycol < 0) {
      lossq = table.column("lossq");
      loss16 = table.column("loss16");
      if (lossq < 0 || loss16 < 0)
        throw Error(table.source + ": missing column 'delta_q_loss' (or both 'loss16' and 'lossq'); columns are " +
                    columnList());
    }
  } else {
    throw Error(table.source + ": say which column to fit with --y");
  }
  d.yName = ycol >= 0 ? table.columns[size_t(ycol)] : "delta_q_loss";
  int scol = options.sigmaColumn.empty() ? -1 : need(options.sigmaColumn, "the standard error of y");
  int loCol = -1, hiCol = -1;
  if (options.ciLoColumn.empty() != options.ciHiColumn.empty())
    throw Error(table.source + ": a confidence interval needs both a low and a high column");
  if (!options.ciLoColumn.empty()) {
    if (scol >= 0) throw Error(table.source + ": give either a standard-error column or CI columns, not both");
    loCol = need(options.ciLoColumn, "the low end of y's confidence interval");
    hiCol = need(options.ciHiColumn, "the high end of y's confidence interval");
  }
  if (options.weightByUncertainty && scol < 0 && loCol < 0) {
    if (table.column("stderr") >= 0) {
      scol = table.column("stderr");
    } else if (table.column("delta_ci_lo") >= 0 && table.column("delta_ci_hi") >= 0) {
      loCol = table.column("delta_ci_lo");
      hiCol = table.column("delta_ci_hi");
    } else {
      throw Error(table.source + ": weighting by uncertainty needs a 'stderr' column or 'delta_ci_lo' and "
                  "'delta_ci_hi' columns (or name them); columns are " + columnList());
    }
  }
  double z = 0;
  if (loCol >= 0) {
    if (!(options.ciLevel > 0 && options.ciLevel < 1))
      throw Error(table.source + ": the CI level must lie strictly between 0 and 1");
    z = twoSidedNormalQuantile(options.ciLevel);
    d.weighting = "inverse variance from the " + std::to_string(int(std::lround(options.ciLevel * 100))) +
                  "% CI columns " + table.columns[size_t(loCol)] + ".." + table.columns[size_t(hiCol)];
  } else if (scol >= 0) {
    d.weighting = "inverse variance from the standard-error column " + table.columns[size_t(scol)];
  }

  const bool builtin = family.name() != "formula";
  const bool logY = options.space != ResidualSpace::Linear;
  auto vars = family.variables();
  for (size_t r = 0; r < table.size(); ++r) {
    std::vector<double> x;
    for (size_t i = 0; i < xcols.size(); ++i) {
      double v = cell(r, xcols[i]);
      if (builtin && !(v > 0))
        throw Error(table.source + " line " + std::to_string(lineOf(r)) + ": " +
                    table.columns[size_t(xcols[i])] + "=" + num(v) + " is not positive (" +
                    family.name() + " takes its log)");
      x.push_back(v);
    }
    double y = ycol >= 0 ? cell(r, ycol) : cell(r, lossq) - cell(r, loss16);
    if (logY && !(y > 0))
      throw Error(table.source + " line " + std::to_string(lineOf(r)) + ": " + d.yName + "=" + num(y) +
                  " is not positive, but a " + toString(options.space) +
                  "-space fit divides by it or takes its log (drop the row or use --space linear)");
    if (loCol >= 0) {
      double lo = cell(r, loCol), hi = cell(r, hiCol);
      if (!(hi > lo))
        throw Error(table.source + " line " + std::to_string(lineOf(r)) + ": the confidence interval [" + num(lo) +
                    ", " + num(hi) + "] has no width, so it cannot weight the point");
      d.sigma.push_back((hi - lo) / (2 * z));
    } else if (scol >= 0) {
      double s = cell(r, scol);
      if (!(s > 0))
        throw Error(table.source + " line " + std::to_string(lineOf(r)) + ": " +
                    table.columns[size_t(scol)] + "=" + num(s) + " is not a positive standard error");
      d.sigma.push_back(s);
    }
    d.x.push_back(std::move(x));
    d.y.push_back(y);
    d.lines.push_back(lineOf(r));
  }
  return d;
}

}  // namespace qid::laws
