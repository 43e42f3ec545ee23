// The hub client when things go wrong: cancel and resume, dropped
// connections, 5xx, corrupt bytes, missing repos, revisions and tokens.
#include <gtest/gtest.h>

#include "common/error.h"
#include "hub/hub_client.h"
#include "hub_test_fixture.h"

namespace qid::test {
namespace {

namespace fs = std::filesystem;
using hub::HubClient;

std::string errorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Cancelled&) {
    return "cancelled";
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST_F(HubFixture, CancelledDownloadResumesWithARangeRequest) {
  std::string w1 = hub::sha256Hex(st1);
  hub->setFaults(R"([{"id":"slow","match":"/cdn/","method":"GET","kind":"slow","chunk":8192,"delay":0.02,"times":-1}])");
  HubClient client(clientConfig());
  EXPECT_THROW(client.download({repo, "step1", {}}, [](const Progress& p) { return p.done < 40000; }), Cancelled);
  fs::path incomplete = repoCache() / "blobs" / (w1 + ".incomplete");
  ASSERT_TRUE(fs::exists(incomplete));
  auto partial = static_cast<std::int64_t>(fs::file_size(incomplete));
  EXPECT_GT(partial, 0);
  EXPECT_LT(partial, static_cast<std::int64_t>(st1.size()));
  EXPECT_FALSE(fs::exists(repoCache() / "blobs" / w1));

  hub->setFaults("[]");
  hub->clearRequests();
  auto r = client.download({repo, "step1", {}});
  EXPECT_EQ(readFile(r.snapshot / "model.safetensors"), st1);
  EXPECT_FALSE(fs::exists(incomplete));
  EXPECT_EQ(hub->count({"GET /cdn/" + w1, "range=bytes=" + std::to_string(partial) + "-"}), 1);
  EXPECT_EQ(r.bytesReceived, static_cast<std::int64_t>(st1.size()) - partial);
}

TEST_F(HubFixture, DroppedConnectionIsResumedWhereItStopped) {
  hub->setFaults(R"([{"id":"cut","match":"/cdn/","method":"GET","kind":"truncate","bytes":50000,"times":1}])");
  HubClient client(clientConfig());
  auto r = client.download({repo, "step1", {}});
  EXPECT_EQ(readFile(r.snapshot / "model.safetensors"), st1);
  EXPECT_EQ(hub->count({"GET /cdn/", "range=bytes=50000-"}), 1);
}

TEST_F(HubFixture, ServerErrorsAreRetriedWithBackoff) {
  hub->setFaults(R"([{"id":"api","match":"/api/","kind":"status","status":503,"times":2},
                     {"id":"head","match":"/resolve/","method":"HEAD","kind":"status","status":500,"times":1},
                     {"id":"cdn","match":"/cdn/","kind":"status","status":502,"times":2}])");
  HubClient client(clientConfig());
  auto r = client.download({repo, "step1", {}});
  EXPECT_EQ(readFile(r.snapshot / "model.safetensors"), st1);
  EXPECT_EQ(hub->count({"GET /api/models/org/tiny/revision/step1"}), 3);
  EXPECT_EQ(hub->count({"GET /cdn/"}), 3);
}

TEST_F(HubFixture, PersistentServerErrorsGiveUpWithAClearMessage) {
  hub->setFaults(R"([{"id":"cdn","match":"/cdn/","kind":"status","status":503,"times":-1}])");
  HubClient client(clientConfig());
  std::string msg = errorOf([&] { client.download({repo, "step1", {}}); });
  EXPECT_NE(msg.find("HTTP 503"), std::string::npos) << msg;
  EXPECT_NE(msg.find("file 'model.safetensors' of hub repo org/tiny at revision 'step1'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("gave up after 3 attempts"), std::string::npos) << msg;
  EXPECT_EQ(hub->count({"GET /cdn/"}), 3);
}

TEST_F(HubFixture, CorruptDownloadFailsSha256AndIsFetchedAgain) {
  hub->setFaults(R"([{"id":"bad","match":"/cdn/","method":"GET","kind":"corrupt","times":1}])");
  HubClient client(clientConfig());
  auto r = client.download({repo, "step1", {}});
  EXPECT_EQ(readFile(r.snapshot / "model.safetensors"), st1);
  EXPECT_EQ(hub->count({"GET /cdn/"}), 2);
}

TEST_F(HubFixture, AlwaysCorruptBlobIsRefusedNamingTheFile) {
  hub->setFaults(R"([{"id":"bad","match":"/cdn/","method":"GET","kind":"corrupt","times":-1}])");
  HubClient client(clientConfig());
  std::string msg = errorOf([&] { client.download({repo, "step1", {}}); });
  EXPECT_NE(msg.find("SHA-256 mismatch for file 'model.safetensors' of hub repo org/tiny at revision 'step1'"),
            std::string::npos)
      << msg;
  EXPECT_FALSE(fs::exists(repoCache() / "blobs" / hub::sha256Hex(st1)));
}

TEST_F(HubFixture, CorruptedCachedBlobIsReFetchedWhenVerifying) {
  HubClient client(clientConfig());
  client.download({repo, "step1", {}});
  fs::path blob = repoCache() / "blobs" / hub::sha256Hex(st1);
  std::string damaged = st1;
  damaged[100] ^= 0x55;
  writeFile(blob, damaged);
  hub->clearRequests();
  auto cfg = clientConfig();
  cfg.verifyCached = true;
  auto r = HubClient(cfg).download({repo, "step1", {}});
  EXPECT_EQ(readFile(r.snapshot / "model.safetensors"), st1);
  EXPECT_EQ(hub->count({"GET /cdn/"}), 1);
  EXPECT_EQ(hub->count({"GET /resolve/"}), 0);  // the small files were sound
}

TEST_F(HubFixture, MissingRepoRevisionAndFileAreNamed) {
  HubClient client(clientConfig());
  std::string repoMsg = errorOf([&] { client.download({"org/absent", "step1", {}}); });
  EXPECT_NE(repoMsg.find("HTTP 404: hub repo org/absent not found"), std::string::npos) << repoMsg;
  std::string revMsg = errorOf([&] { client.download({repo, "step999", {}}); });
  EXPECT_NE(revMsg.find("HTTP 404: revision 'step999' not found in hub repo org/tiny"), std::string::npos) << revMsg;
  hub->setFaults(R"([{"id":"gone","match":"/config.json","kind":"status","status":404,"times":-1}])");
  std::string fileMsg = errorOf([&] { client.download({repo, "step1", {}}); });
  EXPECT_NE(fileMsg.find("HTTP 404: file 'config.json' of hub repo org/tiny at revision 'step1' not found"),
            std::string::npos)
      << fileMsg;
}

TEST_F(HubFixture, GatedRepoNeedsTheBearerToken) {
  hub->requireToken(repo, "hf_secret");
  std::string anon = errorOf([&] { HubClient(clientConfig()).download({repo, "step1", {}}); });
  EXPECT_NE(anon.find("HTTP 401 unauthorized for revision 'step1' of hub repo org/tiny"), std::string::npos) << anon;
  EXPECT_NE(anon.find("HF_TOKEN"), std::string::npos) << anon;

  auto wrong = clientConfig();
  wrong.token = "hf_wrong";
  std::string refused = errorOf([&] { HubClient(wrong).download({repo, "step1", {}}); });
  EXPECT_NE(refused.find("the token was refused"), std::string::npos) << refused;

  auto right = clientConfig();
  right.token = "hf_secret";
  auto r = HubClient(right).download({repo, "step1", {}});
  EXPECT_EQ(readFile(r.snapshot / "config.json"), config);
  // The token went to the hub, never to the CDN.
  EXPECT_EQ(hub->count({"/cdn/", "auth=yes"}), 0);
  EXPECT_GT(hub->count({"/resolve/", "auth=yes"}), 0);
}

TEST_F(HubFixture, UnreachableHubSaysSoAndPointsToOfflineMode) {
  auto cfg = clientConfig();
  hub->stop();
  cfg.maxAttempts = 2;
  std::string msg = errorOf([&] { HubClient(cfg).download({repo, "step1", {}}); });
  EXPECT_NE(msg.find("cannot reach the hub for revision 'step1' of hub repo org/tiny"), std::string::npos) << msg;
  EXPECT_NE(msg.find("HF_HUB_OFFLINE=1"), std::string::npos) << msg;
}

}  // namespace
}  // namespace qid::test
