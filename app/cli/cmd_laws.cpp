// qidlab-cli laws: the bundled preset laws and the law families.
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "command_registry.h"
#include "laws/law.h"
#include "number_list.h"

namespace {

void run(bool json) {
  using namespace qid::laws;
  nlohmann::json out;
  out["presets"] = nlohmann::json::array();
  out["families"] = nlohmann::json::array();
  for (const auto& name : presetNames()) {
    Law law = loadLaw(name);
    nlohmann::json j = law.toJson();
    j.erase("samples");
    out["presets"].push_back(j);
  }
  for (const auto& name : familyNames()) {
    nlohmann::json f;
    f["name"] = name;
    if (name == "formula") {
      f["formula"] = "any muParser expression over data columns and parameters (fit --formula)";
      f["params"] = nlohmann::json::array();
      f["variables"] = nlohmann::json::array();
    } else {
      auto fam = makeFamily(name);
      f["formula"] = fam->formula();
      f["params"] = fam->paramNames();
      f["variables"] = fam->variables();
      if (name == "ouyang-perbit") f["params"] = {"k_P", "beta_P", "alpha_P"};
    }
    out["families"].push_back(f);
  }
  if (json) {
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::printf("Preset laws (use with --law NAME; a law JSON file works the same way):\n");
  for (const auto& name : presetNames()) {
    Law law = loadLaw(name);
    std::printf("  %-20s %-18s %s\n", name.c_str(), law.family->name().c_str(), law.title.c_str());
    std::string params;
    auto names = law.paramNames();
    for (size_t i = 0; i < names.size(); ++i)
      params += (i ? ", " : "") + names[i] + "=" +
                (std::isnan(law.params[i]) ? std::string("null") : qid::cli::formatNumber(law.params[i], 6));
    std::printf("  %-20s %-18s %s\n", "", "", params.c_str());
    std::printf("  %-20s %-18s cite: %s\n", "", "", law.citation.c_str());
  }
  std::printf("\nFamilies (use with fit --law FAMILY):\n");
  for (const auto& f : out["families"]) {
    std::printf("  %-20s %s\n", f["name"].get<std::string>().c_str(),
                f["formula"].get<std::string>().c_str());
  }
}

const bool registered = qid::cli::registerCommand(
    {"laws", 10, [](CLI::App& app) {
       auto* sub = app.add_subcommand("laws", "List the bundled preset laws and the law families");
       auto json = std::make_shared<bool>(false);
       sub->add_flag("--json", *json, "Machine-readable output");
       sub->callback([json] { run(*json); });
     }});

}  // namespace
