#pragma once
// Helpers shared by the test binaries: the shared data folder, temporary
// folders, and running the built CLI.
#include <filesystem>
#include <optional>
#include <string>

namespace qid::test {

// ../shared/data next to the source tree, or $QIDLAB_SHARED_DATA.
std::filesystem::path sharedDataDir();

// The path of a shared data file, or nullopt when it is absent (callers must
// GTEST_SKIP with a message that names the file: see QID_REQUIRE_SHARED).
std::optional<std::filesystem::path> sharedFile(const std::string& relative);

// A fresh, empty temporary folder removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct RunResult {
  int exitCode = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs the built qidlab-cli with the given argument string (shell-quoted by
// the caller) and captures stdout, stderr and the exit code.
RunResult runCli(const std::string& args);

// Runs any shell command line the same way.
RunResult runShell(const std::string& commandLine);

std::string readFile(const std::filesystem::path& path);
void writeFile(const std::filesystem::path& path, const std::string& content);

}  // namespace qid::test

// Skips the current test, naming the missing shared data file.
#define QID_REQUIRE_SHARED(var, relative)                                              \
  auto var##_opt = ::qid::test::sharedFile(relative);                                 \
  if (!var##_opt) GTEST_SKIP() << "shared data file missing: " << (relative)          \
                               << " (looked in " << ::qid::test::sharedDataDir() << ")"; \
  const std::filesystem::path var = *var##_opt
