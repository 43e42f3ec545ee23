#include "number_list.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/error.h"

namespace qid::cli {

std::vector<double> parseNumberList(const std::string& option, const std::string& text) {
  std::vector<double> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string token = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t b = token.find_first_not_of(" \t"), e = token.find_last_not_of(" \t");
    token = b == std::string::npos ? "" : token.substr(b, e - b + 1);
    char* end = nullptr;
    double v = token.empty() ? 0 : std::strtod(token.c_str(), &end);
    if (token.empty() || end != token.c_str() + token.size() || !std::isfinite(v))
      throw Error(option + ": '" + token + "' is not a number (in '" + text + "')");
    out.push_back(v);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string formatNumber(double v, int digits) {
  if (std::isnan(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

}  // namespace qid::cli
