#pragma once
// A law family: the functional form of a scaling law, with named parameters
// and named variables. A Law (law.h) is a family plus parameter values.
//
// Variables are named ("N", "D", "P", or any data column for user formulas),
// so a family works on whatever columns carry them. Evaluation takes the
// variables in the family's own order (variables()) for speed; Law offers a
// by-name convenience on top.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace qid::laws {

// What a family predicts. Fit data is matched to it by column name.
enum class Quantity { DeltaQLoss, Loss16, Other };

class LawFamily {
 public:
  virtual ~LawFamily() = default;

  // Registry name, e.g. "ouyang-unified".
  virtual std::string name() const = 0;
  // One line for `qidlab-cli laws`, e.g. "k*D^beta/(N^alpha*P^gamma)".
  virtual std::string formula() const = 0;
  virtual std::vector<std::string> paramNames() const = 0;
  // Variables in evaluation order, e.g. {"N","D","P"}.
  virtual std::vector<std::string> variables() const = 0;
  virtual Quantity quantity() const { return Quantity::DeltaQLoss; }

  // y = f(vars; params). vars follow variables(), params follow paramNames().
  virtual double evaluate(const double* params, const double* vars) const = 0;

  // A sensible starting point for nonlinear fitting given the data
  // (x rows follow variables(), y the targets). Families may ignore the data.
  virtual std::vector<double> initialGuess(const std::vector<std::vector<double>>& x,
                                           const std::vector<double>& y) const;

  // Log-linear families: ln y = row(vars) . theta, with params a function
  // of theta. Such families are fitted exactly by least squares in log space.
  virtual bool hasLogLinearForm() const { return false; }
  // Fills row (size thetaSize()) for one point; returns false when a
  // variable under a log is not positive.
  virtual bool logLinearRow(const double* /*vars*/, double* /*row*/) const { return false; }
  virtual int thetaSize() const { return int(paramNames().size()); }
  virtual std::vector<double> paramsFromTheta(const std::vector<double>& theta) const { return theta; }

  // Variable that inverse() solves for (D for QiD laws), or empty.
  virtual std::string inverseVariable() const { return "D"; }
  // Closed-form inverse: the value of inverseVariable() at which the law
  // equals target, others given in vars (the slot of the solved variable is
  // ignored). nullopt when the family has no closed form (a bracketing
  // root-find is used then, see Law::inverse).
  virtual std::optional<double> inverseClosedForm(const double* /*params*/, const double* /*vars*/,
                                                  double /*target*/) const {
    return std::nullopt;
  }

  // Extra family-specific data a law file must carry to rebuild the family
  // (the bit widths of the per-bit family, the expression of a formula).
  virtual void toJson(nlohmann::json& /*law*/) const {}

  // Families whose shape depends on the data (the per-bit family takes its
  // bit widths from the points) return a specialised copy; others nullptr.
  virtual std::shared_ptr<const LawFamily> adaptTo(
      const std::vector<std::vector<double>>& /*x*/) const {
    return nullptr;
  }
};

using FamilyPtr = std::shared_ptr<const LawFamily>;

// Names of the built-in families (for `laws`), in display order.
std::vector<std::string> familyNames();

// Builds a family from its name and, where the family needs it, the law
// JSON object (e.g. "bits" for ouyang-perbit, "expression" for formula).
// Throws qid::Error naming the family when unknown or incomplete.
FamilyPtr makeFamily(const std::string& name, const nlohmann::json& spec);
FamilyPtr makeFamily(const std::string& name);

// Maps a data column name to a family variable name: "bits" -> "P".
std::string canonicalVariable(const std::string& column);

}  // namespace qid::laws
