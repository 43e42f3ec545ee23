#include "laws/power_law_families.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace qid::laws {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// k * prod_i v_i^(sign_i * e_i): params are k then one exponent per variable.
class MonomialFamily : public LawFamily {
 public:
  struct Factor {
    std::string variable;  // "N", "D", "P"
    std::string exponent;  // parameter name
    double sign;           // +1 grows with the variable, -1 falls
  };
  MonomialFamily(std::string name, std::string formula, std::vector<Factor> factors,
                 std::string inverseVar)
      : name_(std::move(name)),
        formula_(std::move(formula)),
        factors_(std::move(factors)),
        inverseVar_(std::move(inverseVar)) {}

  std::string name() const override { return name_; }
  std::string formula() const override { return formula_; }
  std::vector<std::string> paramNames() const override {
    std::vector<std::string> p{"k"};
    for (const auto& f : factors_) p.push_back(f.exponent);
    return p;
  }
  std::vector<std::string> variables() const override {
    std::vector<std::string> v;
    for (const auto& f : factors_) v.push_back(f.variable);
    return v;
  }
  double evaluate(const double* params, const double* vars) const override {
    double logy = std::log(params[0]);
    for (size_t i = 0; i < factors_.size(); ++i)
      logy += factors_[i].sign * params[i + 1] * std::log(vars[i]);
    return std::exp(logy);
  }
  std::vector<double> initialGuess(const std::vector<std::vector<double>>&,
                                   const std::vector<double>&) const override {
    std::vector<double> g{1e-2};
    for (size_t i = 0; i < factors_.size(); ++i) g.push_back(0.5);
    return g;
  }
  bool hasLogLinearForm() const override { return true; }
  bool logLinearRow(const double* vars, double* row) const override {
    row[0] = 1.0;
    for (size_t i = 0; i < factors_.size(); ++i) {
      if (!(vars[i] > 0)) return false;
      row[i + 1] = factors_[i].sign * std::log(vars[i]);
    }
    return true;
  }
  std::vector<double> paramsFromTheta(const std::vector<double>& theta) const override {
    std::vector<double> p = theta;
    p[0] = std::exp(theta[0]);
    return p;
  }
  std::string inverseVariable() const override { return inverseVar_; }
  std::optional<double> inverseClosedForm(const double* params, const double* vars,
                                          double target) const override {
    double rest = std::log(params[0]);
    double own = 0;
    for (size_t i = 0; i < factors_.size(); ++i) {
      double e = factors_[i].sign * params[i + 1];
      if (factors_[i].variable == inverseVar_) own = e;
      else rest += e * std::log(vars[i]);
    }
    if (own == 0 || !(target > 0)) return kNaN;
    return std::exp((std::log(target) - rest) / own);
  }

 private:
  std::string name_, formula_;
  std::vector<Factor> factors_;
  std::string inverseVar_;
};

// Per bit width: k_P * D^beta_P / N^alpha_P, variables N, D, P.
class PerBitFamily : public LawFamily {
 public:
  explicit PerBitFamily(std::vector<int> bits) : bits_(std::move(bits)) {
    std::sort(bits_.begin(), bits_.end());
    bits_.erase(std::unique(bits_.begin(), bits_.end()), bits_.end());
  }
  std::string name() const override { return "ouyang-perbit"; }
  std::string formula() const override { return "for each bit width P: k_P*D^beta_P/N^alpha_P"; }
  std::vector<std::string> paramNames() const override {
    std::vector<std::string> p;
    for (int b : bits_) {
      std::string s = std::to_string(b);
      p.push_back("k_" + s);
      p.push_back("beta_" + s);
      p.push_back("alpha_" + s);
    }
    return p;
  }
  std::vector<std::string> variables() const override { return {"N", "D", "P"}; }
  int slot(double p) const {
    for (size_t i = 0; i < bits_.size(); ++i)
      if (std::abs(p - bits_[i]) < 1e-9) return int(i);
    return -1;
  }
  double evaluate(const double* params, const double* vars) const override {
    int s = slot(vars[2]);
    if (s < 0) return kNaN;
    const double* q = params + 3 * s;
    return q[0] * std::pow(vars[1], q[1]) / std::pow(vars[0], q[2]);
  }
  std::vector<double> initialGuess(const std::vector<std::vector<double>>&,
                                   const std::vector<double>&) const override {
    std::vector<double> g;
    for (size_t i = 0; i < bits_.size(); ++i) g.insert(g.end(), {1e-2, 0.5, 0.2});
    return g;
  }
  bool hasLogLinearForm() const override { return true; }
  bool logLinearRow(const double* vars, double* row) const override {
    int s = slot(vars[2]);
    if (s < 0 || !(vars[0] > 0) || !(vars[1] > 0)) return false;
    std::fill(row, row + 3 * bits_.size(), 0.0);
    row[3 * s] = 1.0;
    row[3 * s + 1] = std::log(vars[1]);
    row[3 * s + 2] = -std::log(vars[0]);
    return true;
  }
  std::vector<double> paramsFromTheta(const std::vector<double>& theta) const override {
    std::vector<double> p = theta;
    for (size_t i = 0; i < bits_.size(); ++i) p[3 * i] = std::exp(theta[3 * i]);
    return p;
  }
  std::optional<double> inverseClosedForm(const double* params, const double* vars,
                                          double target) const override {
    int s = slot(vars[2]);
    if (s < 0 || !(target > 0)) return kNaN;
    const double* q = params + 3 * s;
    return std::exp((std::log(target) - std::log(q[0]) + q[2] * std::log(vars[0])) / q[1]);
  }
  void toJson(nlohmann::json& law) const override { law["bits"] = bits_; }
  std::shared_ptr<const LawFamily> adaptTo(
      const std::vector<std::vector<double>>& x) const override {
    if (!bits_.empty()) return nullptr;
    std::set<int> seen;
    for (const auto& row : x) {
      double p = row[2];
      if (p != std::round(p) || p < 1 || p > 64) {
        std::ostringstream msg;
        msg << "ouyang-perbit needs whole bit widths, got P=" << p;
        throw Error(msg.str());
      }
      seen.insert(int(p));
    }
    return std::make_shared<PerBitFamily>(std::vector<int>(seen.begin(), seen.end()));
  }
  const std::vector<int>& bits() const { return bits_; }

