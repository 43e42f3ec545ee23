#pragma once
// Starts tests/support/fake_hf_hub.py (a stand-in Hugging Face hub on
// 127.0.0.1, standard-library Python) on a free port for one test, and writes
// its fixture: repos with revisions and files, tokens, injected faults. The
// server stops with the object, or by itself when this process is gone.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_support.h"

namespace qid::test {

class FakeHub {
 public:
  explicit FakeHub(std::filesystem::path root) : root_(std::move(root)) {
    std::filesystem::create_directories(root_ / "repos");
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    std::string script = std::string(QIDLAB_SOURCE_DIR) + "/tests/support/fake_hf_hub.py";
    std::string parent = std::to_string(getpid());
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      execlp("python3", "python3", script.c_str(), "--root", root_.c_str(), "--parent-pid", parent.c_str(),
             "--max-seconds", "240", "--idle-seconds", "60", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{fds[0], POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) continue;
      char buf[64];
      ssize_t n = read(fds[0], buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<std::size_t>(n));
    }
    close(fds[0]);
    if (line.rfind("PORT ", 0) != 0) {
      stop();
      throw std::runtime_error("the fake hub did not start (is python3 installed?): '" + line + "'");
    }
    port_ = std::stoi(line.substr(5));
  }
  ~FakeHub() { stop(); }
  FakeHub(const FakeHub&) = delete;
  FakeHub& operator=(const FakeHub&) = delete;

  void stop() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::filesystem::path& root() const { return root_; }

  std::filesystem::path repoDir(const std::string& repo) const { return root_ / "repos" / repo; }

  // Adds a commit with its files and points the revisions at it.
  void addCommit(const std::string& repo, const std::string& commit, const std::vector<std::string>& revisions,
                 const std::map<std::string, std::string>& files) {
    for (const auto& [name, content] : files) writeFile(repoDir(repo) / "commits" / commit / name, content);
    std::filesystem::create_directories(repoDir(repo) / "commits" / commit);
    for (const auto& r : revisions) refs_[repo][r] = commit;
    std::ostringstream j;
    j << "{";
    bool first = true;
    for (const auto& [r, c] : refs_[repo]) {
      j << (first ? "" : ",") << "\"" << r << "\":\"" << c << "\"";
      first = false;
    }
    j << "}";
    writeFile(repoDir(repo) / "refs.json", j.str());
  }

  void requireToken(const std::string& repo, const std::string& token) { writeFile(repoDir(repo) / "token", token); }

  // A JSON array of fault rules (see fake_hf_hub.py).
  void setFaults(const std::string& json) { writeFile(root_ / "faults.json", json); }

  std::vector<std::string> requests() const {
    std::vector<std::string> out;
    std::ifstream in(root_ / "requests.log");
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  }
  void clearRequests() { std::filesystem::remove(root_ / "requests.log"); }
  // Requests whose log line contains every one of the parts.
  int count(const std::vector<std::string>& parts) const {
    int n = 0;
    for (const auto& l : requests()) {
      bool all = true;
      for (const auto& p : parts) all = all && l.find(p) != std::string::npos;
      n += all;
    }
    return n;
  }

 private:
  std::filesystem::path root_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::map<std::string, std::map<std::string, std::string>> refs_;
};

}  // namespace qid::test
