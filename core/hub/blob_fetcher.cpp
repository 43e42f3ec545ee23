#include "hub/blob_fetcher.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

#include "common/error.h"
#include "hub/file_lock.h"
#include "hub/hub_errors.h"
#include "hub/sha256.h"

namespace qid::hub {

namespace fs = std::filesystem;

namespace {

constexpr int kVerifyAttempts = 3;  // downloads of one blob before a SHA-256 mismatch is final

// "scheme://host[:port]" of a URL.
std::string origin(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  auto slash = url.find('/', scheme + 3);
  return url.substr(0, slash);
}

std::int64_t fileSize(const fs::path& p) {
  std::error_code ec;
  auto n = fs::file_size(p, ec);
  return ec ? -1 : static_cast<std::int64_t>(n);
}

std::int64_t parseSize(const std::string& s) {
  try {
    return s.empty() ? -1 : std::stoll(s);
  } catch (const std::exception&) {
    return -1;
  }
}

}  // namespace

std::string normalizeEtag(std::string etag) {
  if (etag.rfind("W/", 0) == 0) etag.erase(0, 2);
  etag.erase(std::remove(etag.begin(), etag.end(), '"'), etag.end());
  return etag;
}

BlobFetcher::BlobFetcher(const HubConfig& config, const HubCache& cache, std::string revision,
                         TransferProgress& progress)
    : config_(config), cache_(cache), revision_(std::move(revision)), progress_(progress) {}

std::vector<std::string> BlobFetcher::authHeaders(const std::string& url) const {
  std::vector<std::string> h;
  // The token goes to the hub only, never to the CDN a redirect points at.
  if (!config_.token.empty() && origin(url) == origin(config_.endpoint))
    h.push_back("Authorization: Bearer " + config_.token);
  return h;
}

std::string BlobFetcher::resolveUrl(const std::string& rev, const std::string& file) const {
  return config_.endpoint + "/" + cache_.repoId() + "/resolve/" + urlEncode(rev, false) + "/" + urlEncode(file, true);
}

void BlobFetcher::sleepBackoff(int attempt) const {
  long ms = static_cast<long>(config_.backoffMs) << std::min(attempt - 1, 4);
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < until && !progress_.stopping())
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(ms, 50L)));
}

HttpResponse BlobFetcher::withRetries(const std::function<HttpRequest()>& make, const std::string& file) const {
  HttpResponse r;
  int attempts = std::max(1, config_.maxAttempts);
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    if (progress_.stopping()) throw Cancelled();
    r = httpRequest(make());
    if (r.cancelled || progress_.stopping()) throw Cancelled();
    if (r.curlCode == 0 && r.status < 400) return r;
    if (!r.transient() || attempt == attempts) break;
    sleepBackoff(attempt);
  }
  std::string msg = hubErrorMessage({config_.endpoint, cache_.repoId(), revision_, file}, r, !config_.token.empty());
  if (r.transient()) msg += " (gave up after " + std::to_string(attempts) + " attempts)";
  throw Error(msg);
}

FileMeta BlobFetcher::head(const std::string& commit, const std::string& file) const {
  FileMeta m;
  m.file = file;
  std::string url = resolveUrl(commit, file);
  HttpResponse r;
  // Relative redirects (a renamed repo) stay on the hub: follow a few by hand.
  for (int hop = 0; hop < 5; ++hop) {
    r = withRetries(
        [&] {
          HttpRequest q;
          q.method = "HEAD";
          q.url = url;
          q.headers = authHeaders(url);
          q.headers.push_back("Accept-Encoding: identity");
          q.followRedirects = false;
          q.connectTimeoutS = q.stallTimeoutS = config_.timeoutS;
          return q;
        },
        file);
    std::string location = r.header("location");
    bool redirect = r.status >= 300 && r.status < 400;
    if (redirect && r.header("x-linked-etag").empty() && !location.empty() && location.front() == '/') {
      url = origin(config_.endpoint) + location;
      continue;
    }
    break;
  }
  m.commit = r.header("x-repo-commit");
  if (m.commit.empty()) m.commit = commit;
  std::string linked = r.header("x-linked-etag");
  m.etag = normalizeEtag(linked.empty() ? r.header("etag") : linked);
  m.size = parseSize(linked.empty() ? r.header("content-length") : r.header("x-linked-size"));
  if (m.etag.empty() || m.etag.find('/') != std::string::npos || m.etag.find("..") != std::string::npos)
    throw Error("the hub gave no usable ETag for file '" + file + "' of hub repo " + cache_.repoId() +
                " at revision '" + revision_ + "' (" + url + ")");
  std::string location = r.header("location");
  if (r.status >= 300 && r.status < 400 && !location.empty())
    m.url = location.front() == '/' ? origin(config_.endpoint) + location : location;
  else
    m.url = url;
  return m;
}

