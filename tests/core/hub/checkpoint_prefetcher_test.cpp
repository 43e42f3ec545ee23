// Selector resolution and the bounded, budgeted prefetcher, against the fake hub.
#include "hub/checkpoint_prefetcher.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "common/error.h"
#include "hub/checkpoint_resolver.h"
#include "hub/hub_cache.h"
#include "hub/hub_client.h"
#include "hub_test_fixture.h"

namespace qid::test {
namespace {

namespace fs = std::filesystem;
using namespace qid::hub;

class Prefetch : public HubFixture {
 protected:
  std::vector<std::string> commits;
  void SetUp() override {
    HubFixture::SetUp();
    for (int s = 3; s <= 6; ++s) {
      commits.push_back(std::string(39, 'c') + std::to_string(s));
      hub->addCommit(repo, commits.back(), {"step" + std::to_string(s)},
                     {{"config.json", config}, {"model.safetensors", tinySafetensors(100 + s, 40000)}});
    }
  }
  // Polls (bounded: 10 s) until pred holds.
  static bool eventually(const std::function<bool()>& pred) {
    for (int i = 0; i < 500; ++i) {
      if (pred()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return pred();
  }
};

TEST_F(Prefetch, ResolvingPinsCommitsWithoutDownloading) {
  auto r = resolveCheckpoints("hub:org/tiny@step3,step4", clientConfig());
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].commit, commits[0]);
  EXPECT_EQ(r[1].snapshot, repoCache() / "snapshots" / commits[1]);
  EXPECT_EQ(r[0].step, 3);
  EXPECT_FALSE(fs::exists(r[0].snapshot));
  EXPECT_EQ(hub->count({"/api/models/"}), 2);
  EXPECT_EQ(hub->count({"/resolve/"}) + hub->count({"/cdn/"}), 0);
  hub->clearRequests();
  resolveCheckpoints("hub:org/tiny@step3,step4", clientConfig());  // refs answer now
  EXPECT_EQ(hub->requests().size(), 0u);
  auto offline = clientConfig();
  offline.offline = true;
  EXPECT_THROW(resolveCheckpoints("hub:org/tiny@step5", offline), Error);
}

TEST_F(Prefetch, ResolveSelectorDownloadsEverything) {
  auto r = resolveSelector("hub:org/tiny@step1,step2", clientConfig());
  ASSERT_EQ(r.size(), 2u);
  EXPECT_TRUE(snapshotComplete(r[0].snapshot));
  EXPECT_EQ(readFile(r[1].snapshot / "model.safetensors"), st2);
}

TEST_F(Prefetch, FetchesOnlyDepthAheadOfTheHighestAcquired) {
  auto cfg = clientConfig();
  CheckpointPrefetcher pf(cfg, resolveCheckpoints("hub:org/tiny@step3,step4,step5,step6", cfg), {1, 0});
  fs::path first = pf.acquire(0);
  EXPECT_TRUE(snapshotComplete(first));
  EXPECT_TRUE(eventually([&] { return snapshotComplete(pf.checkpoint(1).snapshot); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(fs::exists(pf.checkpoint(2).snapshot));
  EXPECT_FALSE(fs::exists(pf.checkpoint(3).snapshot));
  pf.release(0);
  EXPECT_EQ(pf.acquire(3), pf.checkpoint(3).snapshot);  // an awaited one jumps the queue
  EXPECT_TRUE(snapshotComplete(pf.checkpoint(3).snapshot));
  EXPECT_EQ(pf.indexOf(pf.checkpoint(2).snapshot), 2u);
}

TEST_F(Prefetch, BudgetEvictsFinishedDownloadsButNeverPreexistingOnes) {
  auto cfg = clientConfig();
  auto pre = HubClient(cfg).download({repo, "step3", {}});  // in the cache before the sweep
  std::int64_t perCheckpoint = HubCache(cfg.cacheDir, repo).blobBytes();
  ASSERT_GT(perCheckpoint, 160000);
  std::int64_t budget = perCheckpoint * 5 / 2;  // room for about two checkpoints
  CheckpointPrefetcher pf(cfg, resolveCheckpoints("hub:org/tiny@step3,step4,step5,step6", cfg), {3, budget});
  for (std::size_t i = 0; i < pf.size(); ++i) {
    fs::path dir = pf.acquire(i);
    EXPECT_TRUE(snapshotComplete(dir)) << i;
    EXPECT_LE(cacheBytes(cfg.cacheDir), budget + perCheckpoint) << i;
    pf.release(i);
  }
  EXPECT_GE(pf.evictions(), 1);
  EXPECT_EQ(pf.downloads(), 3);
  EXPECT_TRUE(snapshotComplete(pre.snapshot));
  EXPECT_EQ(HubCache(cfg.cacheDir, repo).readRef("step3"), commits[0]);
}

TEST_F(Prefetch, OneBrokenCheckpointFailsAloneWithItsError) {
  hub->setFaults(R"([{"id":"gone","match":")" + commits[1] + R"(/model.safetensors","kind":"status","status":404,"times":-1}])");
  auto cfg = clientConfig();
  CheckpointPrefetcher pf(cfg, resolveCheckpoints("hub:org/tiny@step3,step4,step5", cfg), {2, 0});
  EXPECT_NO_THROW(pf.acquire(0));
  try {
    pf.acquire(1);
    FAIL() << "expected the 404";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("file 'model.safetensors' of hub repo org/tiny"), std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(snapshotComplete(pf.acquire(2)));
}

TEST_F(Prefetch, StoppingDuringADownloadReturnsPromptly) {
  hub->setFaults(R"([{"id":"slow","match":"/cdn/","kind":"slow","chunk":1024,"delay":0.05,"times":-1}])");
  auto cfg = clientConfig();
  auto start = std::chrono::steady_clock::now();
  {
    CheckpointPrefetcher pf(cfg, resolveCheckpoints("hub:org/tiny@step3", cfg), {1, 0});
    std::thread consumer([&] { EXPECT_THROW(pf.acquire(0), Cancelled); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    pf.stop();
    consumer.join();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace qid::test
