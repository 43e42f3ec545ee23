// qidlab-cli: the scriptable twin of the GUI. A thin main: every subcommand
// registers itself from its own cmd_*.cpp (command_registry.h).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "command_registry.h"
#include "common/error.h"
#include "common/version.h"

int main(int argc, char** argv) {
  CLI::App app{
      "QiD Lab command line: measure and model quantization-induced degradation "
      "(QiD, the loss increase of a low-bit quantized LLM checkpoint), fit scaling laws "
      "and extrapolate them.\nRun 'qidlab-cli SUBCOMMAND --help' for each command.",
      "qidlab-cli"};
  app.set_version_flag("--version", "qidlab-cli " + qid::toolVersion());
  app.require_subcommand(1);
  app.fallthrough(false);
  for (const auto& command : qid::cli::commands()) command.setup(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const qid::Cancelled&) {
    std::fprintf(stderr, "qidlab-cli: cancelled\n");
    return 130;
  } catch (const qid::Error& e) {
    std::fprintf(stderr, "qidlab-cli: error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "qidlab-cli: internal error: %s\n", e.what());
    return 2;
  }
  return 0;
}
