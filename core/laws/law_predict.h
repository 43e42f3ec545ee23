#pragma once
// Forward predictions of a QiD law over a grid of (N, D, P), paired with its
// 16-bit loss law: Loss_q = Loss16 + dqLoss, and "worse than random" when
// Loss_q > ln(vocab). Each prediction carries its extrapolation warnings.
#include <optional>
#include <string>
#include <vector>

#include "laws/law.h"

namespace qid::laws {

constexpr double kPythiaVocab = 50304;

struct PredictOptions {
  double vocab = kPythiaVocab;
  // Warn when N or D lies beyond the fitted range by more than this factor.
  double extrapolationFactor = 2.0;
  double ciLevel = 0.95;
};

struct Prediction {
  Vars at;                        // N, D, P as given
  double value = 0;               // the law's output (dqLoss for QiD laws)
  std::optional<Interval> ci;     // bootstrap prediction interval
  std::optional<double> loss16;   // from the paired 16-bit loss law
  std::optional<double> lossq;    // loss16 + dqLoss
  bool worseThanRandom = false;   // lossq > ln(vocab)
  std::vector<std::string> warnings;
};

// ln(vocab): the loss of a uniform guess over the vocabulary.
double randomGuessLoss(double vocab);

// The 16-bit loss law paired with a QiD law (its "loss16" field, a preset
// name or a file, relative paths resolved next to the law file), or nullopt.
std::optional<Law> pairedLoss16(const Law& law);

// A warning per variable of `at` that lies outside law.range by more than
// factor (e.g. "D=1e+14 is 333x beyond the largest fitted D (3e+11)").
std::vector<std::string> extrapolationWarnings(const Law& law, const Vars& at, double factor);

// Predictions on the full grid N x D x P (in that nesting order). Variables
// the law does not use are ignored; empty lists are skipped.
std::vector<Prediction> predictGrid(const Law& law, const std::vector<double>& N,
                                    const std::vector<double>& D, const std::vector<double>& P,
                                    const PredictOptions& options = {});

}  // namespace qid::laws
