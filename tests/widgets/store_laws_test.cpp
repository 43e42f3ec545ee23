// A project's saved fits become the GUI's laws: one per name, the latest
// fit of a name (a rerun of reproduce or fit) replacing the older ones.
#include <gtest/gtest.h>

#include "laws/law.h"
#include "store/project.h"
#include "store_rows.h"
#include "test_support.h"

namespace qid::ui {
namespace {

qid::store::FitRecord fitRecord(const std::string& name, double k) {
  qid::laws::Law law = qid::laws::loadLaw("ouyang2025-unified");
  law.params.at(0) = k;
  qid::store::FitRecord f;
  f.name = name;
  f.law = law.family->name();
  f.result = {{"law", law.toJson()}};
  return f;
}

TEST(StoreLaws, TheLatestFitOfANameWins) {
  qid::test::TempDir tmp;
  qid::store::Project project(tmp / "fits.qidlab");
  ASSERT_EQ(qid::laws::loadLaw("ouyang2025-unified").paramNames().front(), "k");
  project.saveFit(fitRecord("study unified", 0.01));
  project.saveFit(fitRecord("other", 0.03));
  project.saveFit(fitRecord("study unified", 0.02));
  const QVector<LawPtr> laws = storeLaws(project);
  ASSERT_EQ(laws.size(), 2);
  EXPECT_EQ(laws[0]->name(), QStringLiteral("other"));
  EXPECT_EQ(laws[1]->name(), QStringLiteral("study unified"));
  EXPECT_DOUBLE_EQ(laws[1]->params().front().value, 0.02);
}

}  // namespace
}  // namespace qid::ui
