#pragma once
// An exclusive advisory lock on a file (flock), held for the object's life.
// Two processes downloading the same blob into one cache take turns.
#include <filesystem>

namespace qid::hub {

class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& path);  // blocks; throws qid::Error
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace qid::hub
