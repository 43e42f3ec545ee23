// CSV and JSON import/export of measurements: round trips, idempotence and
// bad files.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

#include "common/error.h"
#include "store/csv_records.h"
#include "store/measurement_columns.h"
#include "store/measurement_csv.h"
#include "store/measurement_import.h"
#include "store/measurement_json.h"
#include "store/result_file.h"
#include "store/project.h"
#include "support/fake_sweep.h"
#include "test_support.h"

// GCC 12 reports a false -Wrestrict inside std::string for "literal" + string
// (GCC bug 105651).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

using namespace qid::store;
using qid::test::TempDir;
using qid::test::writeFile;
namespace fs = std::filesystem;

namespace {

qid::test::FakeSweepSpec smallSpec() {
  qid::test::FakeSweepSpec s;
  s.hidden = {32, 64};
  s.steps = {1000, 4000};
  s.methods = nlohmann::json::array({{{"method", "gptq"}, {"bits", {2, 3}}, {"group", 128}, {"options", {{"damp", 0.1}}}},
                                     {{"method", "rtn"}, {"bits", {4}}}});
  s.windows = 6;
  return s;
}

std::string errorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const qid::Error& e) {
    return e.what();
  }
  return "";
}

const char* kHeader = "model_id,N,D,step,method,bits,group_size,delta_q_loss,stderr\n";

}  // namespace

TEST(CsvRecords, QuotesEscapesLineBreaksAndComments) {
  auto r = parseCsvRecords("a,b,c\r\n# comment\n\n1, \"x,\"\"y\"\"\" ,3\n\"multi\nline\",,\"\"\n4,5,6", "t.csv");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].cells, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(r[1].line, 4);
  EXPECT_EQ(r[1].cells, (std::vector<std::string>{"1", "x,\"y\"", "3"}));
  EXPECT_EQ(r[2].cells, (std::vector<std::string>{"multi\nline", "", ""}));
  EXPECT_EQ(r[3].line, 7);
  EXPECT_EQ(r[3].cells, (std::vector<std::string>{"4", "5", "6"}));
  EXPECT_EQ(parseCsvRecords("a,\n", "t")[0].cells.size(), 2u);
  std::string err = errorOf([] { parseCsvRecords("a,b\n1,\"open\n", "t.csv"); });
  EXPECT_NE(err.find("t.csv line 2"), std::string::npos) << err;
  EXPECT_NE(errorOf([] { parseCsvRecords("a\n\"x\"y\n", "t.csv"); }).find("after the closing quote"), std::string::npos);
  for (const std::string v : {"plain", "with,comma", "with \"quote\"", "line\nbreak", " padded ", ""})
    EXPECT_EQ(parseCsvRecords(csvLine({v, "z"}) + "\n", "t")[0].cells[0], v);
}

TEST(MeasurementColumns, NumbersReadBackExactly) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-30, 30);
  for (int i = 0; i < 2000; ++i) {
    double v = std::exp(u(rng)) * (i % 2 ? -1 : 1);
    EXPECT_EQ(std::strtod(exactNumber(v).c_str(), nullptr), v) << exactNumber(v);
  }
  EXPECT_EQ(exactNumber(0.1), "0.1");
  EXPECT_EQ(exactNumber(2097152000), "2097152000");
  EXPECT_EQ(findMeasurementColumn("model")->name, "model_id");
  EXPECT_EQ(findMeasurementColumn("n")->name, "N");
  EXPECT_EQ(findMeasurementColumn("colour"), nullptr);
}

TEST(MeasurementExport, JsonRoundTripKeepsEveryField) {
  TempDir tmp;
  ASSERT_EQ(qid::test::runFakeSweep(tmp / "a.qidlab", tmp.path(), smallSpec()), 12);
  Project a(tmp / "a.qidlab");
  auto rowsA = a.measurements({}, false, true);
  ASSERT_EQ(rowsA.size(), 12u);
  std::string docA = measurementsDocument(a, rowsA, "").dump(1);
  writeFile(tmp / "a.json", docA);

  Project b(tmp / "b.qidlab");
  auto rep = importMeasurementsFile(b, tmp / "a.json");
  EXPECT_EQ(rep.rows, 12);
  EXPECT_EQ(rep.added, 12);
  EXPECT_EQ(rep.models, 4);
  EXPECT_EQ(rep.baselines, 4);
  auto rowsB = b.measurements({}, false, true);
  EXPECT_EQ(measurementsDocument(b, rowsB, "").dump(1), docA);
  ASSERT_EQ(rowsB.size(), rowsA.size());
  for (size_t i = 0; i < rowsA.size(); ++i) {
    EXPECT_EQ(toJson(rowsA[i]), toJson(rowsB[i]));
    EXPECT_EQ(rowsA[i].windowNllq, rowsB[i].windowNllq);
    EXPECT_FALSE(rowsB[i].perLayer.empty());
    EXPECT_EQ(rowsB[i].manifest, rowsA[i].manifest);
    EXPECT_EQ(rowsB[i].origin, "local");  // the record's own origin travels with it
    ASSERT_TRUE(b.findBaseline(rowsB[i].baselineKey));
    EXPECT_EQ(b.findBaseline(rowsB[i].baselineKey)->windowNll, a.findBaseline(rowsA[i].baselineKey)->windowNll);
  }
  // Idempotent.
  auto again = importMeasurementsFile(b, tmp / "a.json");
  EXPECT_EQ(again.added, 0);
  EXPECT_EQ(again.alreadyThere, 12);
  EXPECT_EQ(b.measurementCount(), 12);
  EXPECT_EQ(b.integrityCheck(), "ok");
}

