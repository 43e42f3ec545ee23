// qidlab-cli fits: the fits saved in a project (by `fit --project`).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "command_registry.h"
#include "number_list.h"
#include "store/project.h"
#include "text_table.h"

namespace {

using namespace qid::store;
using nlohmann::json;

struct Options {
  std::string project;
  bool json = false;
};

std::string paramsText(const FitRecord& f) {
  std::string s;
  const json& ci = f.result.contains("ci") ? f.result["ci"] : json::object();
  for (const auto& [name, v] : f.params.items()) {
    s += (s.empty() ? "" : ", ") + name + "=" + (v.is_number() ? qid::cli::formatNumber(v.get<double>(), 5) : "null");
    if (ci.contains(name) && ci[name].is_array() && ci[name].size() == 2 && ci[name][0].is_number() &&
        ci[name][1].is_number())
      s += " [" + qid::cli::formatNumber(ci[name][0].get<double>(), 4) + ", " +
           qid::cli::formatNumber(ci[name][1].get<double>(), 4) + "]";
  }
  return s;
}

void run(const Options& o) {
  Project project(o.project, Project::Mode::OpenExisting);
  auto fits = project.fits();
  if (o.json) {
    json list = json::array();
    for (const auto& f : fits)
      list.push_back({{"id", f.id},           {"name", f.name},     {"law", f.law},
                      {"params", f.params},   {"result", f.result}, {"selection", f.selection},
                      {"created", f.created}});
    std::cout << json{{"project", o.project}, {"fits", list}}.dump(2) << "\n";
    return;
  }
  if (fits.empty()) {
    std::printf("%s holds no saved fits (make one with 'fit --project %s --law FAMILY')\n", o.project.c_str(),
                o.project.c_str());
    return;
  }
  qid::cli::TextTable t;
  t.header = {"id", "name", "law", "points", "R^2(log)", "filter", "created", "parameters [95% CI]"};
  t.rightAlign = {true, false, false, true, true, false, false, false};
  for (const auto& f : fits) {
    auto num = [&](const char* k) {
      return f.result.contains(k) && f.result[k].is_number() ? qid::cli::formatNumber(f.result[k].get<double>(), 4)
                                                             : std::string();
    };
    std::string filter = f.selection.value("filter", "");
    t.rows.push_back({std::to_string(f.id), f.name, f.law, num("points"), num("r2_log"),
                      filter.empty() ? "(all)" : filter, f.created, paramsText(f)});
  }
  std::fputs(t.render().c_str(), stdout);
}

const bool registered = qid::cli::registerCommand(
    {"fits", 46, [](CLI::App& app) {
       auto o = std::make_shared<Options>();
       auto* sub = app.add_subcommand(
           "fits",
           "List the fits saved in a project by 'fit --project': id, name, law, points, R^2, the filter "
           "the data came from, and the parameters with their bootstrap CIs. --json gives the whole "
           "record: the fit report and the selection (filter, duplicate policy, cell ids).");
       sub->add_option("--project", o->project, "Project file (*.qidlab)")->required();
       sub->add_flag("--json", o->json, "Machine-readable output");
       sub->callback([o] { run(*o); });
     }});

}  // namespace
