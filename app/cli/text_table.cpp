#include "text_table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>

namespace qid::cli {

size_t displayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string TextTable::render() const {
  std::vector<size_t> width(header.size(), 0);
  for (size_t c = 0; c < header.size(); ++c) width[c] = displayWidth(header[c]);
  for (const auto& r : rows)
    for (size_t c = 0; c < r.size() && c < width.size(); ++c) width[c] = std::max(width[c], displayWidth(r[c]));
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t c = 0; c < width.size(); ++c) {
      const std::string cell = c < cells.size() ? cells[c] : "";
      std::string pad(width[c] - displayWidth(cell), ' ');
      bool right = c < rightAlign.size() && rightAlign[c];
      out += (c ? "  " : "") + (right ? pad + cell : cell + (c + 1 < width.size() ? pad : ""));
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(header);
  std::vector<std::string> rule;
  for (size_t w : width) rule.push_back(std::string(w, '-'));
  out += line(rule);
  for (const auto& r : rows) out += line(r);
  return out;
}

std::string formatSi(double v) {
  if (std::isnan(v)) return "";
  static const struct {
    double scale;
    const char* suffix;
  } units[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}, {1, ""}};
  double a = std::fabs(v);
  char buf[48];
  if (a >= 1e15 || (a > 0 && a < 1)) {
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
  }
  for (size_t i = 0; i < std::size(units); ++i) {
    if (a < units[i].scale && units[i].scale > 1) continue;
    double x = v / units[i].scale;
    int decimals = std::fabs(x) < 10 ? 2 : std::fabs(x) < 100 ? 1 : 0;
    if (units[i].scale == 1 && x == std::floor(x)) decimals = 0;
    std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
    // 999.96k rounds to "1000k": use the next unit up.
    if (i > 0 && std::fabs(std::strtod(buf, nullptr)) >= 1000) {
      std::snprintf(buf, sizeof buf, "%.2f%s", v / units[i - 1].scale, units[i - 1].suffix);
      return buf;
    }
    return std::string(buf) + units[i].suffix;
  }
  return "0";
}

}  // namespace qid::cli
