#include "laws/law_table.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace qid::laws {

namespace {

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string general(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string bitsLabel(const std::vector<double>& bits) {
  std::string s;
  for (size_t i = 0; i < bits.size(); ++i) s += (i ? " / " : "") + general(bits[i]);
  return s;
}

std::string cell(const TokenTable& t, size_t s, size_t g, int decimals) {
  std::string c;
  for (size_t b = 0; b < t.bits.size(); ++b) {
    if (b) c += " / ";
    c += fixed(t.tokens[s][g][b] / 1e12, decimals);
  }
  return c;
}

std::string escapeLatex(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '&' || ch == '%' || ch == '_' || ch == '#' || ch == '$') out += '\\';
    out += ch;
  }
  return out;
}

}  // namespace

std::string sizeLabel(double n) {
  const char* unit = "";
  double v = n;
  if (n >= 1e12) v = n / 1e12, unit = "T";
  else if (n >= 1e9) v = n / 1e9, unit = "B";
  else if (n >= 1e6) v = n / 1e6, unit = "M";
  else if (n >= 1e3) v = n / 1e3, unit = "K";
  return general(v) + unit;
}

TokenTable tokenTable(const Law& law, const std::vector<double>& sizes,
                      const std::vector<double>& targets, const std::vector<double>& bits) {
  if (sizes.empty() || targets.empty() || bits.empty())
    throw Error("a token table needs sizes, targets and bits");
  if (law.family->inverseVariable() != "D")
    throw Error("law '" + law.name + "' cannot be solved for D (family " + law.family->name() + ")");
  TokenTable t;
  t.lawName = law.name;
  t.citation = law.citation;
  t.sizes = sizes;
  t.targets = targets;
  t.bits = bits;
  t.tokens.assign(sizes.size(), std::vector<std::vector<double>>(targets.size(),
                                                                 std::vector<double>(bits.size())));
  for (size_t s = 0; s < sizes.size(); ++s)
    for (size_t g = 0; g < targets.size(); ++g)
      for (size_t b = 0; b < bits.size(); ++b) {
        Vars at{{"N", sizes[s]}, {"P", bits[b]}};
        try {
          t.tokens[s][g][b] = law.inverse(targets[g], at);
        } catch (const Error&) {
          if (!law.complete()) throw;
          t.tokens[s][g][b] = std::numeric_limits<double>::quiet_NaN();
        }
      }
  return t;
}

TableFormat tableFormatFromString(const std::string& s) {
  if (s == "text") return TableFormat::Text;
  if (s == "csv") return TableFormat::Csv;
  if (s == "markdown" || s == "md") return TableFormat::Markdown;
  if (s == "latex" || s == "tex") return TableFormat::Latex;
  if (s == "json") return TableFormat::Json;
  throw Error("unknown table format '" + s + "' (use text, csv, markdown, latex or json)");
}

std::string formatTokenTable(const TokenTable& t, TableFormat format, int decimals) {
  std::string out;
  const std::string bl = bitsLabel(t.bits);
  switch (format) {
    case TableFormat::Csv: {
      out = "N,target_delta_q_loss,bits,tokens,tokens_trillions\n";
      for (size_t s = 0; s < t.sizes.size(); ++s)
        for (size_t g = 0; g < t.targets.size(); ++g)
          for (size_t b = 0; b < t.bits.size(); ++b) {
            double d = t.tokens[s][g][b];
            out += general(t.sizes[s]) + "," + general(t.targets[g]) + "," + general(t.bits[b]) + "," +
                   (std::isfinite(d) ? general(d) : "") + "," +
                   (std::isfinite(d) ? fixed(d / 1e12, decimals) : "") + "\n";
          }
      return out;
    }
    case TableFormat::Json: {
      nlohmann::json j;
      j["law"] = t.lawName;
      j["citation"] = t.citation;
      j["unit"] = "tokens";
      j["cells"] = nlohmann::json::array();
      for (size_t s = 0; s < t.sizes.size(); ++s)
        for (size_t g = 0; g < t.targets.size(); ++g)
          for (size_t b = 0; b < t.bits.size(); ++b) {
            double d = t.tokens[s][g][b];
            j["cells"].push_back({{"N", t.sizes[s]},
                                  {"target", t.targets[g]},
                                  {"bits", t.bits[b]},
                                  {"tokens", std::isfinite(d) ? nlohmann::json(d) : nlohmann::json(nullptr)},
                                  {"tokens_trillions",
                                   std::isfinite(d) ? nlohmann::json(d / 1e12) : nlohmann::json(nullptr)}});
          }
      return j.dump(2) + "\n";
    }
    case TableFormat::Markdown: {
      out = "Training tokens (trillions) to reach a given dqLoss; each cell lists " + bl + " bits (law " +
            t.lawName + ").\n\n| N |";
      for (double g : t.targets) out += " Δ=" + general(g) + " |";
      out += "\n|---|";
      for (size_t g = 0; g < t.targets.size(); ++g) out += "---|";
      out += "\n";
      for (size_t s = 0; s < t.sizes.size(); ++s) {
        out += "| " + sizeLabel(t.sizes[s]) + " |";
        for (size_t g = 0; g < t.targets.size(); ++g) out += " " + cell(t, s, g, decimals) + " |";
        out += "\n";
      }
      return out;
    }
    case TableFormat::Latex: {
      out = "% Requires \\usepackage{booktabs}. Generated by qidlab-cli table from law " + t.lawName + ".\n";
      out += "\\begin{table}[t]\n\\centering\n\\small\n\\begin{tabular}{l";
      for (size_t g = 0; g < t.targets.size(); ++g) out += "c";
      out += "}\n\\toprule\n$N$";
      for (double g : t.targets) out += " & $\\Delta_q\\mathrm{Loss}=" + general(g) + "$";
      out += " \\\\\n\\midrule\n";
      for (size_t s = 0; s < t.sizes.size(); ++s) {
        out += sizeLabel(t.sizes[s]);
        for (size_t g = 0; g < t.targets.size(); ++g) out += " & " + cell(t, s, g, decimals);
        out += " \\\\\n";
      }
      out += "\\bottomrule\n\\end{tabular}\n";
      out += "\\caption{Training tokens (trillions) at which a model of $N$ parameters quantized to " + bl +
             " bits reaches a given $\\Delta_q\\mathrm{Loss}$";
      if (!t.citation.empty()) out += " (" + escapeLatex(t.citation) + ")";
      out += ".}\n\\end{table}\n";
      return out;
    }
    case TableFormat::Text: {
      out = "Training tokens (trillions) to reach dqLoss; each cell: " + bl + " bits. Law " + t.lawName + "\n";
      std::vector<std::vector<std::string>> rows;
      std::vector<std::string> header{"N"};
      for (double g : t.targets) header.push_back("dqLoss=" + general(g));
      rows.push_back(header);
      for (size_t s = 0; s < t.sizes.size(); ++s) {
        std::vector<std::string> r{sizeLabel(t.sizes[s])};
        for (size_t g = 0; g < t.targets.size(); ++g) r.push_back(cell(t, s, g, decimals));
        rows.push_back(r);
      }
      std::vector<size_t> width(header.size(), 0);
      for (const auto& r : rows)
        for (size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
      for (const auto& r : rows) {
        for (size_t c = 0; c < r.size(); ++c) {
          std::string pad(width[c] - r[c].size(), ' ');
          out += (c ? "  " : "") + (c ? pad + r[c] : r[c] + pad);
        }
        out += "\n";
      }
      return out;
    }
  }
  return out;
}

}  // namespace qid::laws