TEST(MeasurementExport, CsvRoundTripKeepsTheScalarFields) {
  TempDir tmp;
  qid::test::runFakeSweep(tmp / "a.qidlab", tmp.path(), smallSpec());
  Project a(tmp / "a.qidlab");
  auto rowsA = a.measurements();
  std::string csvA = measurementsCsv(rowsA);
  EXPECT_EQ(csvA.substr(0, csvA.find('\n')), csvLine(measurementColumnNames()));
  writeFile(tmp / "a.csv", csvA);
  Project b(tmp / "b.qidlab");
  EXPECT_EQ(importMeasurementsFile(b, tmp / "a.csv").added, 12);
  auto rowsB = b.measurements();
  EXPECT_EQ(measurementsCsv(rowsB), csvA);
  ASSERT_EQ(rowsB.size(), rowsA.size());
  for (size_t i = 0; i < rowsA.size(); ++i)
    for (const auto& c : measurementColumns()) EXPECT_EQ(c.get(rowsA[i]), c.get(rowsB[i])) << c.name;
  EXPECT_EQ(rowsB[0].methodOptions, rowsA[0].methodOptions);
  EXPECT_DOUBLE_EQ(*rowsB[0].D, *rowsA[0].D);
  EXPECT_EQ(importMeasurementsFile(b, tmp / "a.csv").added, 0);
  EXPECT_EQ(b.measurementCount(), 12);
}

TEST(MeasurementImport, RowsWithoutCellIdsGetDeterministicIds) {
  TempDir tmp;
  writeFile(tmp / "p.csv", std::string(kHeader) +
                               "pythia-70m,1.9e7,2.1e9,1000,GPTQ,3,128,0.25,0.01\n"
                               "pythia-70m,1.9e7,2.1e9,1000,gptq,4,128,0.05,\n"
                               "pythia-70m,1.9e7,2.1e9,1000,gptq,4,128,0.05,\n");
  Project p(tmp / "p.qidlab");
  auto rep = importMeasurementsFile(p, tmp / "p.csv");
  EXPECT_EQ(rep.rows, 3);
  EXPECT_EQ(rep.added, 2);  // the repeated row is the same measurement
  auto first = p.measurements();
  EXPECT_EQ(importMeasurementsFile(p, tmp / "p.csv").added, 0);
  Project q(tmp / "q.qidlab");
  importMeasurementsFile(q, tmp / "p.csv");
  auto other = q.measurements();
  ASSERT_EQ(first.size(), 2u);
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].cellId, other[i].cellId);
    EXPECT_EQ(first[i].cellId.rfind("row-", 0), 0u);
    EXPECT_EQ(first[i].origin, "import");
  }
  EXPECT_NE(first[0].cellId, first[1].cellId);
  EXPECT_EQ(first[0].method, "gptq");  // normalised
  EXPECT_FALSE(first[1].stderr_);
  // delta from loss16 and lossq when the column is absent.
  writeFile(tmp / "l.csv", "method,bits,loss16,lossq\nrtn,2,3.0,3.5\n");
  importMeasurementsFile(q, tmp / "l.csv");
  EXPECT_EQ(q.measurements(MeasurementFilter::parse("method=rtn"))[0].delta, 0.5);
}

