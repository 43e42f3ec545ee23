#pragma once
// A plain-text table with aligned columns for terminal output: widths count
// UTF-8 characters (so "ΔqLoss" lines up), numbers are right-aligned.
#include <string>
#include <vector>

namespace qid::cli {

struct TextTable {
  std::vector<std::string> header;
  std::vector<bool> rightAlign;  // per column; missing entries: left
  std::vector<std::vector<std::string>> rows;

  std::string render() const;
};

// Characters in a UTF-8 string (not bytes).
size_t displayWidth(const std::string& s);

// Engineering notation with the suffixes k, M, B, T: 98304 -> "98.3k",
// 2.097152e9 -> "2.10B"; three significant digits; NaN -> "".
std::string formatSi(double v);

}  // namespace qid::cli
