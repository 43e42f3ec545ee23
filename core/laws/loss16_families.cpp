#include "laws/loss16_families.h"

#include <cmath>
#include <limits>

namespace qid::laws {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// [(A/N)^(a/c) + B/D]^c, params A, a, B, c; variables N, D.
class KaplanFamily : public LawFamily {
 public:
  std::string name() const override { return "loss16-kaplan"; }
  std::string formula() const override { return "[(A/N)^(a/c) + B/D]^c"; }
  std::vector<std::string> paramNames() const override { return {"A", "a", "B", "c"}; }
  std::vector<std::string> variables() const override { return {"N", "D"}; }
  Quantity quantity() const override { return Quantity::Loss16; }
  double evaluate(const double* p, const double* v) const override {
    return std::pow(std::pow(p[0] / v[0], p[1] / p[3]) + p[2] / v[1], p[3]);
  }
  std::vector<double> initialGuess(const std::vector<std::vector<double>>&,
                                   const std::vector<double>&) const override {
    return {4.74e19, 0.045, 7.63e10, 0.399};
  }
  std::optional<double> inverseClosedForm(const double* p, const double* v,
                                          double target) const override {
    double rest = std::pow(target, 1.0 / p[3]) - std::pow(p[0] / v[0], p[1] / p[3]);
    if (!(rest > 0)) return kNaN;
    return p[2] / rest;
  }
};

// E + A/N^a + B/D^b, params E, A, a, B, b; variables N, D.
class ChinchillaFamily : public LawFamily {
 public:
  std::string name() const override { return "loss16-chinchilla"; }
  std::string formula() const override { return "E + A/N^a + B/D^b"; }
  std::vector<std::string> paramNames() const override { return {"E", "A", "a", "B", "b"}; }
  std::vector<std::string> variables() const override { return {"N", "D"}; }
  Quantity quantity() const override { return Quantity::Loss16; }
  double evaluate(const double* p, const double* v) const override {
    return p[0] + p[1] / std::pow(v[0], p[2]) + p[3] / std::pow(v[1], p[4]);
  }
  std::vector<double> initialGuess(const std::vector<std::vector<double>>&,
                                   const std::vector<double>&) const override {
    return {1.69, 406.4, 0.34, 410.7, 0.28};
  }
  std::optional<double> inverseClosedForm(const double* p, const double* v,
                                          double target) const override {
    double rest = target - p[0] - p[1] / std::pow(v[0], p[2]);
    if (!(rest > 0) || p[4] == 0) return kNaN;
    return std::pow(p[3] / rest, 1.0 / p[4]);
  }
};

}  // namespace

FamilyPtr makeLoss16Kaplan() { return std::make_shared<KaplanFamily>(); }
FamilyPtr makeLoss16Chinchilla() { return std::make_shared<ChinchillaFamily>(); }

}  // namespace qid::laws
