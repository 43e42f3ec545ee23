#include "hub/checkpoint_resolver.h"

#include <nlohmann/json.hpp>

#include <fstream>

#include "common/error.h"
#include "hub/hub_cache.h"
#include "hub/hub_client.h"
#include "hub/sha256.h"

namespace qid::hub {

namespace fs = std::filesystem;

bool snapshotComplete(const fs::path& snapshot) {
  std::error_code ec;
  if (!fs::exists(snapshot / "config.json", ec)) return false;
  for (const char* index : {"model.safetensors.index.json", "pytorch_model.bin.index.json"}) {
    fs::path p = snapshot / index;
    if (!fs::exists(p, ec)) continue;
    try {
      std::ifstream in(p);
      auto j = nlohmann::json::parse(in);
      for (const auto& [tensor, file] : j.at("weight_map").items())
        if (!fs::exists(snapshot / file.get<std::string>(), ec)) return false;
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }
  return fs::exists(snapshot / "model.safetensors", ec) || fs::exists(snapshot / "pytorch_model.bin", ec);
}

std::vector<ResolvedCheckpoint> resolveCheckpoints(const std::vector<SuiteCheckpoint>& checkpoints,
                                                   const HubConfig& config) {
  HubClient client(config);
  std::vector<ResolvedCheckpoint> out;
  for (const auto& c : checkpoints) {
    HubCache cache = client.cache(c.repoId);
    ResolvedCheckpoint r{c.repoId, c.revision, "", {}, c.step, c.tokens};
    if (isCommitHash(c.revision)) r.commit = c.revision;
    else if (auto ref = cache.readRef(c.revision)) r.commit = *ref;
    else if (config.offline)
      throw Error("revision '" + c.revision + "' of hub repo " + c.repoId + " is not in the cache " +
                  config.cacheDir.string() + " (offline mode)");
    else {
      r.commit = client.repoInfo(c.repoId, c.revision).commit;
      cache.writeRef(c.revision, r.commit);
    }
    r.snapshot = cache.snapshotDir(r.commit);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<ResolvedCheckpoint> resolveCheckpoints(const std::string& selector, const HubConfig& config) {
  return resolveCheckpoints(expandSelector(selector), config);
}

std::vector<ResolvedCheckpoint> resolveSelector(const std::string& selector, const HubConfig& config,
                                                const ProgressFn& progress) {
  HubClient client(config);
  std::vector<ResolvedCheckpoint> out;
  for (const auto& c : expandSelector(selector)) {
    auto r = client.download({c.repoId, c.revision, {}}, progress);
    out.push_back({c.repoId, c.revision, r.commit, r.snapshot, c.step, c.tokens});
  }
  return out;
}

}  // namespace qid::hub
