#pragma once
// A fake hub with one tiny repo at two revisions, and a client configured
// to use it with a fresh cache, for the hub client tests.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "hub/hub_client.h"
#include "hub/sha256.h"
#include "support/fake_hub.h"
#include "support/tiny_checkpoint.h"
#include "test_support.h"

namespace qid::test {

// The git blob id, as the hub's ETag of a non-LFS file: sha1("blob N\0" + data).
inline std::string gitBlobId(const std::string& data) {
  std::string all = "blob " + std::to_string(data.size()) + std::string(1, '\0') + data;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(all.data(), all.size(), md, &len, EVP_sha1(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    static const char* d = "0123456789abcdef";
    hex += d[md[i] >> 4];
    hex += d[md[i] & 15];
  }
  return hex;
}

// Every entry under dir: "D path", "F path sha256" or "L path -> target".
inline std::vector<std::string> listTree(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    std::string rel = it->path().lexically_relative(dir).generic_string();
    if (it->is_symlink()) out.push_back("L " + rel + " -> " + fs::read_symlink(it->path()).generic_string());
    else if (it->is_directory()) out.push_back("D " + rel);
    else out.push_back("F " + rel + " " + hub::sha256Hex(readFile(it->path())));
  }
  std::sort(out.begin(), out.end());
  return out;
}

class HubFixture : public ::testing::Test {
 protected:
  const std::string repo = "org/tiny";
  const std::string c1 = std::string(40, 'a');
  const std::string c2 = std::string(40, 'b');
  const std::string config = tinyConfigJson();
  const std::string tokenizer = tinyTokenizerJson();
  const std::string st1 = tinySafetensors(1, 40000);  // 160 kB
  const std::string st2 = tinySafetensors(2, 40000);
  TempDir tmp;
  std::unique_ptr<FakeHub> hub;

  void SetUp() override {
    hub = std::make_unique<FakeHub>(tmp / "server");
    hub->addCommit(repo, c1, {"step1"},
                   {{"config.json", config},
                    {"tokenizer.json", tokenizer},
                    {"model.safetensors", st1},
                    {"pytorch_model.bin", "legacy weights"},
                    {"README.md", "# tiny"},
                    {"sub/extra.json", "{\"x\":1}"}});
    hub->addCommit(repo, c2, {"step2", "main"},
                   {{"config.json", config}, {"tokenizer.json", tokenizer}, {"model.safetensors", st2}});
  }

  hub::HubConfig clientConfig() const {
    hub::HubConfig c;
    c.endpoint = hub->endpoint();
    c.cacheDir = tmp / "cache";
    c.backoffMs = 5;
    c.maxAttempts = 3;
    c.timeoutS = 5;
    return c;
  }

  std::filesystem::path repoCache() const { return tmp / "cache" / "models--org--tiny"; }
};

}  // namespace qid::test
