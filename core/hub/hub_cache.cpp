#include "hub/hub_cache.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/error.h"

namespace qid::hub {

namespace fs = std::filesystem;

namespace {

bool validNameChar(unsigned char c) { return std::isalnum(c) || c == '-' || c == '_' || c == '.'; }

std::string readAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes through a temporary file and a rename, so readers never see half a file.
void writeAtomically(const fs::path& p, const std::string& content) {
  static std::atomic<int> counter{0};
  fs::create_directories(p.parent_path());
  fs::path tmp = p;
  tmp += ".tmp" + std::to_string(getpid()) + "-" + std::to_string(counter++);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw Error("cannot write " + tmp.string());
  }
  fs::rename(tmp, p);
}

}  // namespace

bool naturalLess(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      std::size_t i2 = i, j2 = j;
      while (i2 < a.size() && std::isdigit(static_cast<unsigned char>(a[i2]))) ++i2;
      while (j2 < b.size() && std::isdigit(static_cast<unsigned char>(b[j2]))) ++j2;
      std::string na = a.substr(i, i2 - i), nb = b.substr(j, j2 - j);
      na.erase(0, std::min(na.find_first_not_of('0'), na.size()));
      nb.erase(0, std::min(nb.find_first_not_of('0'), nb.size()));
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = i2;
      j = j2;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

void HubCache::checkRepoId(const std::string& repoId) {
  auto slash = repoId.find('/');
  bool ok = !repoId.empty() && repoId.find('/', slash == std::string::npos ? 0 : slash + 1) == std::string::npos;
  if (ok) {
    for (unsigned char c : repoId) ok = ok && (validNameChar(c) || c == '/');
    ok = ok && repoId.front() != '/' && repoId.back() != '/' && repoId.find("..") == std::string::npos &&
         repoId.find("--") == std::string::npos;
  }
  if (!ok) throw Error("invalid hub repo id '" + repoId + "' (expected ORG/NAME, e.g. EleutherAI/pythia-70m)");
}

void HubCache::checkRelativePath(const std::string& path, const std::string& what) {
  bool ok = !path.empty() && path.front() != '/' && path.find('\\') == std::string::npos;
  std::stringstream ss(path);
  std::string part;
  while (ok && std::getline(ss, part, '/')) ok = !part.empty() && part != "." && part != "..";
  if (!ok) throw Error("invalid " + what + " '" + path + "' (must be a relative path without '..')");
}

HubCache::HubCache(fs::path root, std::string repoId) : root_(std::move(root)), repoId_(std::move(repoId)) {
  checkRepoId(repoId_);
}

std::string HubCache::folderName(const std::string& repoId) {
  std::string out = "models--";
  for (char c : repoId) {
    if (c == '/') out += "--";
    else out += c;
  }
  return out;
}

fs::path HubCache::repoDir() const { return root_ / folderName(repoId_); }
fs::path HubCache::blobPath(const std::string& etag) const { return repoDir() / "blobs" / etag; }
fs::path HubCache::incompletePath(const std::string& etag) const {
  return repoDir() / "blobs" / (etag + ".incomplete");
}
fs::path HubCache::lockPath(const std::string& etag) const {
  return root_ / ".locks" / folderName(repoId_) / (etag + ".lock");
}
fs::path HubCache::snapshotDir(const std::string& commit) const { return repoDir() / "snapshots" / commit; }
fs::path HubCache::snapshotFile(const std::string& commit, const std::string& file) const {
  checkRelativePath(file, "file path");
  return snapshotDir(commit) / file;
}

std::optional<std::string> HubCache::readRef(const std::string& revision) const {
  checkRelativePath(revision, "revision");
  fs::path p = repoDir() / "refs" / revision;
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return std::nullopt;
  std::string commit = readAll(p);
  while (!commit.empty() && std::isspace(static_cast<unsigned char>(commit.back()))) commit.pop_back();
  if (commit.empty()) return std::nullopt;
  return commit;
}

void HubCache::writeRef(const std::string& revision, const std::string& commit) const {
  checkRelativePath(revision, "revision");
  fs::path p = repoDir() / "refs" / revision;
  if (readRef(revision) == commit) return;
  writeAtomically(p, commit);
}

void HubCache::linkSnapshotFile(const std::string& commit, const std::string& file,
                                const std::string& etag) const {
  fs::path link = snapshotFile(commit, file);
  fs::create_directories(link.parent_path());
  // snapshots/{commit}/a/b/file -> ../../../../blobs/etag: one "../" for
  // each folder between the link and the repo folder.
  fs::path target;
  std::size_t depth = static_cast<std::size_t>(std::count(file.begin(), file.end(), '/')) + 2;
  for (std::size_t i = 0; i < depth; ++i) target /= "..";
  target = target / "blobs" / etag;
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(link, ec)) && fs::read_symlink(link, ec) == target) return;
  fs::remove(link, ec);
  fs::create_symlink(target, link, ec);
  if (ec && !fs::is_symlink(fs::symlink_status(link)))
    throw Error("cannot create the snapshot link " + link.string() + ": " + ec.message());
}

