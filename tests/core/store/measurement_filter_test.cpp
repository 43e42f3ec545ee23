#include "store/measurement_filter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "common/error.h"
#include "store/project.h"
#include "test_support.h"

using namespace qid::store;

namespace {

std::string errorOf(const std::string& text) {
  try {
    MeasurementFilter::parse(text);
  } catch (const qid::Error& e) {
    return e.what();
  }
  return "";
}

Measurement row(const std::string& id, const std::string& model, const std::string& method, int bits, double N,
                double D, std::int64_t step) {
  Measurement m;
  m.cellId = id;
  m.modelId = model;
  m.method = method;
  m.bits = bits;
  m.groupSize = 128;
  m.N = N;
  m.D = D;
  m.step = step;
  m.delta = 1.0 / bits;
  m.recipe = "gptq-paper";
  m.evalDataset = "/data/wikitext/wiki.test.raw";
  m.evalHash = "sha256:abc";
  m.timestamp = "2025-01-0" + std::to_string(bits) + "T00:00:00Z";
  return m;
}

}  // namespace

TEST(MeasurementFilter, ParsesTermsAliasesAndSuffixes) {
  auto f = MeasurementFilter::parse(" bits = 2|3 , method=GPTQ, N>=70M, D<2.1B, group=128, model=pythia-*");
  ASSERT_EQ(f.terms.size(), 6u);
  EXPECT_EQ(f.terms[0].key, "bits");
  EXPECT_EQ(f.terms[0].values, (std::vector<std::string>{"2", "3"}));
  EXPECT_EQ(f.terms[1].values[0], "gptq");  // method names compare in lower case
  EXPECT_EQ(f.terms[2].key, "N");
  EXPECT_EQ(f.terms[2].op, ">=");
  EXPECT_DOUBLE_EQ(std::stod(f.terms[2].values[0]), 7e7);
  EXPECT_DOUBLE_EQ(std::stod(f.terms[3].values[0]), 2.1e9);
  EXPECT_EQ(f.terms[4].key, "group_size");
  EXPECT_EQ(f.terms[5].key, "model_id");
  EXPECT_EQ(MeasurementFilter::parse("n>1e5,d<=1e9,steps>0,delta>0,P=3").terms[4].key, "bits");
  EXPECT_TRUE(MeasurementFilter::parse("").terms.empty());
  EXPECT_TRUE(MeasurementFilter::parse(" , ").terms.empty());
  EXPECT_EQ(MeasurementFilter::parse("duplicate=include").duplicates, DuplicatePolicy::Include);
  EXPECT_EQ(MeasurementFilter::parse("duplicates=only").duplicates, DuplicatePolicy::Only);
  EXPECT_EQ(MeasurementFilter::parse("duplicate=no").duplicates, DuplicatePolicy::Exclude);
  EXPECT_EQ(MeasurementFilter::parse("timestamp>=2025-01-02").terms[0].op, ">=");
  for (const char* key : {"model", "method", "bits", "group", "N", "D", "step", "dataset", "recipe"})
    EXPECT_NE(std::find(MeasurementFilter::fieldNames().begin(), MeasurementFilter::fieldNames().end(), key),
              MeasurementFilter::fieldNames().end())
        << key;
}

TEST(MeasurementFilter, BadInputNamesTheTermAndTheProblem) {
  auto expect = [](const std::string& text, const std::vector<std::string>& needles) {
    std::string err = errorOf(text);
    ASSERT_FALSE(err.empty()) << "accepted: " << text;
    for (const auto& n : needles) EXPECT_NE(err.find(n), std::string::npos) << err;
  };
  expect("colour=red", {"'colour=red'", "unknown field 'colour'", "known:", "bits", "method"});
  expect("bits=3,colour=red", {"colour"});
  expect("bits=three", {"'three' is not a number"});
  expect("N>=70X", {"'70X' is not a number"});
  expect("D<", {"empty value"});
  expect("bits=2|", {"empty value"});
  expect("bits", {"not FIELD=VALUE"});
  expect("=3", {"not FIELD=VALUE"});
  expect("bits==3", {"malformed operator"});
  expect("bits<2|3", {"alternatives"});
  expect("method<gptq", {"'<' needs a numeric field", "method is text"});
  expect("duplicate=maybe", {"include, exclude or only"});
  expect("bits!3", {"no valid operator"});
  EXPECT_THROW(parseScaledNumber("1e999", "x"), qid::Error);
  EXPECT_DOUBLE_EQ(parseScaledNumber("1.5k", "x"), 1500);
  EXPECT_DOUBLE_EQ(parseScaledNumber("2T", "x"), 2e12);
  EXPECT_DOUBLE_EQ(parseScaledNumber("3G", "x"), 3e9);
}

