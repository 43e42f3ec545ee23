#include "hub/hub_client.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <set>
#include <thread>

#include "common/error.h"
#include "hub/blob_fetcher.h"
#include "hub/file_selection.h"
#include "hub/http_request.h"
#include "hub/sha256.h"
#include "hub/transfer_progress.h"

namespace qid::hub {

namespace fs = std::filesystem;

namespace {

// Runs fn(0..n-1) on at most `workers` threads. The first failure stops the
// others (their transfers see progress.stopping()) and is rethrown; a user
// cancel is rethrown as Cancelled.
void runPool(std::size_t n, int workers, TransferProgress& progress, const std::function<void(std::size_t)>& fn) {
  if (n == 0) return;
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::exception_ptr firstError;
  auto work = [&] {
    for (std::size_t i = next++; i < n; i = next++) {
      if (progress.stopping()) return;
      try {
        fn(i);
      } catch (const Cancelled&) {
        return;
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!firstError) firstError = std::current_exception();
        progress.abort();
        return;
      }
    }
  };
  std::size_t threads = std::min<std::size_t>(n, static_cast<std::size_t>(std::max(1, workers)));
  if (threads == 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t) pool.emplace_back(work);
    for (auto& t : pool) t.join();
  }
  if (firstError) std::rethrow_exception(firstError);
  if (progress.cancelled()) throw Cancelled();
}

// A cached LFS blob whose content no longer matches its name is deleted, so
// the download fetches it again.
bool blobIsSound(const HubCache& cache, const std::string& etag) {
  if (!isSha256Hex(etag)) return true;
  fs::path blob = cache.blobPath(etag);
  if (sha256File(blob) == etag) return true;
  std::error_code ec;
  fs::remove(blob, ec);
  return false;
}

}  // namespace

HubClient::HubClient(HubConfig config) : config_(std::move(config)) {
  while (!config_.endpoint.empty() && config_.endpoint.back() == '/') config_.endpoint.pop_back();
}

RepoInfo HubClient::repoInfo(const std::string& repoId, const std::string& revision) const {
  HubCache::checkRepoId(repoId);
  if (config_.offline)
    throw Error("offline mode (HF_HUB_OFFLINE=1): cannot ask the hub about " + repoId + " at revision '" +
                revision + "'");
  HubCache cache = this->cache(repoId);
  TransferProgress quiet({}, "");
  BlobFetcher fetcher(config_, cache, revision, quiet);
  std::string url = config_.endpoint + "/api/models/" + repoId + "/revision/" + urlEncode(revision, false);
  HttpResponse r = fetcher.withRetries(
      [&] {
        HttpRequest q;
        q.url = url;
        q.headers = fetcher.authHeaders(url);
        q.connectTimeoutS = q.stallTimeoutS = config_.timeoutS;
        return q;
      },
      "");
  RepoInfo info;
  info.repoId = repoId;
  info.revision = revision;
  try {
    auto j = nlohmann::json::parse(r.body);
    info.commit = j.at("sha").get<std::string>();
    for (const auto& s : j.value("siblings", nlohmann::json::array()))
      info.files.push_back(s.at("rfilename").get<std::string>());
  } catch (const nlohmann::json::exception& e) {
    throw Error("unexpected answer from " + url + " for hub repo " + repoId + " at revision '" + revision +
                "': " + e.what());
  }
  if (!isCommitHash(info.commit))
    throw Error("the hub answered a malformed commit '" + info.commit + "' for " + repoId + " at revision '" +
                revision + "'");
  std::sort(info.files.begin(), info.files.end());
  return info;
}

