#pragma once
// Ouyang Table 1 for any law: the training tokens at which a model of size N
// quantized to P bits reaches each target dqLoss (the law's inverse in D),
// in trillions, formatted as text, CSV, Markdown, LaTeX (booktabs) or JSON.
#include <string>
#include <vector>

#include "laws/law.h"

namespace qid::laws {

struct TokenTable {
  std::string lawName;
  std::string citation;
  std::vector<double> sizes, targets, bits;
  // tokens[s][t][b]: D in tokens, NaN where the target cannot be reached.
  std::vector<std::vector<std::vector<double>>> tokens;
};

TokenTable tokenTable(const Law& law, const std::vector<double>& sizes,
                      const std::vector<double>& targets, const std::vector<double>& bits);

enum class TableFormat { Text, Csv, Markdown, Latex, Json };
TableFormat tableFormatFromString(const std::string& s);  // throws qid::Error

// Cells in trillions of tokens with `decimals` decimals (the paper uses 4).
std::string formatTokenTable(const TokenTable& table, TableFormat format, int decimals = 4);

// "7B", "405B", "160M": a model size as people say it.
std::string sizeLabel(double n);

}  // namespace qid::laws