// One pass of retried GETs that leaves the complete file in `incomplete`.
// Returns false when the server's bytes could not be completed.
bool BlobFetcher::downloadInto(const FileMeta& meta, const fs::path& incomplete) const {
  std::int64_t counted = 0;  // bytes of this file already reported as done
  auto recount = [&](std::int64_t onDisk) {
    progress_.addDone(onDisk - counted);
    counted = onDisk;
  };
  int attempts = std::max(1, config_.maxAttempts);
  HttpResponse last;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    if (progress_.stopping()) throw Cancelled();
    std::int64_t offset = std::max<std::int64_t>(0, fileSize(incomplete));
    if (meta.size >= 0 && offset > meta.size) {
      fs::remove(incomplete);
      offset = 0;
    }
    recount(offset);
    if (meta.size >= 0 && offset == meta.size && offset > 0) return true;

    std::ofstream out;
    long writingStatus = 0;
    HttpRequest q;
    q.url = meta.url;
    q.headers = authHeaders(meta.url);
    q.rangeStart = offset > 0 ? offset : -1;
    q.connectTimeoutS = q.stallTimeoutS = config_.timeoutS;
    q.onBody = [&](long status, const char* data, std::size_t n) {
      if (status != 200 && status != 206) return true;  // an error page: not the file
      if (!out.is_open()) {
        writingStatus = status;
        bool append = status == 206;
        out.open(incomplete, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
        if (!out) return false;
        if (!append) recount(0);  // the server restarted from byte 0
      }
      out.write(data, static_cast<std::streamsize>(n));
      counted += static_cast<std::int64_t>(n);
      progress_.addReceived(static_cast<std::int64_t>(n));
      progress_.report();
      return out.good() && !progress_.stopping();
    };
    q.onProgress = [&](std::int64_t) { return progress_.report() && !progress_.stopping(); };
    last = httpRequest(q);
    out.close();
    if (last.cancelled || progress_.stopping()) throw Cancelled();
    if (last.writeAborted) throw Error("cannot write " + incomplete.string());
    if (last.status == 416) {  // our partial file does not fit the blob: start over
      fs::remove(incomplete);
      continue;
    }
    bool gotBody = last.curlCode == 0 && (last.status == 200 || last.status == 206);
    if (gotBody) {
      std::int64_t now = fileSize(incomplete);
      if (writingStatus == 0 && now < 0) {  // an empty file: nothing was written
        std::ofstream(incomplete, std::ios::binary).close();
        now = 0;
      }
      if (meta.size < 0 || now == meta.size) return true;
      if (now > meta.size) fs::remove(incomplete);
      sleepBackoff(attempt);  // short: resume on the next pass
      continue;
    }
    if (!last.transient()) break;
    if (attempt < attempts) sleepBackoff(attempt);
  }
  std::string msg =
      hubErrorMessage({config_.endpoint, cache_.repoId(), revision_, meta.file}, last, !config_.token.empty());
  if (last.transient()) msg += " (gave up after " + std::to_string(attempts) + " attempts; run again to resume)";
  throw Error(msg);
}

void BlobFetcher::fetch(const FileMeta& meta) const {
  fs::path blob = cache_.blobPath(meta.etag);
  std::error_code ec;
  if (fs::exists(blob, ec)) return;
  FileLock lock(cache_.lockPath(meta.etag));
  if (fs::exists(blob, ec)) return;  // another process finished it meanwhile
  fs::create_directories(blob.parent_path());
  fs::path incomplete = cache_.incompletePath(meta.etag);
  for (int pass = 1; pass <= kVerifyAttempts; ++pass) {
    downloadInto(meta, incomplete);
    if (isSha256Hex(meta.etag)) {
      std::string actual = sha256File(incomplete);
      if (actual != meta.etag) {
        fs::remove(incomplete, ec);
        progress_.addDone(-std::max<std::int64_t>(0, meta.size));
        if (pass < kVerifyAttempts) continue;
        throw Error("SHA-256 mismatch for file '" + meta.file + "' of hub repo " + cache_.repoId() +
                    " at revision '" + revision_ + "': expected " + meta.etag + ", got " + actual + " (" +
                    std::to_string(kVerifyAttempts) + " downloads)");
      }
    }
    fs::rename(incomplete, blob);
    return;
  }
}

}  // namespace qid::hub
