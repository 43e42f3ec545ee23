// qidlab-cli table: Ouyang Table 1 for any law (training tokens, in
// trillions, to reach target dqLoss values), as text, CSV, Markdown, LaTeX or JSON.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "command_registry.h"
#include "laws/law_table.h"
#include "number_list.h"

namespace {

struct Options {
  std::string law, sizes = "1e9,7e9,70e9,405e9", targets = "0.2,0.3,0.4,0.5", bits = "2,3,4";
  std::string format = "text";
  int decimals = 4;
};

void run(const Options& o) {
  using namespace qid::laws;
  auto format = tableFormatFromString(o.format);
  Law law = loadLaw(o.law);
  auto table = tokenTable(law, qid::cli::parseNumberList("--sizes", o.sizes),
                          qid::cli::parseNumberList("--targets", o.targets),
                          qid::cli::parseNumberList("--bits", o.bits));
  std::fputs(formatTokenTable(table, format, o.decimals).c_str(), stdout);
}

const bool registered = qid::cli::registerCommand(
    {"table", 25, [](CLI::App& app) {
       auto o = std::make_shared<Options>();
       auto* sub = app.add_subcommand(
           "table",
           "Training tokens (trillions) at which each model size, quantized to each bit width, "
           "reaches each target dqLoss: Ouyang et al. Table 1 for any law");
       sub->add_option("--law", o->law, "Preset name (see 'laws') or a law JSON file")->required();
       sub->add_option("--sizes", o->sizes, "Model sizes N (default 1e9,7e9,70e9,405e9)");
       sub->add_option("--targets", o->targets, "Target dqLoss values (default 0.2,0.3,0.4,0.5)");
       sub->add_option("--bits", o->bits, "Bit widths (default 2,3,4)");
       sub->add_option("--format", o->format, "text, csv, markdown, latex (booktabs) or json (default text)");
       sub->add_option("--decimals", o->decimals, "Decimals of the trillions (default 4, as the paper)");
       sub->callback([o] { run(*o); });
     }});

}  // namespace
