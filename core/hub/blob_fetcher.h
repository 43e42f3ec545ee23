#pragma once
// One file of one commit: its metadata (HEAD on the resolve URL, without
// following the redirect, to read X-Repo-Commit, X-Linked-Etag/ETag and the
// size) and its download into blobs/{etag}: under a lock, resumed from
// blobs/{etag}.incomplete with a Range request, retried with backoff on 5xx,
// 429 and dropped connections, and SHA-256-verified for LFS files (a corrupt
// download is thrown away and fetched again).
#include <cstdint>
#include <functional>
#include <string>

#include "hub/hub_cache.h"
#include "hub/hub_config.h"
#include "hub/http_request.h"
#include "hub/transfer_progress.h"

namespace qid::hub {

struct FileMeta {
  std::string file;
  std::string etag;    // quotes and W/ stripped; the SHA-256 for LFS files
  std::string commit;  // X-Repo-Commit
  std::string url;     // where the bytes are (the redirect target for LFS)
  std::int64_t size = -1;
};

// "W/\"abc\"" -> "abc".
std::string normalizeEtag(std::string etag);

class BlobFetcher {
 public:
  BlobFetcher(const HubConfig& config, const HubCache& cache, std::string revision, TransferProgress& progress);

  FileMeta head(const std::string& commit, const std::string& file) const;
  // Downloads meta into blobs/{etag} unless it is there already.
  void fetch(const FileMeta& meta) const;

  // Runs request with retries (config.maxAttempts, exponential backoff) on
  // transient failures; throws Cancelled when progress is stopping and
  // qid::Error (hub_errors.h) on final failure.
  HttpResponse withRetries(const std::function<HttpRequest()>& make, const std::string& file) const;

  std::vector<std::string> authHeaders(const std::string& url) const;
  std::string resolveUrl(const std::string& commitOrRevision, const std::string& file) const;

 private:
  void sleepBackoff(int attempt) const;
  bool downloadInto(const FileMeta& meta, const std::filesystem::path& incomplete) const;

  const HubConfig& config_;
  const HubCache& cache_;
  std::string revision_;
  TransferProgress& progress_;
};

}  // namespace qid::hub
