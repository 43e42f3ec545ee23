#include <gtest/gtest.h>

#include "common/error.h"
#include "laws/formula_family.h"

using namespace qid::laws;

TEST(FormulaFamily, ListsIdentifiers) {
  auto ids = formulaIdentifiers("b1*(1-exp(-b2*x))");
  EXPECT_EQ(ids, (std::vector<std::string>{"b1", "b2", "x"}));
}

TEST(FormulaFamily, EvaluatesWithParamsAndVariables) {
  auto f = makeFormulaFamily("a*D^b/N^c", {"a", "b", "c"}, {"N", "D"});
  double p[] = {2, 0.5, 1}, v[] = {4, 16};
  EXPECT_DOUBLE_EQ(f->evaluate(p, v), 2.0);
}

TEST(FormulaFamily, UnparsableFormulaNamesTheToken) {
  try {
    formulaIdentifiers("a*(b+");
    FAIL();
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("formula 'a*(b+' does not parse"), std::string::npos) << e.what();
  }
  try {
    formulaIdentifiers("a*$x");
    FAIL();
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("\"$x"), std::string::npos) << e.what();
  }
}

TEST(FormulaFamily, UnknownVariableIsNamed) {
  try {
    makeFormulaFamily("a*x+z", {"a"}, {"x"});
    FAIL();
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown variable 'z'"), std::string::npos) << e.what();
  }
}
