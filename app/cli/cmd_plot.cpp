// qidlab-cli plot: scripted paper figures. qidlab-cli links no Qt, so the
// drawing lives in the separate program qidlab-plot (built with the GUI, it
// renders offscreen through qidwidgets). This command runs the qidlab-plot
// found next to the qidlab-cli binary with the same arguments; without it
// (a -DQIDLAB_GUI=OFF build) it says so and fails.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

#include "command_registry.h"
#include "common/error.h"

namespace {

std::filesystem::path siblingPlotter() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return (ec ? std::filesystem::path(".") : self.parent_path()) / "qidlab-plot";
}

void run(const std::vector<std::string>& args, const std::string& help) {
  const std::filesystem::path plotter = siblingPlotter();
  const bool wantsHelp = std::find(args.begin(), args.end(), "--help") != args.end() ||
                         std::find(args.begin(), args.end(), "-h") != args.end();
  if (wantsHelp && ::access(plotter.c_str(), X_OK) != 0) std::printf("%s\n", help.c_str());
  if (::access(plotter.c_str(), X_OK) != 0)
    throw qid::Error("plot needs the qidlab-plot program next to qidlab-cli (looked for " + plotter.string() +
                     "): this build has no GUI. Configure with -DQIDLAB_GUI=ON (Qt 6 and Qt Charts) and build "
                     "the qidlab-plot target");
  std::vector<std::string> owned{plotter.string()};
  owned.insert(owned.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : owned) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  ::execv(plotter.c_str(), argv.data());
  throw qid::Error("cannot run " + plotter.string() + ": " + std::strerror(errno));
}

const bool registered = qid::cli::registerCommand(
    {"plot", 60, [](CLI::App& app) {
       auto* sub = app.add_subcommand(
           "plot",
           "Render a chart into a paper figure (PDF, SVG or PNG) offscreen, exactly as the GUI draws it:\n"
           "  qidlab-cli plot [--project P] --chart tokens|size|bits|lossq|map|predicted|fluctuation|\n"
           "                  fluctuation_ratio [--law NAME]\n"
           "                  --out fig.pdf|svg|png [--extrapolate 1e14] [--style single|double|screen]\n"
           "                  [--dpi N] [--sizes 7B,70B,405B] [--bits 2,3,4] [--json]\n"
           "Without --project it draws the bundled Paper project. Runs the qidlab-plot program built with "
           "the GUI (next to qidlab-cli); 'qidlab-cli plot --help' shows its full help.");
       // Everything after `plot` (including --help) goes to qidlab-plot.
       sub->prefix_command();
       sub->set_help_flag();
       sub->allow_extras();
       sub->callback([sub] { run(sub->remaining(), sub->help()); });
     }});

}  // namespace
