#pragma once
// A user law: any muParser expression over named variables (data columns)
// and free parameters, e.g. "b1*(1-exp(-b2*x))".
#include <string>
#include <vector>

#include "laws/law_family.h"

namespace qid::laws {

// The identifiers (variables and parameters) an expression uses, sorted.
// Throws qid::Error with the parser's message, the offending token and its
// position when the expression does not parse.
std::vector<std::string> formulaIdentifiers(const std::string& expression);

// A family from an expression. Every identifier must be one of params or
// variables, else qid::Error names the unknown one. Evaluation is not
// thread-safe (one parser per family).
FamilyPtr makeFormulaFamily(const std::string& expression, std::vector<std::string> params,
                            std::vector<std::string> variables);

}  // namespace qid::laws
