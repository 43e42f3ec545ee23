#pragma once
// Each qidlab-cli subcommand lives in its own cmd_*.cpp and registers itself
// here at static-initialisation time, so adding a command touches one file.
//
//   static const bool registered = qid::cli::registerCommand(
//       {"laws", 10, [](CLI::App& app) { auto* sub = app.add_subcommand(...); ... }});
//
// The setup function adds the subcommand and its callback. Callbacks report
// bad input by throwing qid::Error; main() prints it and exits with 1.
#include <functional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace qid::cli {

struct Command {
  std::string name;
  int order = 100;  // position in --help
  std::function<void(CLI::App&)> setup;
};

bool registerCommand(Command command);
const std::vector<Command>& commands();

}  // namespace qid::cli
