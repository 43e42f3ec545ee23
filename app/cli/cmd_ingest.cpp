// qidlab-cli ingest: merge the result files of `sweep --results-dir` (from
// other machines, shards, cluster jobs) into a project, idempotently.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "command_registry.h"
#include "common/error.h"
#include "store/project.h"
#include "store/result_file.h"

namespace {

struct Args {
  std::string dir, project;
  bool json = false;
};

int run(const Args& a) {
  qid::store::Project project(a.project);
  qid::store::IngestReport r = qid::store::ingestResultsDir(project, a.dir);
  if (a.json) {
    std::cout << nlohmann::json{{"dir", a.dir},
                                {"project", a.project},
                                {"files", r.files},
                                {"added", r.added},
                                {"already_present", r.alreadyThere},
                                {"bad", r.errors.size()},
                                {"errors", r.errors}}
                     .dump(2)
              << "\n";
  } else {
    std::printf("%s: %d result files: %d added, %d already present, %zu bad\n", a.dir.c_str(), r.files, r.added,
                r.alreadyThere, r.errors.size());
    for (const auto& e : r.errors) std::printf("  bad file: %s\n", e.c_str());
  }
  return r.errors.empty() ? 0 : 1;
}

const bool registered = qid::cli::registerCommand(
    {"ingest", 31, [](CLI::App& app) {
       auto a = std::make_shared<Args>();
       auto* sub = app.add_subcommand(
           "ingest",
           "Merge result files (one JSON per cell, written by 'sweep --results-dir') into a project. "
           "Idempotent: a cell already in the project is left as it is, so the same folder can be "
           "ingested again as more files arrive. Bad files are listed and skipped; the exit code is 1 "
           "when there were any.");
       sub->add_option("DIR", a->dir, "Folder of result files (*.json)")->required();
       sub->add_option("--project", a->project, "The .qidlab project file (created if missing)")->required();
       sub->add_flag("--json", a->json, "Machine-readable report on stdout");
       sub->callback([a] {
         if (int code = run(*a)) throw CLI::RuntimeError(code);
       });
     }});

}  // namespace
