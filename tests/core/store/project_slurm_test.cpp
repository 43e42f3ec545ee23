// The project's Slurm array records (schema v3).
#include <gtest/gtest.h>

#include "common/error.h"
#include "store/project.h"
#include "test_support.h"

using namespace qid::store;

TEST(ProjectSlurm, ArraysAndSubmissionsRoundTrip) {
  qid::test::TempDir tmp;
  SlurmArrayRecord a;
  a.planName = "tiny";
  a.arraySize = 3;
  a.resultsDir = "/shared/r";
  a.logDir = "/shared/r/.qidlab-slurm/x/logs";
  a.planCopy = "/shared/r/.qidlab-slurm/x/plan.json";
  a.cliBinary = "/opt/qidlab-cli";
  a.options = {{"partition", "gpu"}, {"max_running", 2}};
  a.shards = {{"c0", "c3"}, {"c1"}, {"c2"}};
  a.submissions.push_back({0, "41", "0-2", "/shared/r/.qidlab-slurm/x/submit.sbatch", "submit", ""});
  std::int64_t id;
  {
    Project p(tmp / "p.qidlab");
    id = p.addSlurmArray(a);
    p.addSlurmSubmission(id, {0, "57", "1", "/shared/r/.qidlab-slurm/x/retry-1.sbatch", "retry", ""});
    EXPECT_THROW(p.addSlurmSubmission(id + 7, {0, "58", "1", "s", "retry", ""}), qid::Error);  // no such array
    EXPECT_THROW(p.addSlurmSubmission(id, {0, "59", "1", "s", "resubmit", ""}), qid::Error);   // bad kind
  }
  Project p(tmp / "p.qidlab", Project::Mode::OpenExisting);
  auto arrays = p.slurmArrays();
  ASSERT_EQ(arrays.size(), 1u);
  const auto& b = arrays[0];
  EXPECT_EQ(b.id, id);
  EXPECT_EQ(b.planName, "tiny");
  EXPECT_EQ(b.arraySize, 3);
  EXPECT_EQ(b.options, a.options);
  EXPECT_EQ(b.shards, a.shards);
  EXPECT_FALSE(b.created.empty());
  ASSERT_EQ(b.submissions.size(), 2u);
  EXPECT_EQ(b.firstJobId(), "41");
  EXPECT_EQ(b.submissions[1].jobId, "57");
  EXPECT_EQ(b.submissions[1].kind, "retry");
  EXPECT_EQ(b.submissions[1].indices, "1");
  EXPECT_FALSE(p.slurmArray(id + 1));
  EXPECT_EQ(p.slurmArray(id)->submissions.size(), 2u);

  // Cells unknown (plans with hub selectors) are stored as NULL.
  SlurmArrayRecord c = a;
  c.shards = nullptr;
  c.submissions.clear();
  auto cid = p.addSlurmArray(c);
  EXPECT_TRUE(p.slurmArray(cid)->shards.is_null());
}
