// qidlab-cli predict: a law's dqLoss (and Loss16, Loss_q, worse-than-random)
// on a grid of model sizes, token counts and bit widths.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <set>

#include <nlohmann/json.hpp>

#include "command_registry.h"
#include "laws/law_predict.h"
#include "number_list.h"

namespace {

struct Options {
  std::string law, N, D, bits;
  double vocab = qid::laws::kPythiaVocab;
  double factor = 2.0;
  bool json = false;
};

void run(const Options& o) {
  using namespace qid::laws;
  using qid::cli::formatNumber;
  Law law = loadLaw(o.law);
  auto list = [](const char* opt, const std::string& s) {
    return s.empty() ? std::vector<double>{} : qid::cli::parseNumberList(opt, s);
  };
  PredictOptions po;
  po.vocab = o.vocab;
  po.extrapolationFactor = o.factor;
  auto preds = predictGrid(law, list("--N", o.N), list("--D", o.D), list("--bits", o.bits), po);
  auto l16 = pairedLoss16(law);
  const double randomLoss = randomGuessLoss(o.vocab);
  const bool qid = law.family->quantity() == Quantity::DeltaQLoss;
  const std::string valueKey = qid ? "delta_q_loss"
                               : law.family->quantity() == Quantity::Loss16 ? "loss16" : "value";
  if (o.json) {
    nlohmann::json j;
    j["law"] = law.name;
    j["family"] = law.family->name();
    j["citation"] = law.citation;
    if (l16) j["loss16_law"] = l16->name;
    j["vocab"] = o.vocab;
    j["random_loss"] = randomLoss;
    j["extrapolation_factor"] = o.factor;
    j["predictions"] = nlohmann::json::array();
    for (const auto& p : preds) {
      nlohmann::json r;
      for (const auto& [k, v] : p.at) r[k == "P" ? "bits" : k] = v;
      r[valueKey] = p.value;
      if (p.ci) r["ci"] = {p.ci->lo, p.ci->hi};
      if (qid && p.loss16) r["loss16"] = *p.loss16;
      if (p.lossq) {
        r["lossq"] = *p.lossq;
        r["worse_than_random"] = p.worseThanRandom;
      }
      r["warnings"] = p.warnings;
      j["predictions"].push_back(r);
    }
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::printf("law %s (%s: %s)\n", law.name.c_str(), law.family->name().c_str(),
              law.family->formula().c_str());
  if (!law.citation.empty()) std::printf("cite: %s\n", law.citation.c_str());
  if (l16)
    std::printf("Loss16 from %s; worse than random when Loss_q > ln(%s) = %.4f\n", l16->name.c_str(),
                formatNumber(o.vocab, 6).c_str(), randomLoss);
  std::printf("\n");
  const auto vars = law.family->variables();
  std::string header;
  for (const auto& v : vars) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%10s", v == "P" ? "bits" : v.c_str());
    header += buf;
  }
  std::printf("%s %12s", header.c_str(), qid ? "dqLoss" : valueKey.c_str());
  bool anyCi = !preds.empty() && preds.front().ci;
  if (anyCi) std::printf(" %25s", "95% CI");
  if (l16) std::printf(" %9s %9s  %s", "Loss16", "Loss_q", "worse than random");
  std::printf("\n");
  std::set<std::string> warnings;
  for (const auto& p : preds) {
    for (const auto& v : vars) std::printf("%10s", formatNumber(p.at.at(v), 4).c_str());
    std::printf(" %12s", formatNumber(p.value, 4).c_str());
    if (anyCi) {
      std::string ci = p.ci ? "[" + formatNumber(p.ci->lo, 4) + ", " + formatNumber(p.ci->hi, 4) + "]" : "n/a";
      std::printf(" %25s", ci.c_str());
    }
    if (p.lossq)
      std::printf(" %9s %9s  %s", formatNumber(*p.loss16, 4).c_str(), formatNumber(*p.lossq, 4).c_str(),
                  p.worseThanRandom ? "YES" : "no");
    std::printf("\n");
    warnings.insert(p.warnings.begin(), p.warnings.end());
  }
  for (const auto& w : warnings) std::printf("warning: %s\n", w.c_str());
}

const bool registered = qid::cli::registerCommand(
    {"predict", 20, [](CLI::App& app) {
       auto o = std::make_shared<Options>();
       auto* sub = app.add_subcommand(
           "predict",
           "Predict dqLoss with a law on a grid of N, D and bits; with the paired 16-bit loss law "
           "also Loss16, Loss_q = Loss16 + dqLoss and whether Loss_q exceeds ln(vocab)");
       sub->add_option("--law", o->law, "Preset name (see 'laws') or a law JSON file")->required();
       sub->add_option("--N", o->N, "Model sizes (non-embedding parameters), comma-separated, e.g. 7e9,70e9");
       sub->add_option("--D", o->D, "Training tokens, comma-separated, e.g. 1e12,1e14");
       sub->add_option("--bits", o->bits, "Bit widths, comma-separated, e.g. 2,3,4");
       sub->add_option("--vocab", o->vocab, "Vocabulary size for the worse-than-random line (default 50304)");
       sub->add_option("--extrapolation-factor", o->factor,
                       "Warn when N or D is beyond the fitted range by more than this factor (default 2)");
       sub->add_flag("--json", o->json, "Machine-readable output");
       sub->callback([o] { run(*o); });
     }});

}  // namespace
