#include "store/project.h"

#include <gtest/gtest.h>

#include <thread>

#include "common/error.h"
#include "store/schema.h"
#include "store/sqlite_db.h"
#include "test_support.h"

using namespace qid::store;

namespace {

Measurement sample(const std::string& cell, int bits, const std::string& method = "gptq") {
  Measurement m;
  m.cellId = cell;
  m.modelId = "pythia-70m";
  m.revision = "step1000";
  m.checkpointId = "ck-" + cell.substr(0, 1);
  m.N = 1.9e7;
  m.Ntotal = 7e7;
  m.D = 2.097152e9;
  m.step = 1000;
  m.method = method;
  m.bits = bits;
  m.groupSize = 128;
  m.methodOptions = {{"damp", 0.1}};
  m.evalHash = "abc";
  m.recipe = "gptq-paper@1";
  m.seqlen = 2048;
  m.windows = 3;
  m.tokenCount = 6141;
  m.loss16 = 3.5;
  m.lossq = 3.5 + 1.0 / bits;
  m.delta = 1.0 / bits;
  m.stderr_ = 0.01;
  m.windowNllq = {3.6f, 3.7f, 3.8f};
  m.perLayer = nlohmann::json::array({{{"name", "layers.0.mlp"}, {"rel_error", 0.02}}});
  m.manifest = {{"tool_version", "0.1.0"}};
  return m;
}

}  // namespace

TEST(ProjectStore, CreatesLatestSchemaInWalMode) {
  qid::test::TempDir tmp;
  Project p(tmp / "a.qidlab");
  EXPECT_EQ(p.schemaVersion(), latestSchemaVersion());
  EXPECT_GE(latestSchemaVersion(), 4);  // v3: slurm_arrays, v4: weight_fluctuations
  EXPECT_EQ(p.integrityCheck(), "ok");
  Db raw((tmp / "a.qidlab").string(), false);
  Statement st(raw, "PRAGMA journal_mode");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.getText(0), "wal");
}

TEST(ProjectStore, MeasurementRoundTripAndIdempotentInsert) {
  qid::test::TempDir tmp;
  Project p(tmp / "a.qidlab");
  EXPECT_TRUE(p.insertMeasurement(sample("c1", 3)));
  EXPECT_FALSE(p.insertMeasurement(sample("c1", 3)));
  EXPECT_EQ(p.measurementCount(), 1);
  auto rows = p.measurements({}, false, true);
  ASSERT_EQ(rows.size(), 1u);
  const auto& m = rows[0];
  EXPECT_EQ(m.method, "gptq");
  EXPECT_EQ(m.bits, 3);
  EXPECT_DOUBLE_EQ(*m.lossq, 3.5 + 1.0 / 3);
  EXPECT_EQ(m.methodOptions["damp"], 0.1);
  EXPECT_EQ(m.windowNllq, (std::vector<float>{3.6f, 3.7f, 3.8f}));
  EXPECT_EQ(m.perLayer[0]["name"], "layers.0.mlp");
  EXPECT_EQ(*m.step, 1000);
}

TEST(ProjectStore, FilterSelectsRows) {
  qid::test::TempDir tmp;
  Project p(tmp / "a.qidlab");
  int k = 0;
  for (int bits : {2, 3, 4})
    for (const char* method : {"gptq", "rtn"}) p.insertMeasurement(sample(std::to_string(k++) + "c", bits, method));
  EXPECT_EQ(p.measurements(MeasurementFilter::parse("bits=3,method=gptq")).size(), 1u);
  EXPECT_EQ(p.measurements(MeasurementFilter::parse("bits=2|3")).size(), 4u);
  EXPECT_EQ(p.measurements(MeasurementFilter::parse("bits>=3, method!=rtn")).size(), 2u);
  EXPECT_EQ(p.measurements(MeasurementFilter::parse("")).size(), 6u);
  EXPECT_THROW(MeasurementFilter::parse("colour=red"), qid::Error);
  EXPECT_THROW(MeasurementFilter::parse("bits=three"), qid::Error);
  EXPECT_THROW(MeasurementFilter::parse("bits"), qid::Error);
  try {
    MeasurementFilter::parse("bits=3,colour=red");
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("colour"), std::string::npos);
  }
}

