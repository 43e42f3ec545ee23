#pragma once
// Where the hub client talks to and where it keeps files, resolved the way
// huggingface_hub resolves them, so the CLI, the GUI and Python users share
// one cache:
//   HF_ENDPOINT       default https://huggingface.co
//   HF_TOKEN          else the file $HF_TOKEN_PATH, else $HF_HOME/token
//   HF_HUB_CACHE      else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub,
//                     else ~/.cache/huggingface/hub (HUGGINGFACE_HUB_CACHE is
//                     honoured as the legacy name)
//   HF_HUB_OFFLINE=1  resolve revisions from refs/ only, never connect
//   HF_HUB_DOWNLOAD_TIMEOUT  seconds for connecting and for a stalled transfer
#include <cstdint>
#include <filesystem>
#include <string>

namespace qid::hub {

struct HubConfig {
  std::string endpoint = "https://huggingface.co";  // no trailing slash
  std::string token;                                // empty: anonymous
  std::filesystem::path cacheDir;                   // the hub cache root
  bool offline = false;
  int maxWorkers = 4;           // files downloaded at once
  int maxAttempts = 5;          // per request, on 5xx / 429 / network errors
  int backoffMs = 1000;         // first retry delay; doubles, capped at 16x
  int timeoutS = 10;            // connect timeout and stall timeout
  bool verifyCached = false;    // re-hash cached LFS blobs before reusing them
};

// The configuration read from the environment (see above). QIDLAB_HUB_BACKOFF_MS
// overrides the first retry delay (tests use it to stay fast).
HubConfig configFromEnvironment();

// "1", "true", "yes", "on" (any case) are true.
bool envFlag(const char* name);

}  // namespace qid::hub
