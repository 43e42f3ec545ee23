// qidlab-cli import: measurements from CSV or JSON files into a project.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "command_registry.h"
#include "common/error.h"
#include "store/measurement_import.h"
#include "store/project.h"

namespace {

using namespace qid::store;

struct Options {
  std::vector<std::string> files;
  std::string project;
  bool json = false;
};

void run(const Options& o) {
  // Every file is read and checked before anything is written: one bad file
  // imports nothing.
  std::vector<ImportBatch> batches;
  for (const auto& f : o.files) batches.push_back(readMeasurementsFile(f));
  Project project(o.project);
  nlohmann::json reports = nlohmann::json::array();
  for (const auto& b : batches) {
    ImportReport r = importBatch(project, b);
    if (o.json) {
      reports.push_back({{"file", r.file},           {"format", r.format}, {"rows", r.rows},
                         {"added", r.added},         {"already_there", r.alreadyThere},
                         {"models", r.models},       {"baselines", r.baselines}});
    } else {
      std::printf("%s: %d measurement%s (%s), %d added, %d already there\n", r.file.c_str(), r.rows,
                  r.rows == 1 ? "" : "s", r.format.c_str(), r.added, r.alreadyThere);
    }
  }
  if (o.json)
    std::cout << nlohmann::json{{"project", o.project}, {"files", reports}, {"measurements", project.measurementCount()}}
                     .dump(2)
              << "\n";
  else
    std::printf("%s now holds %lld measurements\n", o.project.c_str(), (long long)project.measurementCount());
}

const bool registered = qid::cli::registerCommand(
    {"import", 43, [](CLI::App& app) {
       auto o = std::make_shared<Options>();
       auto* sub = app.add_subcommand(
           "import",
           "Import measurements from CSV or JSON files into a project (created when missing). CSV: a "
           "header row with export column names in any order; method, bits and delta_q_loss (or loss16 "
           "and lossq) are required, the rest optional (see 'export'). JSON: an 'export --format json' "
           "file, a list of measurement objects, or a sweep result file. Idempotent: a measurement "
           "whose cell id is already in the project is skipped, and rows without a cell_id get one "
           "from their content, so the same file twice adds nothing. A bad row (missing column, "
           "non-numeric value, unknown method) is an error naming the file, row and column, and "
           "nothing is imported.");
       sub->add_option("files", o->files, "CSV or JSON files (.csv / .json)")->required();
       sub->add_option("--project", o->project, "Project file (*.qidlab)")->required();
       sub->add_flag("--json", o->json, "Machine-readable report");
       sub->callback([o] { run(*o); });
     }});

}  // namespace
