#include "slurm/index_list.h"

#include <algorithm>
#include <sstream>

#include "common/error.h"

namespace qid::slurm {

std::string formatIndexList(std::vector<int> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  std::string out;
  for (size_t i = 0; i < v.size();) {
    size_t j = i;
    while (j + 1 < v.size() && v[j + 1] == v[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(v[i]);
    if (j > i) {
      out += '-';
      out += std::to_string(v[j]);
    }
    i = j + 1;
  }
  return out;
}

namespace {

int parseIndex(const std::string& s, const std::string& list) {
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos)
    throw Error("bad Slurm array index list '" + list + "': '" + s + "' is not an index");
  return std::stoi(s);
}

}  // namespace

std::vector<int> parseIndexList(const std::string& list) {
  std::string spec = list.substr(0, list.find('%'));
  if (spec.empty()) throw Error("bad Slurm array index list '" + list + "': it is empty");
  std::vector<int> out;
  std::istringstream parts(spec);
  std::string part;
  while (std::getline(parts, part, ',')) {
    auto dash = part.find('-');
    if (dash == std::string::npos) {
      out.push_back(parseIndex(part, list));
      continue;
    }
    int a = parseIndex(part.substr(0, dash), list), b = parseIndex(part.substr(dash + 1), list);
    if (b < a) throw Error("bad Slurm array index list '" + list + "': range " + part + " runs backwards");
    if (b - a >= 1000000 || out.size() + size_t(b - a) >= 1000000)
      throw Error("bad Slurm array index list '" + list + "': more than 1,000,000 indices");
    for (int i = a; i <= b; ++i) out.push_back(i);
  }
  if (!spec.empty() && spec.back() == ',') throw Error("bad Slurm array index list '" + list + "': trailing comma");
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace qid::slurm