bool HubCache::hasSnapshotFile(const std::string& commit, const std::string& file) const {
  std::error_code ec;
  return fs::exists(snapshotFile(commit, file), ec);  // follows the link to the blob
}

std::string HubCache::snapshotEtag(const std::string& commit, const std::string& file) const {
  std::error_code ec;
  fs::path link = snapshotFile(commit, file);
  if (!fs::is_symlink(fs::symlink_status(link, ec))) return "";
  fs::path target = fs::read_symlink(link, ec);
  if (ec || target.parent_path().filename() != "blobs") return "";
  return target.filename().string();
}

std::vector<std::string> HubCache::snapshotFiles(const std::string& commit) const {
  std::vector<std::string> files;
  fs::path dir = snapshotDir(commit);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_directory()) continue;
    files.push_back(it->path().lexically_relative(dir).generic_string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<CachedRevision> HubCache::revisions() const {
  std::map<std::string, std::vector<std::string>> refsByCommit;
  std::error_code ec;
  fs::path refsDir = repoDir() / "refs";
  if (fs::is_directory(refsDir, ec)) {
    for (auto it = fs::recursive_directory_iterator(refsDir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      std::string name = it->path().lexically_relative(refsDir).generic_string();
      if (auto commit = readRef(name)) refsByCommit[*commit].push_back(name);
    }
  }
  std::vector<CachedRevision> out;
  fs::path snaps = repoDir() / "snapshots";
  if (!fs::is_directory(snaps, ec)) return out;
  for (const auto& entry : fs::directory_iterator(snaps, ec)) {
    if (!entry.is_directory()) continue;
    CachedRevision r;
    r.commit = entry.path().filename().string();
    r.snapshot = entry.path();
    r.refs = refsByCommit[r.commit];
    std::sort(r.refs.begin(), r.refs.end(), naturalLess);
    r.files = snapshotFiles(r.commit);
    std::set<std::string> seen;
    for (const auto& f : r.files) {
      std::error_code fec;
      fs::path p = entry.path() / f;
      if (!fs::exists(p, fec)) {
        r.broken = true;
        continue;
      }
      std::string key = fs::canonical(p, fec).string();
      if (seen.insert(key).second) r.bytes += static_cast<std::int64_t>(fs::file_size(p, fec));
    }
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const CachedRevision& a, const CachedRevision& b) {
    if (a.refs.empty() != b.refs.empty()) return !a.refs.empty();
    if (a.refs.empty()) return a.commit < b.commit;
    return naturalLess(a.refs.front(), b.refs.front());
  });
  return out;
}

std::int64_t HubCache::blobBytes() const {
  std::int64_t total = 0;
  std::error_code ec;
  fs::path blobs = repoDir() / "blobs";
  if (!fs::is_directory(blobs, ec)) return 0;
  for (const auto& e : fs::directory_iterator(blobs, ec))
    if (e.is_regular_file()) total += static_cast<std::int64_t>(e.file_size());
  return total;
}

std::int64_t HubCache::removeSnapshot(const std::string& commit) const {
  std::set<std::string> mine;
  for (const auto& f : snapshotFiles(commit))
    if (auto e = snapshotEtag(commit, f); !e.empty()) mine.insert(e);
  std::set<std::string> others;
  for (const auto& r : revisions()) {
    if (r.commit == commit) continue;
    for (const auto& f : r.files)
      if (auto e = snapshotEtag(r.commit, f); !e.empty()) others.insert(e);
  }
  std::int64_t freed = 0;
  std::error_code ec;
  for (const auto& e : mine) {
    if (others.count(e)) continue;
    fs::path b = blobPath(e);
    if (fs::is_regular_file(b, ec)) {
      freed += static_cast<std::int64_t>(fs::file_size(b, ec));
      fs::remove(b, ec);
    }
  }
  fs::remove_all(snapshotDir(commit), ec);
  fs::path refsDir = repoDir() / "refs";
  std::vector<fs::path> stale;
  if (fs::is_directory(refsDir, ec)) {
    for (auto it = fs::recursive_directory_iterator(refsDir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (it->is_regular_file() && readRef(it->path().lexically_relative(refsDir).generic_string()) == commit)
        stale.push_back(it->path());
    }
  }
  for (const auto& p : stale) fs::remove(p, ec);
  return freed;
}

std::vector<std::string> cachedRepos(const fs::path& root) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return out;
  for (const auto& e : fs::directory_iterator(root, ec)) {
    std::string name = e.path().filename().string();
    if (!e.is_directory() || name.rfind("models--", 0) != 0) continue;
    std::string rest = name.substr(8);
    auto sep = rest.find("--");
    out.push_back(sep == std::string::npos ? rest : rest.substr(0, sep) + "/" + rest.substr(sep + 2));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::int64_t cacheBytes(const fs::path& root) {
  std::int64_t total = 0;
  for (const auto& repo : cachedRepos(root)) total += HubCache(root, repo).blobBytes();
  return total;
}

}  // namespace qid::hub
