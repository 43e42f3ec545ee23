#include "command_registry.h"

#include <algorithm>

namespace qid::cli {

static std::vector<Command>& registry() {
  static std::vector<Command> r;
  return r;
}

bool registerCommand(Command command) {
  registry().push_back(std::move(command));
  return true;
}

const std::vector<Command>& commands() {
  auto& r = registry();
  std::stable_sort(r.begin(), r.end(), [](const Command& a, const Command& b) {
    return a.order != b.order ? a.order < b.order : a.name < b.name;
  });
  return r;
}

}  // namespace qid::cli
