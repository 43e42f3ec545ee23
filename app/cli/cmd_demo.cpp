// qidlab-cli demo: the embedded default of scripts/run --headless. Prints the
// bundled paper laws, Figure 1's numbers at 1e14 tokens, and Table 1.
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <string>

#include "command_registry.h"
#include "common/error.h"
#include "common/resources.h"
#include "laws/law_data.h"
#include "laws/law_predict.h"
#include "laws/law_table.h"
#include "number_list.h"

namespace {

using namespace qid::laws;
using qid::cli::formatNumber;

void printLaws() {
  std::printf("== Bundled laws (qidlab-cli laws) ==\n");
  for (const auto& name : presetNames()) {
    Law law = loadLaw(name);
    std::string params;
    auto names = law.paramNames();
    for (size_t i = 0; i < names.size(); ++i)
      params += (i ? ", " : "") + names[i] + "=" +
                (std::isnan(law.params[i]) ? std::string("n/a") : formatNumber(law.params[i], 5));
    std::printf("%-19s %s\n%-19s %s: %s\n", name.c_str(), law.title.c_str(), "",
                law.family->formula().c_str(), params.c_str());
  }
}

void printFigure1() {
  Law law = loadLaw("ouyang2025-unified");
  auto preds = predictGrid(law, {7e9, 70e9, 405e9}, {1e14}, {2, 3, 4});
  std::printf("\n== Figure 1: predicted at D = 1e14 tokens (100T), law ouyang2025-unified + ouyang2025-loss16 ==\n");
  std::printf("worse than random guessing: Loss_q > ln(50304) = %.3f\n", randomGuessLoss(kPythiaVocab));
  std::printf("%6s %5s %10s %8s %8s  %s\n", "model", "bits", "dqLoss", "Loss16", "Loss_q", "worse than random");
  for (const auto& p : preds)
    std::printf("%6s %5s %10s %8s %8s  %s\n", sizeLabel(p.at.at("N")).c_str(),
                formatNumber(p.at.at("P"), 2).c_str(), formatNumber(p.value, 4).c_str(),
                formatNumber(*p.loss16, 4).c_str(), formatNumber(*p.lossq, 4).c_str(),
                p.worseThanRandom ? "YES" : "no");
  std::printf("note: 1e14 tokens is ~333x beyond Pythia's 3e11 training tokens: an extrapolation.\n");
}

void printTable1() {
  Law law = loadLaw("ouyang2025-perbit");
  std::vector<double> sizes{1e9, 7e9, 70e9, 405e9}, targets{0.2, 0.3, 0.4, 0.5}, bits{2, 3, 4};
  auto table = tokenTable(law, sizes, targets, bits);
  std::printf("\n== Table 1 (law ouyang2025-perbit) ==\n%s", formatTokenTable(table, TableFormat::Text).c_str());
  auto data = qid::resources::find("datasets/ouyang2025-table1.csv");
  if (!data) return;
  DataTable paper = parseCsv(std::string(*data), "ouyang2025-table1");
  double worst = 0;
  for (const auto& row : paper.values) {
    double n = row[size_t(paper.column("N"))], b = row[size_t(paper.column("bits"))];
    double t = row[size_t(paper.column("delta_q_loss"))], cellT = row[size_t(paper.column("tokens_trillions"))];
    double ours = std::round(law.inverse(t, {{"N", n}, {"P", b}}) / 1e12 * 1e4) / 1e4;
    worst = std::max(worst, std::abs(ours / cellT - 1));
  }
  std::printf("largest difference from the paper's printed Table 1 (%zu cells): %.2f%%\n", paper.size(),
              worst * 100);
}

const bool registered = qid::cli::registerCommand(
    {"demo", 90, [](CLI::App& app) {
       auto* sub = app.add_subcommand(
           "demo", "Print the bundled paper laws, Figure 1's numbers at 1e14 tokens and Table 1");
       sub->callback([] {
         printLaws();
         printFigure1();
         printTable1();
       });
     }});

}  // namespace
