#include "common/resources.h"

namespace qid::resources {

std::optional<std::string_view> find(const std::string& path) {
  const auto& table = all();
  auto it = table.find(path);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> list(const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& [path, data] : all()) {
    if (path.rfind(prefix, 0) == 0) out.push_back(path);
  }
  return out;
}

}  // namespace qid::resources
