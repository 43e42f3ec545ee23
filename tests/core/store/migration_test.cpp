// A project written by the first schema must keep opening. The fixture
// tests/fixtures/store/project_v1.qidlab was produced by writeV1Fixture below
// (run with QIDLAB_WRITE_FIXTURES=1 to regenerate it) and is kept in git.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "common/error.h"

#include "store/project.h"
#include "store/schema.h"
#include "store/sqlite_db.h"
#include "test_support.h"

using namespace qid::store;
namespace fs = std::filesystem;

namespace {

fs::path fixturePath() { return fs::path(QIDLAB_SOURCE_DIR) / "tests/fixtures/store/project_v1.qidlab"; }

void writeV1Fixture(const fs::path& path) {
  fs::remove(path);
  {
    Db db(path.string(), true);
    migrate(db, 1);
    db.exec(R"SQL(
      INSERT INTO models (checkpoint_id, id_kind, content_hash, name, source, revision, n_params, step, claim)
        VALUES ('ck1', 'content', 'h1', 'tiny', '/models/tiny', 'step8', 1e5, 8, 'step8|8');
      INSERT INTO measurements (cell_id, model_id, checkpoint_id, n_params, tokens, step, method, bits,
        group_size, loss16, lossq, delta_q_loss, stderr, recipe)
        VALUES ('cell-v1', 'tiny', 'ck1', 1e5, 16777216, 8, 'gptq', 3, 128, 5.0, 5.25, 0.25, 0.01, 'gptq-paper@1');
      INSERT INTO plans (name, plan, run) VALUES ('p', '{"name":"p"}', '{}');
      INSERT INTO cells (cell_id, plan_id, idx, spec, state) VALUES ('cell-v1', 1, 0, '{}', 'done');
      INSERT INTO fits (name, law, params) VALUES ('f', 'ouyang-unified', '{"k":0.017}');
      INSERT INTO datasets (hash, path, bytes) VALUES ('dh', '/data/wiki.test.raw', 1290590);
      INSERT INTO baselines (key, checkpoint_id, dataset_hash, recipe, seqlen, windows, loss16, token_count)
        VALUES ('bk1', 'ck1', 'dh', 'gptq-paper@1', 2048, 140, 5.0, 286580);
    )SQL");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    db.exec("PRAGMA journal_mode=DELETE");
  }
}

}  // namespace

TEST(ProjectMigration, RegenerateV1Fixture) {
  const char* env = std::getenv("QIDLAB_WRITE_FIXTURES");
  if (!env || std::string(env) != "1") GTEST_SKIP() << "set QIDLAB_WRITE_FIXTURES=1 to regenerate the v1 fixture";
  writeV1Fixture(fixturePath());
  SUCCEED();
}

TEST(ProjectMigration, V1FixtureOpensAfterSchemaChange) {
  ASSERT_TRUE(fs::exists(fixturePath())) << fixturePath();
  qid::test::TempDir tmp;
  fs::copy_file(fixturePath(), tmp / "old.qidlab");
  {
    Db raw((tmp / "old.qidlab").string(), false);
    EXPECT_EQ(raw.userVersion(), 1);
  }
  Project p(tmp / "old.qidlab", Project::Mode::OpenExisting);
  EXPECT_EQ(p.schemaVersion(), latestSchemaVersion());
  EXPECT_GT(latestSchemaVersion(), 1);
  auto rows = p.measurements();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cellId, "cell-v1");
  EXPECT_DOUBLE_EQ(rows[0].delta, 0.25);
  EXPECT_TRUE(rows[0].duplicateOf.empty());
  EXPECT_EQ(p.fits().size(), 1u);
  EXPECT_EQ(p.findModel("ck1")->name, "tiny");
  EXPECT_EQ(p.refreshDuplicates(), 0);
  EXPECT_EQ(p.cellStates(p.findPlan("p")->id)["cell-v1"], CellState::Done);
  ASSERT_TRUE(p.findBaseline("bk1"));
  EXPECT_DOUBLE_EQ(p.findBaseline("bk1")->loss16, 5.0);
  EXPECT_EQ(p.integrityCheck(), "ok");
}

namespace {
// The schema of every table as SQLite stores it.
std::string schemaOf(const fs::path& file) {
  Db db(file.string(), false);
  Statement st(db, "SELECT type, name, COALESCE(sql, '') FROM sqlite_master ORDER BY type, name");
  std::string out;
  while (st.step()) out += st.getText(0) + " " + st.getText(1) + ": " + st.getText(2) + "\n";
  return out;
}
}  // namespace

// Version 1 is frozen: the kept fixture must have exactly the schema that
// migrating a new file to version 1 gives today. Editing the v1 migration
// instead of adding a new one fails here.
TEST(ProjectMigration, V1MigrationIsFrozen) {
  ASSERT_TRUE(fs::exists(fixturePath())) << fixturePath();
  qid::test::TempDir tmp;
  writeV1Fixture(tmp / "fresh_v1.qidlab");
  fs::copy_file(fixturePath(), tmp / "kept.qidlab");  // opening it must not touch the source tree
  EXPECT_EQ(schemaOf(tmp / "fresh_v1.qidlab"), schemaOf(tmp / "kept.qidlab"));
}

// Every step from version 1 applies to a file written by the generator, and
// the migrated file keeps working: new rows, queries, export of its data.
TEST(ProjectMigration, FreshV1FileMigratesAndTakesNewData) {
  qid::test::TempDir tmp;
  writeV1Fixture(tmp / "v1.qidlab");
  Project p(tmp / "v1.qidlab", Project::Mode::OpenExisting);
  EXPECT_EQ(p.schemaVersion(), latestSchemaVersion());
  ASSERT_TRUE(p.findBaseline("bk1"));
  EXPECT_EQ(p.findBaseline("bk1")->tokenCount, 286580);
  Measurement m;
  m.cellId = "cell-v2";
  m.modelId = "tiny";
  m.method = "rtn";
  m.bits = 4;
  m.delta = 0.05;
  m.duplicateOf = "ck9@step143000";
  EXPECT_TRUE(p.insertMeasurement(m));
  EXPECT_EQ(p.measurements(MeasurementFilter::parse("bits=3|4")).size(), 2u);
  EXPECT_EQ(p.measurements({}, true).size(), 1u);  // the duplicate_of column of v2 works
  EXPECT_EQ(p.cells(p.findPlan("p")->id).size(), 1u);
  EXPECT_EQ(p.integrityCheck(), "ok");
}

TEST(ProjectMigration, NewerSchemaIsRefused) {
  qid::test::TempDir tmp;
  {
    Db db((tmp / "future.qidlab").string(), true);
    db.setUserVersion(latestSchemaVersion() + 5);
  }
  try {
    Project p(tmp / "future.qidlab");
    FAIL();
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos);
  }
}
