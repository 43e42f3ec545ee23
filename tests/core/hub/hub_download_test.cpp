// The hub client against a fake hub on 127.0.0.1: cache layout, reuse,
// subfolders, offline mode.
#include <gtest/gtest.h>

#include "common/error.h"
#include "hub/hub_client.h"
#include "hub_test_fixture.h"

namespace qid::test {
namespace {

namespace fs = std::filesystem;
using hub::HubClient;

TEST_F(HubFixture, TwoRevisionsGiveTheExactHuggingFaceCacheLayout) {
  HubClient client(clientConfig());
  auto r1 = client.download({repo, "step1", {}});
  auto r2 = client.download({repo, "step2", {}});
  EXPECT_EQ(r1.commit, c1);
  EXPECT_EQ(r2.commit, c2);
  EXPECT_EQ(r1.snapshot, repoCache() / "snapshots" / c1);
  // README, the subfolder file and the legacy .bin are not what a model needs.
  EXPECT_EQ(r1.files, (std::vector<std::string>{"config.json", "model.safetensors", "tokenizer.json"}));
  EXPECT_EQ(r1.filesFetched, 3);
  EXPECT_EQ(r2.filesFetched, 1);  // config and tokenizer blobs are shared with step1
  EXPECT_EQ(r2.filesCached, 2);

  std::string cfg = gitBlobId(config), tok = gitBlobId(tokenizer);
  std::string w1 = hub::sha256Hex(st1), w2 = hub::sha256Hex(st2);
  auto F = [](const std::string& p, const std::string& content) { return "F " + p + " " + hub::sha256Hex(content); };
  std::vector<std::string> expected = {
      "D blobs",
      F("blobs/" + cfg, config),
      F("blobs/" + tok, tokenizer),
      F("blobs/" + w1, st1),
      F("blobs/" + w2, st2),
      "D refs",
      F("refs/step1", c1),
      F("refs/step2", c2),
      "D snapshots",
      "D snapshots/" + c1,
      "L snapshots/" + c1 + "/config.json -> ../../blobs/" + cfg,
      "L snapshots/" + c1 + "/model.safetensors -> ../../blobs/" + w1,
      "L snapshots/" + c1 + "/tokenizer.json -> ../../blobs/" + tok,
      "D snapshots/" + c2,
      "L snapshots/" + c2 + "/config.json -> ../../blobs/" + cfg,
      "L snapshots/" + c2 + "/model.safetensors -> ../../blobs/" + w2,
      "L snapshots/" + c2 + "/tokenizer.json -> ../../blobs/" + tok,
  };
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(listTree(repoCache()), expected);
  // The refs hold the bare commit, no newline, as huggingface_hub writes them.
  EXPECT_EQ(readFile(repoCache() / "refs" / "step1"), c1);
  EXPECT_EQ(readFile(r2.snapshot / "model.safetensors"), st2);
  // LFS blobs came through the CDN redirect, small files straight from resolve.
  EXPECT_EQ(hub->count({"GET /cdn/" + w1}), 1);
  EXPECT_EQ(hub->count({"GET /cdn/"}), 2);
}

TEST_F(HubFixture, SecondDownloadOfARevisionMakesNoBlobRequests) {
  HubClient client(clientConfig());
  client.download({repo, "step1", {}});
  hub->clearRequests();
  auto again = client.download({repo, "step1", {}});
  EXPECT_EQ(again.filesFetched, 0);
  EXPECT_EQ(again.filesCached, 3);
  EXPECT_EQ(again.bytesReceived, 0);
  EXPECT_EQ(hub->count({"/resolve/"}), 0);
  EXPECT_EQ(hub->count({"/cdn/"}), 0);
  EXPECT_EQ(hub->count({"GET /api/models/org/tiny/revision/step1"}), 1);
  EXPECT_EQ(hub->requests().size(), 1u);
}

TEST_F(HubFixture, FilesInSubfoldersLinkOneLevelHigher) {
  HubClient client(clientConfig());
  auto r = client.download({repo, "step1", {"sub/extra.json"}});
  fs::path link = r.snapshot / "sub" / "extra.json";
  ASSERT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(fs::read_symlink(link).generic_string(), "../../../blobs/" + gitBlobId("{\"x\":1}"));
  EXPECT_EQ(readFile(link), "{\"x\":1}");
}

TEST_F(HubFixture, ExplicitFileMissingFromTheRepoIsNamed) {
  HubClient client(clientConfig());
  try {
    client.download({repo, "step2", {"nope.json"}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("file 'nope.json' not found in hub repo org/tiny at revision 'step2'"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(HubFixture, OfflineModeResolvesFromTheCacheAlone) {
  HubClient online(clientConfig());
  online.download({repo, "step1", {}});
  hub->stop();  // nothing listens any more
  auto cfg = clientConfig();
  cfg.offline = true;
  HubClient offline(cfg);
  auto r = offline.download({repo, "step1", {}});
  EXPECT_TRUE(r.offline);
  EXPECT_EQ(r.commit, c1);
  EXPECT_EQ(readFile(r.snapshot / "model.safetensors"), st1);
  // By commit hash too.
  EXPECT_EQ(offline.download({repo, c1, {}}).snapshot, r.snapshot);
  try {
    offline.download({repo, "step2", {}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("revision 'step2' of hub repo org/tiny is not in the cache"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(HubFixture, ProgressReportsBytesSpeedAndEta) {
  auto cfg = clientConfig();
  cfg.maxWorkers = 1;
  HubClient client(cfg);
  std::vector<Progress> seen;
  client.download({repo, "step1", {}}, [&](const Progress& p) {
    seen.push_back(p);
    return true;
  });
  ASSERT_FALSE(seen.empty());
  const Progress& last = seen.back();
  EXPECT_EQ(last.total, static_cast<std::int64_t>(st1.size() + config.size() + tokenizer.size()));
  EXPECT_EQ(last.done, last.total);
  EXPECT_NE(last.message.find("3/3 files"), std::string::npos) << last.message;
  EXPECT_NE(last.message.find("/s"), std::string::npos);
  EXPECT_NE(last.message.find("ETA"), std::string::npos);
}

}  // namespace
}  // namespace qid::test