DownloadResult HubClient::resolveFromCache(const DownloadRequest& request) const {
  HubCache cache = this->cache(request.repoId);
  std::string hint = "; run 'qidlab-cli hub download " + request.repoId + " --revision " + request.revision +
                     "' while online (cache: " + config_.cacheDir.string() + ")";
  std::string commit = request.revision;
  if (!isCommitHash(commit)) {
    auto ref = cache.readRef(request.revision);
    if (!ref) throw Error("revision '" + request.revision + "' of hub repo " + request.repoId +
                          " is not in the cache" + hint);
    commit = *ref;
  }
  std::error_code ec;
  if (!fs::is_directory(cache.snapshotDir(commit), ec))
    throw Error("the snapshot " + commit + " of hub repo " + request.repoId + " (revision '" + request.revision +
                "') is not in the cache" + hint);
  DownloadResult res;
  res.repoId = request.repoId;
  res.revision = request.revision;
  res.commit = commit;
  res.snapshot = cache.snapshotDir(commit);
  res.offline = true;
  res.files = request.files.empty() ? selectModelFiles(cache.snapshotFiles(commit), request.repoId, request.revision)
                                    : request.files;
  for (const auto& f : res.files)
    if (!cache.hasSnapshotFile(commit, f))
      throw Error("file '" + f + "' of hub repo " + request.repoId + " at revision '" + request.revision +
                  "' is not in the cache" + hint);
  res.filesCached = static_cast<int>(res.files.size());
  return res;
}

DownloadResult HubClient::download(const DownloadRequest& request, const ProgressFn& progress) const {
  HubCache::checkRepoId(request.repoId);
  if (config_.offline) return resolveFromCache(request);
  HubCache cache = this->cache(request.repoId);
  RepoInfo info = repoInfo(request.repoId, request.revision);
  if (info.commit != request.revision) cache.writeRef(request.revision, info.commit);

  DownloadResult res;
  res.repoId = request.repoId;
  res.revision = request.revision;
  res.commit = info.commit;
  res.snapshot = cache.snapshotDir(info.commit);
  if (request.files.empty()) {
    res.files = selectModelFiles(info.files, request.repoId, request.revision);
  } else {
    std::set<std::string> present(info.files.begin(), info.files.end());
    for (const auto& f : request.files) {
      HubCache::checkRelativePath(f, "file path");
      if (!present.count(f))
        throw Error("file '" + f + "' not found in hub repo " + request.repoId + " at revision '" +
                    request.revision + "' (" + config_.endpoint + ")");
    }
    res.files = request.files;
  }

  // Files of this commit already linked to a sound blob cost no request.
  std::vector<std::string> missing;
  for (const auto& f : res.files) {
    bool cached = cache.hasSnapshotFile(info.commit, f);
    if (cached && config_.verifyCached) cached = blobIsSound(cache, cache.snapshotEtag(info.commit, f));
    if (cached) ++res.filesCached;
    else missing.push_back(f);
  }
  TransferProgress tp(progress, "download " + request.repoId + "@" + request.revision);
  BlobFetcher fetcher(config_, cache, request.revision, tp);

  std::vector<FileMeta> metas(missing.size());
  runPool(missing.size(), config_.maxWorkers, tp, [&](std::size_t i) { metas[i] = fetcher.head(info.commit, missing[i]); });

  // A blob shared with another revision (same etag) is linked, not fetched.
  std::vector<FileMeta> toFetch;
  std::int64_t totalBytes = 0;
  for (const auto& m : metas) {
    std::error_code ec;
    if (fs::exists(cache.blobPath(m.etag), ec) && (!config_.verifyCached || blobIsSound(cache, m.etag))) {
      cache.linkSnapshotFile(info.commit, m.file, m.etag);
      ++res.filesCached;
      continue;
    }
    toFetch.push_back(m);
    totalBytes += std::max<std::int64_t>(0, m.size);
  }
  tp.setTotals(totalBytes, static_cast<int>(toFetch.size()));
  tp.report(true);
  runPool(toFetch.size(), config_.maxWorkers, tp, [&](std::size_t i) {
    fetcher.fetch(toFetch[i]);
    cache.linkSnapshotFile(info.commit, toFetch[i].file, toFetch[i].etag);
    tp.fileFinished();
    tp.report();
  });
  if (!tp.report(true)) throw Cancelled();
  res.filesFetched = static_cast<int>(toFetch.size());
  res.bytesReceived = tp.received();
  return res;
}

}  // namespace qid::hub