 private:
  std::vector<int> bits_;
};

// C * D^gD / N^gN * exp(-P/gpost); log-linear in theta = (ln C, gD, gN, 1/gpost).
class KumarFamily : public LawFamily {
 public:
  std::string name() const override { return "kumar2024"; }
  std::string formula() const override { return "C*D^gD/N^gN*exp(-P/gpost)"; }
  std::vector<std::string> paramNames() const override { return {"C", "gD", "gN", "gpost"}; }
  std::vector<std::string> variables() const override { return {"N", "D", "P"}; }
  double evaluate(const double* p, const double* v) const override {
    return p[0] * std::exp(p[1] * std::log(v[1]) - p[2] * std::log(v[0]) - v[2] / p[3]);
  }
  std::vector<double> initialGuess(const std::vector<std::vector<double>>&,
                                   const std::vector<double>&) const override {
    return {0.06, 0.5, 0.34, 0.6};
  }
  bool hasLogLinearForm() const override { return true; }
  bool logLinearRow(const double* v, double* row) const override {
    if (!(v[0] > 0) || !(v[1] > 0)) return false;
    row[0] = 1.0;
    row[1] = std::log(v[1]);
    row[2] = -std::log(v[0]);
    row[3] = -v[2];
    return true;
  }
  std::vector<double> paramsFromTheta(const std::vector<double>& t) const override {
    return {std::exp(t[0]), t[1], t[2], 1.0 / t[3]};
  }
  std::optional<double> inverseClosedForm(const double* p, const double* v,
                                          double target) const override {
    if (!(target > 0) || p[1] == 0) return kNaN;
    double rest = std::log(p[0]) - p[2] * std::log(v[0]) - v[2] / p[3];
    return std::exp((std::log(target) - rest) / p[1]);
  }
};

}  // namespace

FamilyPtr makeOuyangUnified() {
  return std::make_shared<MonomialFamily>(
      "ouyang-unified", "k*D^beta/(N^alpha*P^gamma)",
      std::vector<MonomialFamily::Factor>{{"N", "alpha", -1}, {"D", "beta", 1}, {"P", "gamma", -1}},
      "D");
}
FamilyPtr makeOuyangTokens() {
  return std::make_shared<MonomialFamily>(
      "ouyang-tokens", "k*D^beta", std::vector<MonomialFamily::Factor>{{"D", "beta", 1}}, "D");
}
FamilyPtr makeOuyangSize() {
  return std::make_shared<MonomialFamily>(
      "ouyang-size", "k/N^alpha", std::vector<MonomialFamily::Factor>{{"N", "alpha", -1}}, "N");
}
FamilyPtr makeOuyangBits() {
  return std::make_shared<MonomialFamily>(
      "ouyang-bits", "k/P^gamma", std::vector<MonomialFamily::Factor>{{"P", "gamma", -1}}, "P");
}
FamilyPtr makeOuyangPerBit(std::vector<int> bits) {
  return std::make_shared<PerBitFamily>(std::move(bits));
}
FamilyPtr makeKumar2024() { return std::make_shared<KumarFamily>(); }

}  // namespace qid::laws