// The SQL WHERE and matches() must select the same rows.
TEST(MeasurementFilter, SqlAndInMemoryAgree) {
  qid::test::TempDir tmp;
  Project p(tmp / "f.qidlab");
  std::vector<Measurement> rows;
  int k = 0;
  for (const char* model : {"pythia-70m", "pythia-160m", "tiny"})
    for (const char* method : {"gptq", "rtn", "awq"})
      for (int bits : {2, 3, 4}) {
        auto m = row("c" + std::to_string(k), model, method, bits, 1e7 * (1 + k % 5), 2e9 * (1 + k % 4), 1000 * (k % 4));
        if (k % 7 == 0) m.groupSize.reset();
        if (k % 11 == 0) m.N.reset();
        if (k % 5 == 0) m.evalDataset = "other/eval.txt";
        if (k % 9 == 0) m.duplicateOf = "ck@step143000";
        if (k % 6 == 0 && m.method == "gptq") m.method = "GPTQ";  // compared caselessly
        if (k % 3 == 1) m.recipe = "gptq-paper@1";                  // as sweeps record it
        if (k % 3 == 2) m.recipe = "llamacpp@1";
        ++k;
        rows.push_back(m);
        p.insertMeasurement(m);
      }
  const std::vector<std::string> filters{
      "",
      "bits=3",
      "bits=2|3,method=gptq",
      "method!=rtn",
      "method=GPTQ",
      "N>=3e7",
      "N!=1e7",
      "N<30M,D>=4B",
      "group_size=128",
      "group!=128",
      "model=pythia-*",
      "model=*m,bits<=3",
      "model!=pythia-*|tiny",
      "dataset=wiki.test.raw",
      "dataset=sha256:abc,bits=4",
      "dataset=other/*",
      "dataset=/data/wikitext/wiki.test.raw",
      "step>0,step<3000",
      "delta>0.3",
      "timestamp>=2025-01-03",
      "duplicate=include",
      "duplicate=only",
      "duplicate=exclude,bits=2",
      "cell=c1*",
      "recipe=gptq-paper",
      "recipe=gptq-paper@1",
      "recipe=llamacpp|gptq-paper@1",
      "recipe!=llamacpp",
      "recipe=gptq*",
  };
  for (bool forFit : {false, true})
    for (const auto& text : filters) {
      auto f = MeasurementFilter::parse(text);
      std::set<std::string> sql, mem;
      for (const auto& m : p.measurements(f, forFit)) sql.insert(m.cellId);
      for (const auto& m : rows)
        if (f.matches(m, forFit)) mem.insert(m.cellId);
      EXPECT_EQ(sql, mem) << "filter '" << text << "' forFit " << forFit;
    }
  // A few exact counts, so that agreement is not agreement on nothing.
  EXPECT_EQ(p.measurements(MeasurementFilter::parse("bits=3")).size(), 9u);
  EXPECT_EQ(p.measurements(MeasurementFilter::parse("model=pythia-*")).size(), 18u);
  EXPECT_EQ(p.measurements(MeasurementFilter::parse("method=gptq")).size(), 9u);
  EXPECT_EQ(p.measurements(MeasurementFilter::parse("dataset=wiki.test.raw")).size(), 27u - 6u);
  size_t dups = 0;
  for (const auto& m : rows) dups += m.duplicateOf.empty() ? 0 : 1;
  EXPECT_EQ(p.measurements(MeasurementFilter::parse("duplicate=only")).size(), dups);
  EXPECT_EQ(p.measurements({}, true).size(), rows.size() - dups);
  EXPECT_EQ(p.measurements({}, false).size(), rows.size());
  // A recipe without a version matches every version, and the unversioned name.
  EXPECT_EQ(p.measurements(MeasurementFilter::parse("recipe=gptq-paper")).size(), 18u);
  EXPECT_EQ(p.measurements(MeasurementFilter::parse("recipe=gptq-paper@1")).size(), 9u);
  EXPECT_EQ(p.measurements(MeasurementFilter::parse("recipe=llamacpp")).size(), 9u);
  EXPECT_EQ(p.measurements(MeasurementFilter::parse("recipe=llamacpp@2")).size(), 0u);
}
