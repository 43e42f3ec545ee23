#include "test_support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace qid::test {

namespace fs = std::filesystem;

fs::path sharedDataDir() {
  if (const char* env = std::getenv("QIDLAB_SHARED_DATA"); env && *env) return env;
  return fs::path(QIDLAB_SOURCE_DIR) / ".." / "shared" / "data";
}

std::optional<fs::path> sharedFile(const std::string& relative) {
  fs::path p = sharedDataDir() / relative;
  if (fs::exists(p)) return p;
  return std::nullopt;
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  fs::path base = fs::temp_directory_path();
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path candidate = base / ("qidtest-" + std::to_string(getpid()) + "-" +
                                 std::to_string(counter++) + "-" + std::to_string(rd() % 100000));
    if (fs::create_directory(candidate)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void writeFile(const fs::path& path, const std::string& content) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
}

RunResult runShell(const std::string& commandLine) {
  TempDir tmp;
  fs::path outFile = tmp / "stdout", errFile = tmp / "stderr";
  std::string full = "( " + commandLine + " ) >'" + outFile.string() + "' 2>'" + errFile.string() + "' </dev/null";
  int status = std::system(full.c_str());
  RunResult r;
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = readFile(outFile);
  r.err = readFile(errFile);
  return r;
}

RunResult runCli(const std::string& args) {
  return runShell(std::string("'") + QIDLAB_CLI_PATH + "' " + args);
}

}  // namespace qid::test
