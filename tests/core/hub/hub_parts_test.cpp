// The small pieces of the hub client: hashes, ETags, file choice, cache
// paths and the environment.
#include <gtest/gtest.h>

#include <cstdlib>

#include "common/error.h"
#include "hub/blob_fetcher.h"
#include "hub/file_selection.h"
#include "hub/hub_cache.h"
#include "hub/hub_config.h"
#include "hub/sha256.h"
#include "hub/transfer_progress.h"
#include "test_support.h"

namespace qid::hub {
namespace {

TEST(HubSha256, KnownVectors) {
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  qid::test::TempDir tmp;
  qid::test::writeFile(tmp / "f", "abc");
  EXPECT_EQ(sha256File(tmp / "f"), sha256Hex("abc"));
  EXPECT_THROW(sha256File(tmp / "missing"), Error);
  EXPECT_TRUE(isSha256Hex(sha256Hex("x")));
  EXPECT_FALSE(isSha256Hex("abc"));
  EXPECT_TRUE(isCommitHash(std::string(40, 'f')));
}

TEST(HubEtag, QuotesAndWeakPrefixAreStripped) {
  EXPECT_EQ(normalizeEtag("W/\"abc123\""), "abc123");
  EXPECT_EQ(normalizeEtag("\"abc123\""), "abc123");
  EXPECT_EQ(normalizeEtag("abc123"), "abc123");
}

TEST(HubFileSelection, SafetensorsWinOverBin) {
  auto f = selectModelFiles({"README.md", "config.json", "model.safetensors", "pytorch_model.bin", "tokenizer.json",
                             "special_tokens_map.json", "tokenizer_config.json", "flax_model.msgpack",
                             "optimizer/state.bin"},
                            "o/n", "main");
  EXPECT_EQ(f, (std::vector<std::string>{"config.json", "model.safetensors", "special_tokens_map.json",
                                         "tokenizer.json", "tokenizer_config.json"}));
}

TEST(HubFileSelection, ShardsWithIndexAndBinFallback) {
  auto shards = selectModelFiles({"config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
                                  "model.safetensors.index.json", "pytorch_model.bin.index.json"},
                                 "o/n", "main");
  EXPECT_EQ(shards, (std::vector<std::string>{"config.json", "model-00001-of-00002.safetensors",
                                              "model-00002-of-00002.safetensors", "model.safetensors.index.json"}));
  auto bins = selectModelFiles({"config.json", "pytorch_model-00001-of-00002.bin", "pytorch_model-00002-of-00002.bin",
                                "pytorch_model.bin.index.json", "vocab.json", "merges.txt"},
                               "o/n", "step1");
  EXPECT_EQ(bins, (std::vector<std::string>{"config.json", "merges.txt", "pytorch_model-00001-of-00002.bin",
                                            "pytorch_model-00002-of-00002.bin", "pytorch_model.bin.index.json",
                                            "vocab.json"}));
}

TEST(HubFileSelection, NoWeightsOrNoConfigIsAnError) {
  try {
    selectModelFiles({"config.json", "README.md"}, "o/n", "step9");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("o/n at revision step9 has no model.safetensors"), std::string::npos);
  }
  EXPECT_THROW(selectModelFiles({"model.safetensors"}, "o/n", "main"), Error);
}

TEST(HubCachePaths, FolderNamesAndValidation) {
  EXPECT_EQ(HubCache::folderName("EleutherAI/pythia-70m"), "models--EleutherAI--pythia-70m");
  EXPECT_EQ(HubCache::folderName("gpt2"), "models--gpt2");
  for (const char* bad : {"", "a/b/c", "/a", "a/", "a/../b", "a b/c", "a--b/c"})
    EXPECT_THROW(HubCache::checkRepoId(bad), Error) << bad;
  HubCache c("/cache", "o/n");
  EXPECT_EQ(c.blobPath("e"), std::filesystem::path("/cache/models--o--n/blobs/e"));
  EXPECT_EQ(c.lockPath("e"), std::filesystem::path("/cache/.locks/models--o--n/e.lock"));
  EXPECT_THROW(c.snapshotFile("abc", "../x"), Error);
  EXPECT_THROW(c.readRef("../../etc"), Error);
}

TEST(HubCachePaths, RefsAndNaturalOrder) {
  qid::test::TempDir tmp;
  HubCache c(tmp.path(), "o/n");
  c.writeRef("refs/pr/1", std::string(40, 'c'));
  EXPECT_EQ(c.readRef("refs/pr/1"), std::string(40, 'c'));
  EXPECT_EQ(c.readRef("main"), std::nullopt);
  EXPECT_TRUE(naturalLess("step2", "step10"));
  EXPECT_FALSE(naturalLess("step10", "step2"));
  EXPECT_TRUE(naturalLess("main", "step0"));
}

TEST(HubConfigEnv, EnvironmentVariablesAsHuggingFaceHub) {
  qid::test::TempDir tmp;
  qid::test::writeFile(tmp / "home" / "token", "hf_file_token\n");
  setenv("HF_HOME", (tmp / "home").c_str(), 1);
  setenv("HF_ENDPOINT", "http://127.0.0.1:9/", 1);
  unsetenv("HF_TOKEN");
  unsetenv("HF_TOKEN_PATH");
  unsetenv("HF_HUB_CACHE");
  unsetenv("HUGGINGFACE_HUB_CACHE");
  setenv("HF_HUB_OFFLINE", "1", 1);
  auto c = configFromEnvironment();
  EXPECT_EQ(c.endpoint, "http://127.0.0.1:9");
  EXPECT_EQ(c.token, "hf_file_token");
  EXPECT_EQ(c.cacheDir, tmp / "home" / "hub");
  EXPECT_TRUE(c.offline);
  setenv("HF_TOKEN", "hf_env", 1);
  setenv("HF_HUB_CACHE", (tmp / "elsewhere").c_str(), 1);
  setenv("HF_HUB_OFFLINE", "0", 1);
  c = configFromEnvironment();
  EXPECT_EQ(c.token, "hf_env");
  EXPECT_EQ(c.cacheDir, tmp / "elsewhere");
  EXPECT_FALSE(c.offline);
  for (const char* v : {"HF_HOME", "HF_ENDPOINT", "HF_TOKEN", "HF_HUB_CACHE", "HF_HUB_OFFLINE"}) unsetenv(v);
  EXPECT_EQ(configFromEnvironment().endpoint, "https://huggingface.co");
}

TEST(HubProgressText, BytesAndDurations) {
  EXPECT_EQ(TransferProgress::formatBytes(999), "999 B");
  EXPECT_EQ(TransferProgress::formatBytes(12.3e6), "12.3 MB");
  EXPECT_EQ(TransferProgress::formatDuration(62), "1:02");
  EXPECT_EQ(TransferProgress::formatDuration(3723), "1:02:03");
}

}  // namespace
}  // namespace qid::hub
