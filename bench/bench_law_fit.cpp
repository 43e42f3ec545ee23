// The unified law (Eq 8) fitted to 1500 noisy synthetic points, plus 1000
// seeded bootstrap resamples: the work behind every refit in the GUI and
// `qidlab-cli fit --bootstrap 1000`. Target (issue 3): under 0.2 s on one
// core. Prints figures; never fails on speed.
//   bench_law_fit [points] [resamples] [repeats]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "laws/law_family.h"
#include "laws/law_fit.h"

namespace {

using clock_type = std::chrono::steady_clock;

// Pythia-like grid: 9 sizes x steps x 2/3/4 bits, cycled until `points`,
// each y the paper's Eq 8 with 5% multiplicative noise.
qid::laws::DataTable syntheticPoints(int points) {
  const double Ns[] = {1.2e6, 1.9e7, 8.5e7, 3.0e8, 8.1e8, 1.2e9, 2.5e9, 6.4e9, 1.1e10};
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0.0, 0.05);
  qid::laws::DataTable t;
  t.source = "synthetic";
  for (int i = 0; i < points; ++i) {
    const double N = Ns[i % 9];
    const double D = 2097152.0 * (1000.0 + 1000.0 * ((i / 9) % 143));
    const double P = 2 + (i / (9 * 143)) % 3;
    const double y = 0.017 * std::pow(D, 0.5251) / (std::pow(N, 0.2261) * std::pow(P, 5.4967));
    t.addRow({{"N", N}, {"D", D}, {"bits", P}, {"delta_q_loss", y * std::exp(noise(rng))}});
  }
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  const int points = argc > 1 ? std::max(10, std::atoi(argv[1])) : 1500;
  const int resamples = argc > 2 ? std::max(0, std::atoi(argv[2])) : 1000;
  const int repeats = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
  const auto table = syntheticPoints(points);
  const auto family = qid::laws::makeFamily("ouyang-unified");

  qid::laws::FitOptions opt;
  opt.bootstrap = resamples;
  double best = 1e300, total = 0;
  qid::laws::FitResult fit;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = clock_type::now();
    fit = qid::laws::fitLaw(family, table, opt);
    const double s = std::chrono::duration<double>(clock_type::now() - t0).count();
    best = std::min(best, s);
    total += s;
  }
  std::printf("bench_law_fit: unified law, %d points, %d bootstrap resamples (with CV and backtest)\n",
              points, resamples);
  std::printf("  best %.4f s, mean %.4f s over %d runs (target < 0.2 s on one core)\n", best,
              total / repeats, repeats);
  const auto names = fit.law.family->paramNames();
  for (size_t j = 0; j < names.size(); ++j) {
    std::printf("  %-6s %.5g", names[j].c_str(), fit.law.params[j]);
    if (j < fit.law.ci.size() && fit.law.ci[j])
      std::printf("  95%% CI [%.5g, %.5g]", fit.law.ci[j]->lo, fit.law.ci[j]->hi);
    std::printf("\n");
  }

  // The fit alone, without CV/backtest, to show where the time goes.
  opt.crossValidate = false;
  opt.backtest = false;
  const auto t0 = clock_type::now();
  qid::laws::fitLaw(family, table, opt);
  std::printf("  without CV and backtest: %.4f s\n",
              std::chrono::duration<double>(clock_type::now() - t0).count());
  return fit.converged ? 0 : 1;
}
