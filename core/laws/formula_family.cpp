#include "laws/formula_family.h"

#include <muParser.h>

#include <algorithm>
#include <deque>
#include <limits>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace qid::laws {
namespace {

std::string describe(const std::string& expression, const mu::Parser::exception_type& e) {
  std::ostringstream msg;
  msg << "formula '" << expression << "' does not parse: " << e.GetMsg();
  const bool saysWhere = e.GetMsg().find("position") != std::string::npos;
  if (!e.GetToken().empty() && e.GetMsg().find(e.GetToken()) == std::string::npos)
    msg << " (token '" << e.GetToken() << "')";
  if (!saysWhere && e.GetPos() >= 0) msg << " (at position " << e.GetPos() + 1 << ")";
  return msg.str();
}

// Storage for variables muParser creates on first sight (identifier scan).
double* scanFactory(const char*, void* user) {
  auto* store = static_cast<std::deque<double>*>(user);
  store->push_back(0.0);
  return &store->back();
}

class FormulaFamily : public LawFamily {
 public:
  FormulaFamily(std::string expression, std::vector<std::string> params,
                std::vector<std::string> variables)
      : expression_(std::move(expression)),
        params_(std::move(params)),
        variables_(std::move(variables)),
        slots_(params_.size() + variables_.size(), 0.0) {
    auto ids = formulaIdentifiers(expression_);
    for (const auto& id : ids) {
      bool known = std::find(params_.begin(), params_.end(), id) != params_.end() ||
                   std::find(variables_.begin(), variables_.end(), id) != variables_.end();
      if (!known)
        throw Error("unknown variable '" + id + "' in formula '" + expression_ +
                    "': it is neither a parameter nor a data column");
    }
    try {
      for (size_t i = 0; i < params_.size(); ++i) parser_.DefineVar(params_[i], &slots_[i]);
      for (size_t i = 0; i < variables_.size(); ++i)
        parser_.DefineVar(variables_[i], &slots_[params_.size() + i]);
      parser_.SetExpr(expression_);
      parser_.Eval();
    } catch (const mu::Parser::exception_type& e) {
      throw Error(describe(expression_, e));
    }
  }
  std::string name() const override { return "formula"; }
  std::string formula() const override { return expression_; }
  std::vector<std::string> paramNames() const override { return params_; }
  std::vector<std::string> variables() const override { return variables_; }
  Quantity quantity() const override { return Quantity::Other; }
  double evaluate(const double* p, const double* v) const override {
    std::copy(p, p + params_.size(), slots_.begin());
    std::copy(v, v + variables_.size(), slots_.begin() + long(params_.size()));
    try {
      return parser_.Eval();
    } catch (const mu::Parser::exception_type&) {
      return std::numeric_limits<double>::quiet_NaN();
    }
  }
  std::vector<double> initialGuess(const std::vector<std::vector<double>>&,
                                   const std::vector<double>&) const override {
    return std::vector<double>(params_.size(), 1.0);
  }
  std::string inverseVariable() const override {
    if (std::find(variables_.begin(), variables_.end(), "D") != variables_.end()) return "D";
    return variables_.empty() ? "" : variables_.front();
  }
  void toJson(nlohmann::json& law) const override {
    law["expression"] = expression_;
    law["variables"] = variables_;
    law["param_names"] = params_;
  }

 private:
  std::string expression_;
  std::vector<std::string> params_, variables_;
  mutable std::vector<double> slots_;
  mutable mu::Parser parser_;
};

}  // namespace

std::vector<std::string> formulaIdentifiers(const std::string& expression) {
  if (expression.find_first_not_of(" \t") == std::string::npos)
    throw Error("formula is empty");
  std::deque<double> store;
  mu::Parser parser;
  try {
    parser.SetVarFactory(scanFactory, &store);
    parser.SetExpr(expression);
    parser.Eval();
    std::vector<std::string> out;
    for (const auto& [id, ptr] : parser.GetUsedVar()) out.push_back(id);
    std::sort(out.begin(), out.end());
    return out;
  } catch (const mu::Parser::exception_type& e) {
    throw Error(describe(expression, e));
  }
}

FamilyPtr makeFormulaFamily(const std::string& expression, std::vector<std::string> params,
                            std::vector<std::string> variables) {
  return std::make_shared<FormulaFamily>(expression, std::move(params), std::move(variables));
}

}  // namespace qid::laws
