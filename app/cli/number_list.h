#pragma once
// Parses the comma-separated number lists the CLI takes ("7e9,70e9").
#include <string>
#include <vector>

namespace qid::cli {

// Throws qid::Error naming the option and the token that is not a number.
std::vector<double> parseNumberList(const std::string& option, const std::string& text);

// Formats a number with `digits` significant digits, %g style.
std::string formatNumber(double v, int digits = 4);

}  // namespace qid::cli