TEST(ProjectStore, CellsPlansFitsAndCommit) {
  qid::test::TempDir tmp;
  Project p(tmp / "a.qidlab");
  auto id = p.createPlan("demo", {{"name", "demo"}}, {{"x", 1}});
  auto cell = [&](const std::string& cid, int idx) {
    CellRecord c;
    c.cellId = cid;
    c.planId = id;
    c.index = idx;
    c.spec = {{"bits", idx + 2}};
    return c;
  };
  p.registerCells(id, {cell("c1", 0), cell("c2", 1)});
  p.registerCells(id, {cell("c1", 0)});
  EXPECT_EQ(p.cells(id).size(), 2u);
  p.setCellState("c2", CellState::Running);
  p.setCellState("c2", CellState::Failed, "boom");
  ModelRecord model{"ck-c", "content", "h1", "m", "/x", "", 1e7, 2e7, 1e9, 1000, std::nullopt, ""};
  Baseline b;
  b.key = "bk";
  b.checkpointId = "ck-c";
  b.loss16 = 3.5;
  b.windowNll = {1.f, 2.f};
  EXPECT_TRUE(p.commitCell(sample("c1", 2), model, b));
  EXPECT_FALSE(p.commitCell(sample("c1", 2), model, b));
  auto states = p.cellStates(id);
  EXPECT_EQ(states["c1"], CellState::Done);
  EXPECT_EQ(states["c2"], CellState::Failed);
  auto cells = p.cells(id);
  EXPECT_EQ(cells[1].error, "boom");
  EXPECT_EQ(cells[1].attempts, 1);
  ASSERT_TRUE(p.findBaseline("bk"));
  EXPECT_EQ(p.findBaseline("bk")->windowNll, (std::vector<float>{1.f, 2.f}));
  ASSERT_TRUE(p.findModel("ck-c"));
  EXPECT_EQ(*p.findModel("ck-c")->step, 1000);

  FitRecord f;
  f.name = "unified";
  f.law = "ouyang-unified";
  f.params = {{"k", 0.017}};
  p.saveFit(f);
  ASSERT_EQ(p.fits().size(), 1u);
  EXPECT_EQ(p.fits()[0].params["k"], 0.017);
}

TEST(ProjectStore, DuplicateRevisionsAreFlaggedAndLeftOutOfFits) {
  qid::test::TempDir tmp;
  Project p(tmp / "a.qidlab");
  p.upsertModel({"ckA", "hf-commit", "same", "pythia", "r@step1000", "step1000", {}, {}, {}, 1000, {}, ""});
  p.upsertModel({"ckB", "hf-commit", "same", "pythia", "r@main", "main", {}, {}, {}, 143000, {}, ""});
  p.upsertModel({"ckC", "hf-commit", "other", "pythia", "r@step2000", "step2000", {}, {}, {}, 2000, {}, ""});
  auto a = sample("a1", 3), b = sample("b1", 3), c = sample("c9", 3);
  a.checkpointId = "ckA";
  b.checkpointId = "ckB";
  c.checkpointId = "ckC";
  p.insertMeasurement(a);
  p.insertMeasurement(b);
  p.insertMeasurement(c);
  EXPECT_EQ(p.refreshDuplicates(), 1);
  EXPECT_EQ(p.findModel("ckA")->duplicateOf, "ckB@step143000");
  EXPECT_EQ(p.measurements({}, true).size(), 2u);
  EXPECT_EQ(p.measurements({}, false).size(), 3u);
  EXPECT_EQ(p.measurements(MeasurementFilter::parse("duplicate=include"), true).size(), 3u);
}

TEST(ProjectStore, ReadersDoNotBlockAWriterInATransaction) {
  qid::test::TempDir tmp;
  Project writer(tmp / "a.qidlab");
  writer.insertMeasurement(sample("c1", 3));
  Db raw((tmp / "a.qidlab").string(), false, 100);
  raw.exec("BEGIN IMMEDIATE");
  raw.exec("INSERT INTO fits (name, law, params) VALUES ('x','y','{}')");
  // A reader on another connection sees the committed state while the write is open.
  Project reader(tmp / "a.qidlab", Project::Mode::OpenExisting);
  EXPECT_EQ(reader.measurementCount(), 1);
  EXPECT_TRUE(reader.fits().empty());
  raw.exec("COMMIT");
  EXPECT_EQ(reader.fits().size(), 1u);
}

TEST(ProjectStore, BadFilesGiveClearErrors) {
  qid::test::TempDir tmp;
  EXPECT_THROW(Project(tmp / "missing.qidlab", Project::Mode::OpenExisting), qid::Error);
  qid::test::writeFile(tmp / "junk.qidlab", std::string(4096, 'x'));
  try {
    Project p(tmp / "junk.qidlab");
    FAIL() << "opened a junk file";
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("junk.qidlab"), std::string::npos) << e.what();
  }
}

TEST(ProjectStore, Base64AndFloatPacking) {
  std::vector<float> v{0.f, -1.5f, 3.25f, 1e-20f};
  EXPECT_EQ(unpackFloats(base64Decode(base64Encode(packFloats(v)))), v);
  EXPECT_EQ(base64Encode({'M', 'a'}), "TWE=");
  EXPECT_THROW(base64Decode("a$b"), qid::Error);
  EXPECT_THROW(unpackFloats({1, 2, 3}), qid::Error);
}