TEST(MeasurementImport, BadFilesNameFileRowAndColumnAndImportNothing) {
  TempDir tmp;
  Project p(tmp / "p.qidlab");
  const std::string good = "pythia,1e7,1e9,100,gptq,3,128,0.2,0.01\n";
  auto expectBad = [&](const std::string& name, const std::string& content, const std::vector<std::string>& needles) {
    writeFile(tmp / name, content);
    std::string err = errorOf([&] { importMeasurementsFile(p, tmp / name); });
    ASSERT_FALSE(err.empty()) << name << " was accepted";
    EXPECT_EQ(err.find('\n'), std::string::npos) << err;
    EXPECT_NE(err.find((tmp / name).string()), std::string::npos) << err;
    for (const auto& n : needles) EXPECT_NE(err.find(n), std::string::npos) << err;
    EXPECT_EQ(p.measurementCount(), 0) << name;
  };
  expectBad("nomethod.csv", "model_id,bits,delta_q_loss\npythia,3,0.2\n", {"missing column 'method'"});
  expectBad("nodelta.csv", "method,bits,loss16\ngptq,3,3.2\n", {"missing column 'delta_q_loss'"});
  expectBad("text.csv", std::string(kHeader) + good + "pythia,1e7,1e9,100,gptq,three,128,0.2,0.01\n",
            {"row 2 (line 3)", "column 'bits'", "'three' is not an integer"});
  expectBad("nan.csv", std::string(kHeader) + good + good + "pythia,1e7,lots,100,gptq,3,128,0.2,0.01\n",
            {"row 3 (line 4)", "column 'D'", "'lots' is not a number"});
  expectBad("method.csv", std::string(kHeader) + good + "pythia,1e7,1e9,100,magic,3,128,0.2,0.01\n",
            {"row 2", "column 'method'", "unknown quantization method 'magic'"});
  expectBad("bits.csv", std::string(kHeader) + "pythia,1e7,1e9,100,gptq,40,128,0.2,0.01\n",
            {"row 1", "column 'bits'", "outside 1-16"});
  expectBad("cells.csv", std::string(kHeader) + good + "pythia,1e7,1e9\n", {"row 2", "3 cells", "9 columns"});
  expectBad("unknown.csv", "method,bits,delta_q_loss,colour\ngptq,3,0.2,red\n", {"unknown column 'colour'"});
  expectBad("twice.csv", "method,bits,delta,delta_q_loss\ngptq,3,0.2,0.2\n", {"'delta_q_loss' appears twice"});
  expectBad("empty.csv", "# nothing\n", {"no header row"});
  expectBad("emptybits.csv", std::string(kHeader) + "pythia,1e7,1e9,100,gptq,,128,0.2,0.01\n",
            {"column 'bits'", "empty"});
  expectBad("options.csv", "method,bits,delta_q_loss,method_options\ngptq,3,0.2,{damp\n", {"column 'method_options'", "not JSON"});
  expectBad("bad.json", "{\"measurements\": [", {"invalid JSON"});
  expectBad("shape.json", "{\"rows\": []}", {"not a measurements file"});
  expectBad("field.json",
            R"([{"method":"gptq","bits":3,"delta_q_loss":0.1},{"cell_id":"x1","method":"gptq","bits":"3","delta_q_loss":0.1}])",
            {"measurements[1] (cell x1)", "'bits'"});
  expectBad("jmethod.json", R"([{"method":"zip","bits":3,"delta_q_loss":0.1}])",
            {"measurements[0]", "field 'method'", "unknown quantization method"});
  expectBad("clash.json",
            R"([{"cell_id":"c","method":"gptq","bits":3,"delta_q_loss":0.1},{"cell_id":"c","method":"gptq","bits":3,"delta_q_loss":0.2}])",
            {"share cell id c"});
  expectBad("version.json", R"({"format":"qidlab-measurements","version":7,"measurements":[]})", {"version 7"});
  std::string missing = errorOf([&] { importMeasurementsFile(p, tmp / "nope.csv"); });
  EXPECT_NE(missing.find("nope.csv"), std::string::npos);
}

TEST(MeasurementImport, DuplicateFlagsFromCsvSurviveARefresh) {
  TempDir tmp;
  writeFile(tmp / "d.csv", "cell_id,checkpoint_id,step,method,bits,delta_q_loss,duplicate_of\n"
                           "a,ckA,1000,gptq,3,0.2,ckB@step143000\n"
                           "b,ckB,143000,gptq,3,0.3,\n");
  Project p(tmp / "p.qidlab");
  importMeasurementsFile(p, tmp / "d.csv");
  p.refreshDuplicates();
  EXPECT_EQ(p.measurements({}, true).size(), 1u);
  EXPECT_EQ(p.measurements({}, false).size(), 2u);
}

TEST(MeasurementImport, AResultFileImportsAsOneMeasurement) {
  TempDir tmp;
  auto spec = smallSpec();
  spec.hidden = {32};
  spec.steps = {1000};
  qid::test::runFakeSweep(tmp / "a.qidlab", tmp.path(), spec);
  Project a(tmp / "a.qidlab");
  auto m = a.measurements({}, false, true)[0];
  ResultFile r{"plan", nlohmann::json::object(), a.findModel(m.checkpointId), a.findBaseline(m.baselineKey), m};
  writeFile(tmp / "r.json", toJson(r).dump());
  Project b(tmp / "b.qidlab");
  auto rep = importMeasurementsFile(b, tmp / "r.json");
  EXPECT_EQ(rep.added, 1);
  EXPECT_EQ(rep.baselines, 1);
  EXPECT_EQ(b.measurements()[0].cellId, m.cellId);
}

TEST(MeasurementColumns, KlDivergenceIsAColumnFromTheRunnerDetails) {
  const MeasurementColumn* kl = findMeasurementColumn("kl");
  ASSERT_NE(kl, nullptr);
  EXPECT_EQ(kl->name, "kl_divergence");
  Measurement m;
  EXPECT_EQ(kl->get(m), "");  // not measured: empty, not 0
  m.manifest = {{"runner", "quant"}, {"runner_details", {{"kl_divergence", 0.0123}, {"kl_stderr", 0.001}}}};
  EXPECT_EQ(kl->get(m), "0.0123");
  Measurement back;
  kl->set(back, "0.0123");
  EXPECT_DOUBLE_EQ(back.manifest["runner_details"]["kl_divergence"].get<double>(), 0.0123);
  EXPECT_THROW(kl->set(back, "lots"), qid::Error);
}
