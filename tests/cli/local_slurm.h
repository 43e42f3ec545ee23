#pragma once
// A real single-node Slurm cluster for one test (scripts/slurm-local), in its
// own state folder on free ports, so tests in parallel processes do not
// share one. The destructor stops the daemons by their PIDs; a watchdog
// stops them too if the test process dies without running it.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "test_support.h"

namespace qid::test {

class LocalSlurm {
 public:
  // Starts the cluster, or returns nullptr with `why` saying why not.
  static std::unique_ptr<LocalSlurm> start(std::string& why) {
    for (const char* b : {"slurmctld", "slurmd", "munged", "sbatch", "scontrol", "scancel"}) {
      auto r = runShell(std::string("PATH=$PATH:/usr/sbin:/sbin command -v ") + b);
      if (r.exitCode != 0) {
        why = std::string("Slurm is not installed here (no ") + b +
              "); `scripts/setup-deps --slurm` installs slurmctld slurmd slurm-client munge (CI does)";
        return nullptr;
      }
    }
    auto s = std::unique_ptr<LocalSlurm>(new LocalSlurm());
    int ctld = freePort(), d = freePort();
    while (d == ctld) d = freePort();
    auto r = runShell("QIDLAB_SLURM_NO_INSTALL=1 QIDLAB_SLURMCTLD_PORT=" + std::to_string(ctld) +
                      " QIDLAB_SLURMD_PORT=" + std::to_string(d) + " '" + script() + "' start '" + s->dir() + "'");
    if (r.exitCode != 0) {
      why = "the Slurm daemons did not start (scripts/slurm-local start exited " + std::to_string(r.exitCode) +
            "): " + r.err;
      return nullptr;  // the script stopped what it had started
    }
    s->conf_ = (s->tmp_.path() / "slurm" / "slurm.conf").string();
    ::setenv("SLURM_CONF", s->conf_.c_str(), 1);
    // Stops the daemons once this process is gone, however it ends.
    runShell("setsid sh -c 'while kill -0 " + std::to_string(::getpid()) + " 2>/dev/null; do sleep 1; done; \"" +
             script() + "\" stop \"" + s->dir() + "\"' >/dev/null 2>&1 </dev/null &");
    return s;
  }

  ~LocalSlurm() {
    // Appended piece by piece: `"'" + script()` trips GCC 12's -Wrestrict false positive when inlined.
    std::string stop = "'";
    stop += script();
    stop += "' stop '";
    stop += dir();
    stop += "'";
    runShell(stop);
    ::unsetenv("SLURM_CONF");
  }

  const std::string& conf() const { return conf_; }
  std::string dir() const { return (tmp_.path() / "slurm").string(); }

 private:
  LocalSlurm() = default;
  static std::string script() { return std::string(QIDLAB_SOURCE_DIR) + "/scripts/slurm-local"; }
  static int freePort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    int port = 0;
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
      port = ntohs(a.sin_port);
    if (fd >= 0) ::close(fd);
    return port ? port : 16817;
  }

  TempDir tmp_;
  std::string conf_;
};

}  // namespace qid::test
