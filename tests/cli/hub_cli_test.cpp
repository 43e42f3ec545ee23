// qidlab-cli hub end to end, against the fake hub on 127.0.0.1.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "hub/sha256.h"
#include "support/fake_hub.h"
#include "support/tiny_checkpoint.h"
#include "test_support.h"

namespace qid::test {
namespace {

namespace fs = std::filesystem;

class HubCli : public ::testing::Test {
 protected:
  const std::string c1 = std::string(40, '1'), c2 = std::string(40, '2');
  const std::string st1 = tinySafetensors(11, 60000), st2 = tinySafetensors(12, 60000);
  TempDir tmp;
  std::unique_ptr<FakeHub> hub;

  void SetUp() override {
    hub = std::make_unique<FakeHub>(tmp / "server");
    hub->addCommit("org/tiny", c1, {"step1"},
                   {{"config.json", tinyConfigJson()}, {"tokenizer.json", tinyTokenizerJson()}, {"model.safetensors", st1}});
    hub->addCommit("org/tiny", c2, {"step2", "main"},
                   {{"config.json", tinyConfigJson()}, {"tokenizer.json", tinyTokenizerJson()}, {"model.safetensors", st2}});
  }

  std::string cache() const { return (tmp / "cache").string(); }
  // The CLI with the hub environment pointed at the fake hub.
  RunResult cli(const std::string& args, const std::string& extraEnv = "") const {
    return runShell("env -u HF_TOKEN HF_HOME='" + (tmp / "hfhome").string() + "' HF_ENDPOINT='" + hub->endpoint() +
                    "' QIDLAB_HUB_BACKOFF_MS=5 " + extraEnv + " '" + QIDLAB_CLI_PATH + "' " + args);
  }
};

TEST_F(HubCli, DownloadsTwoRevisionsAndListsThem) {
  auto r = cli("hub download org/tiny --revision step1 --revision step2 --cache '" + cache() + "' --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["commit"], c1);
  EXPECT_EQ(j[1]["commit"], c2);
  EXPECT_EQ(j[0]["step"], 1);
  EXPECT_EQ(j[0]["n"], 2 * (12 * 64 * 64 + 13 * 64) + 2 * 64);  // tiny GPT-NeoX config
  EXPECT_EQ(readFile(fs::path(j[1]["path"].get<std::string>()) / "model.safetensors"), st2);

  auto ls = cli("hub ls org/tiny --cache '" + cache() + "'");
  ASSERT_EQ(ls.exitCode, 0) << ls.err;
  EXPECT_NE(ls.out.find("step1"), std::string::npos) << ls.out;
  EXPECT_NE(ls.out.find("step2 "), std::string::npos) << ls.out;
  EXPECT_NE(ls.out.find(c2), std::string::npos) << ls.out;
  auto all = cli("hub ls --json --cache '" + cache() + "'");
  auto repos = nlohmann::json::parse(all.out);
  ASSERT_EQ(repos.size(), 1u);
  EXPECT_EQ(repos[0]["repo"], "org/tiny");
  EXPECT_EQ(repos[0]["revisions"], 2);

  hub->clearRequests();
  auto again = cli("hub download org/tiny -r step1 -r step2 --cache '" + cache() + "' --json");
  ASSERT_EQ(again.exitCode, 0) << again.err;
  EXPECT_EQ(hub->count({"/resolve/"}) + hub->count({"/cdn/"}), 0);
}

TEST_F(HubCli, KilledDownloadResumesFromThePartialFile) {
  hub->setFaults(R"([{"id":"slow","match":"/cdn/","method":"GET","kind":"slow","chunk":4096,"delay":0.05,"times":1}])");
  std::string incomplete = cache() + "/models--org--tiny/blobs/" + hub::sha256Hex(st1) + ".incomplete";
  // Start a download, wait (bounded) until the partial file has bytes, kill -9.
  std::string script = "env -u HF_TOKEN HF_ENDPOINT='" + hub->endpoint() + "' '" + QIDLAB_CLI_PATH +
                       "' hub download org/tiny -r step1 -q --cache '" + cache() + "' & pid=$!; i=0; "
                       "while [ $i -lt 400 ] && ! [ -s '" + incomplete + "' ]; do sleep 0.02; i=$((i+1)); done; "
                       "sleep 0.1; kill -9 $pid; wait $pid; stat -c %s '" + incomplete + "'";
  auto killed = runShell(script);
  ASSERT_EQ(killed.exitCode, 0) << killed.err;
  long partial = std::stol(killed.out);
  EXPECT_GT(partial, 0);
  EXPECT_LT(partial, static_cast<long>(st1.size()));

  auto resumed = cli("hub download org/tiny -r step1 --cache '" + cache() + "' --json");
  ASSERT_EQ(resumed.exitCode, 0) << resumed.err;
  auto j = nlohmann::json::parse(resumed.out);
  EXPECT_EQ(j[0]["bytes_received"], static_cast<long>(st1.size()) - partial);
  EXPECT_EQ(readFile(fs::path(j[0]["path"].get<std::string>()) / "model.safetensors"), st1);
  EXPECT_EQ(hub->count({"GET /cdn/", "range=bytes=" + std::to_string(partial) + "-"}), 1);
  EXPECT_FALSE(fs::exists(incomplete));
}

TEST_F(HubCli, ErrorsNameRepoRevisionAndFile) {
  auto missing = cli("hub download org/tiny -r step7 --cache '" + cache() + "'");
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_NE(missing.err.find("qidlab-cli: error: HTTP 404: revision 'step7' not found in hub repo org/tiny"),
            std::string::npos)
      << missing.err;
  hub->requireToken("org/tiny", "hf_ok");
  auto denied = cli("hub download org/tiny -r step1 --cache '" + cache() + "'");
  EXPECT_EQ(denied.exitCode, 1);
  EXPECT_NE(denied.err.find("HTTP 401 unauthorized for revision 'step1' of hub repo org/tiny"), std::string::npos)
      << denied.err;
  writeFile(tmp / "hfhome" / "token", "hf_ok\n");  // the token file is read like huggingface_hub does
  auto allowed = cli("hub download org/tiny -r step1 --cache '" + cache() + "'");
  EXPECT_EQ(allowed.exitCode, 0) << allowed.err;
}

TEST_F(HubCli, OfflineModeNeedsNoServer) {
  ASSERT_EQ(cli("hub download org/tiny -r step2 -q --cache '" + cache() + "'").exitCode, 0);
  std::string endpoint = hub->endpoint();
  hub->stop();
  auto off = cli("hub download org/tiny -r step2 --cache '" + cache() + "' --json", "HF_HUB_OFFLINE=1");
  ASSERT_EQ(off.exitCode, 0) << off.err;
  EXPECT_EQ(nlohmann::json::parse(off.out)[0]["offline"], true);
  auto notCached = cli("hub download org/tiny -r step1 --cache '" + cache() + "'", "HF_HUB_OFFLINE=1");
  EXPECT_EQ(notCached.exitCode, 1);
  EXPECT_NE(notCached.err.find("revision 'step1' of hub repo org/tiny is not in the cache"), std::string::npos)
      << notCached.err;
}

TEST_F(HubCli, SuiteSelectorDownloadsEachRevision) {
  for (int step : {1000, 9000, 17000})
    hub->addCommit("EleutherAI/pythia-70m-deduped", std::string(39, 'e') + std::to_string(step % 10 == 0 ? step / 1000 % 10 : 0),
                   {"step" + std::to_string(step)},
                   {{"config.json", tinyConfigJson()}, {"model.safetensors", tinySafetensors(step, 1000)}});
  auto r = cli("hub download --suite 'suite:pythia-70m-deduped@step1000..step17000/8000' --cache '" + cache() +
               "' --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j[2]["revision"], "step17000");
  EXPECT_DOUBLE_EQ(j[2]["tokens"].get<double>(), 17000.0 * 2097152.0);
  auto ex = cli("hub expand 'suite:pythia-70m-deduped@step1000..step17000/8000'");
  EXPECT_NE(ex.out.find("EleutherAI/pythia-70m-deduped@step9000\tstep=9000"), std::string::npos) << ex.out;
}

}  // namespace
}  // namespace qid::test
