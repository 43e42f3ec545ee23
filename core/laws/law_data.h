#pragma once
// Points to fit a law to: a table with named columns (from a CSV file or
// built in memory, e.g. by the project store), and its binding to one
// family's variables and target.
#include <optional>
#include <string>
#include <vector>

#include "laws/law_family.h"

namespace qid::laws {

// A table of points with named columns. Cells that are not numbers are NaN
// in `values` and kept verbatim in `text` so errors can quote them; only the
// columns a fit uses must be numeric.
struct DataTable {
  std::string source = "data";          // file name (or "project"), for errors
  std::vector<std::string> columns;
  std::vector<std::vector<double>> values;      // one row per point, columns order
  std::vector<std::vector<std::string>> text;   // same shape; may be empty for in-memory tables
  std::vector<int> lines;                       // source line per row (1-based), may be empty

  // Index of a column: exact name first, then case-insensitive; -1 if absent.
  int column(const std::string& name) const;
  // Appends one point given by column name (in-memory construction).
  void addRow(const std::vector<std::pair<std::string, double>>& cells);
  size_t size() const { return values.size(); }
};

// Reads a CSV file with a header row. Separator ',' (or ';' / tab when the
// header uses it); lines starting with '#' are comments. Throws qid::Error
// naming the file and line for a missing header, duplicate column or a row
// with the wrong number of cells.
DataTable readCsv(const std::string& path);
DataTable parseCsv(const std::string& content, const std::string& source);

// How the fit measures a residual.
enum class ResidualSpace {
  Log,       // ln y - ln f: power laws, the paper's choice
  Linear,    // y - f
  Relative,  // (f - y)/y
};
std::string toString(ResidualSpace space);
ResidualSpace residualSpaceFromString(const std::string& s);  // throws qid::Error

// A table bound to a family: x rows follow family.variables().
struct FitData {
  std::string source;
  std::string yName;
  std::vector<std::vector<double>> x;
  std::vector<double> y;
  std::vector<double> sigma;   // per-point standard error of y, or empty
  std::vector<int> lines;      // source line per point, for messages
  std::string weighting;       // where sigma comes from ("" = unweighted)
};

struct BindOptions {
  // Target column. Empty: "delta_q_loss" for QiD families (or lossq - loss16
  // when both exist), "loss16" for 16-bit loss families.
  std::string yColumn;
  std::string sigmaColumn;  // optional per-point standard error of y
  // Or a confidence interval of y at ciLevel: sigma = (hi - lo) / (2 z), z
  // the standard normal quantile of (1 + ciLevel) / 2.
  std::string ciLoColumn, ciHiColumn;
  double ciLevel = 0.95;
  // Weight each point by its uncertainty (weighted least squares; in log
  // space the weight is (y / sigma)^2, the delta-method variance of ln y),
  // from the columns above when given, else a "stderr" column, else the
  // paired-bootstrap CI columns "delta_ci_lo" and "delta_ci_hi" (the
  // project's export names). An error when the table has none of them.
  bool weightByUncertainty = false;
  ResidualSpace space = ResidualSpace::Log;
};

// The standard normal quantile z with P(|Z| <= z) = level (1.96 for 0.95).
double twoSidedNormalQuantile(double level);

// Binds the columns a family needs ("P" also reads a "bits" column). Throws
// qid::Error naming the file, line, column and token for a missing column, a
// non-numeric cell, or a non-positive value where the fit takes logs.
FitData bindFitData(const DataTable& table, const LawFamily& family, const BindOptions& options);

}  // namespace qid::laws
