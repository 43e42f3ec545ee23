#include <gtest/gtest.h>

#include "common/error.h"
#include "laws/law_data.h"
#include "laws/law_family.h"

using namespace qid::laws;

namespace {
std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const qid::Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(LawData, ParsesCommentsQuotesAndSeparators) {
  DataTable t = parseCsv("# comment\nN,D,\"bits\",delta_q_loss\n1e9,2e11,3,0.1\n\n2e9,2e11,4,0.05\n", "a.csv");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t.columns[2], "bits");
  EXPECT_EQ(t.lines[1], 5);
  DataTable s = parseCsv("x;y\n1;2\n", "b.csv");
  EXPECT_EQ(s.columns.size(), 2u);
}

TEST(LawData, MalformedCsvNamesFileAndLine) {
  EXPECT_EQ(errorOf([] { parseCsv("N,D\n1,2\n3\n", "m.csv"); }),
            "m.csv line 3: 1 cells, but the header has 2 columns");
  EXPECT_EQ(errorOf([] { parseCsv("N,N\n1,2\n", "d.csv"); }), "d.csv line 1: duplicate column 'N'");
  EXPECT_NE(errorOf([] { parseCsv("", "e.csv"); }).find("e.csv: no header row"), std::string::npos);
  EXPECT_NE(errorOf([] { readCsv("/no/such/file.csv"); }).find("/no/such/file.csv: cannot open"),
            std::string::npos);
}

TEST(LawData, BindingNamesMissingColumnsBadCellsAndNonPositiveValues) {
  auto family = makeFamily("ouyang-unified");
  DataTable noBits = parseCsv("N,D,delta_q_loss\n1e9,1e11,0.1\n", "nb.csv");
  EXPECT_NE(errorOf([&] { bindFitData(noBits, *family, {}); }).find("nb.csv: missing column 'bits'"),
            std::string::npos);
  DataTable noY = parseCsv("N,D,bits\n1e9,1e11,3\n", "ny.csv");
  EXPECT_NE(errorOf([&] { bindFitData(noY, *family, {}); }).find("ny.csv: missing column 'delta_q_loss'"),
            std::string::npos);
  DataTable bad = parseCsv("N,D,bits,delta_q_loss\n1e9,1e11,3,0.1\n1e9,abc,3,0.1\n", "bad.csv");
  EXPECT_EQ(errorOf([&] { bindFitData(bad, *family, {}); }),
            "bad.csv line 3: column 'D' holds 'abc', not a number");
  DataTable zero = parseCsv("N,D,bits,delta_q_loss\n1e9,1e11,3,0.1\n1e9,1e11,3,0\n", "z.csv");
  EXPECT_NE(errorOf([&] { bindFitData(zero, *family, {}); }).find("z.csv line 3: delta_q_loss=0 is not positive"),
            std::string::npos);
  DataTable negN = parseCsv("N,D,bits,delta_q_loss\n-1e9,1e11,3,0.1\n", "n.csv");
  EXPECT_NE(errorOf([&] { bindFitData(negN, *family, {}); }).find("n.csv line 2: N=-1e+09 is not positive"),
            std::string::npos);
}

TEST(LawData, DeltaFromLossColumnsAndInMemoryTables) {
  auto family = makeFamily("ouyang-unified");
  DataTable t = parseCsv("N,D,bits,loss16,lossq,model\n1e9,1e11,3,3.0,3.25,pythia-1b\n", "l.csv");
  FitData d = bindFitData(t, *family, {});
  ASSERT_EQ(d.y.size(), 1u);
  EXPECT_NEAR(d.y[0], 0.25, 1e-12);
  DataTable m;
  m.addRow({{"N", 1e9}, {"D", 1e11}, {"P", 3}, {"delta_q_loss", 0.2}});
  m.addRow({{"N", 2e9}, {"D", 1e11}, {"P", 3}, {"delta_q_loss", 0.1}});
  FitData e = bindFitData(m, *family, {});
  EXPECT_EQ(e.x[1][0], 2e9);
}
