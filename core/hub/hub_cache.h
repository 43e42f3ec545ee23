#pragma once
// The on-disk layout of huggingface_hub's cache, for one model repo:
//
//   {cache}/models--{org}--{name}/blobs/{etag}               file content
//   {cache}/models--{org}--{name}/blobs/{etag}.incomplete    partial download
//   {cache}/models--{org}--{name}/snapshots/{commit}/{file}  relative symlink
//                                                           to ../../blobs/{etag}
//   {cache}/models--{org}--{name}/refs/{revision}            the commit, no newline
//   {cache}/.locks/models--{org}--{name}/{etag}.lock         download lock
//
// The etag is the SHA-256 for LFS files and the git blob id otherwise. A file
// in a subfolder gets one more "../" per level, exactly as Python writes it.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace qid::hub {

struct CachedRevision {
  std::vector<std::string> refs;  // revisions that point at the commit (may be empty)
  std::string commit;
  std::filesystem::path snapshot;
  std::vector<std::string> files;  // relative paths, sorted
  std::int64_t bytes = 0;          // sum of the blobs the files point at
  bool broken = false;             // a file's blob is missing
};

class HubCache {
 public:
  // Throws qid::Error when repoId is not "org/name" (or a bare "name").
  HubCache(std::filesystem::path root, std::string repoId);

  static std::string folderName(const std::string& repoId);  // "models--org--name"
  static void checkRepoId(const std::string& repoId);
  static void checkRelativePath(const std::string& path, const std::string& what);

  const std::string& repoId() const { return repoId_; }
  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path repoDir() const;
  std::filesystem::path blobPath(const std::string& etag) const;
  std::filesystem::path incompletePath(const std::string& etag) const;
  std::filesystem::path lockPath(const std::string& etag) const;
  std::filesystem::path snapshotDir(const std::string& commit) const;
  std::filesystem::path snapshotFile(const std::string& commit, const std::string& file) const;

  std::optional<std::string> readRef(const std::string& revision) const;
  void writeRef(const std::string& revision, const std::string& commit) const;

  // Points snapshots/{commit}/{file} at blobs/{etag} with a relative symlink,
  // replacing what was there.
  void linkSnapshotFile(const std::string& commit, const std::string& file,
                        const std::string& etag) const;
  // True when the snapshot file exists and its target blob exists.
  bool hasSnapshotFile(const std::string& commit, const std::string& file) const;
  // The etag a snapshot file points at, or "" when it is not a symlink to a blob.
  std::string snapshotEtag(const std::string& commit, const std::string& file) const;
  std::vector<std::string> snapshotFiles(const std::string& commit) const;

  // Every snapshot with the refs pointing at it, naturally sorted by ref
  // (step2 before step10), unreferenced commits last.
  std::vector<CachedRevision> revisions() const;
  std::int64_t blobBytes() const;

  // Removes a snapshot, the refs pointing at it and the blobs no other
  // snapshot uses. Returns the bytes freed.
  std::int64_t removeSnapshot(const std::string& commit) const;

 private:
  std::filesystem::path root_;
  std::string repoId_;
};

// Repo ids ("org/name") with a models--* folder in the cache, sorted.
std::vector<std::string> cachedRepos(const std::filesystem::path& root);
// Bytes of all blobs under a cache root.
std::int64_t cacheBytes(const std::filesystem::path& root);
// "step2" < "step10": digit runs compare as numbers.
bool naturalLess(const std::string& a, const std::string& b);

}  // namespace qid::hub
