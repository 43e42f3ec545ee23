// Benchmark of `qidlab-cli reproduce --quick` (not in CI: it takes minutes).
// Runs the CLI as a user would, prints the time of each phase against the
// issue's target (<= 10 minutes on 2 CPU cores) and checks the full report:
// the unified law's beta and alpha are finite and have bootstrap CIs. Exits
// 1 when the report fails that check.
//   bench_reproduce [--preset quick] [--out DIR] [--cli PATH] [--threads N]
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

fs::path defaultCli() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return self.parent_path().parent_path() / "app" / "qidlab-cli";
}

bool finiteNumber(const json& j) { return j.is_number() && std::isfinite(j.get<double>()); }

}  // namespace

int main(int argc, char** argv) {
  std::string preset = "quick", threads;
  fs::path out, cli = defaultCli();
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--preset") preset = argv[i + 1];
    else if (a == "--out") out = argv[i + 1];
    else if (a == "--cli") cli = argv[i + 1];
    else if (a == "--threads") threads = argv[i + 1];
    else {
      std::fprintf(stderr, "bench_reproduce: unknown option %s\n", a.c_str());
      return 2;
    }
  }
  if (out.empty()) out = fs::temp_directory_path() / ("qidlab-bench-reproduce-" + std::to_string(getpid()));
  if (!fs::exists(cli)) {
    std::fprintf(stderr, "bench_reproduce: %s not found (build qidlab-cli, or pass --cli)\n", cli.c_str());
    return 2;
  }
  const std::string cmd = quote(cli.string()) + " reproduce --preset " + quote(preset) + " --out " +
                          quote(out.string()) + " --quiet" + (threads.empty() ? "" : " --threads " + threads) +
                          " > " + quote((out.string() + ".stdout")) ;
  std::printf("bench_reproduce: %s\n(%ld CPU cores online; fresh output folder %s)\n", cmd.c_str(),
              sysconf(_SC_NPROCESSORS_ONLN), out.c_str());
  std::fflush(stdout);
  const int rc = std::system(cmd.c_str());
  std::ifstream f(out / "report.json");
  if (!f) {
    std::fprintf(stderr, "bench_reproduce: no report.json (exit status %d)\n", rc);
    return 1;
  }
  const json r = json::parse(f);
  std::printf("\n%-12s %10s\n", "phase", "seconds");
  for (const auto& p : r["phases"]) std::printf("%-12s %10.1f\n", p["phase"].get<std::string>().c_str(), p["seconds"].get<double>());
  const double total = r["total_seconds"].get<double>();
  std::printf("%-12s %10.1f   (target for --quick: <= 600 s on 2 cores: %s)\n", "total", total,
              total <= 600 ? "met" : "NOT met");
  int bad = 0;
  std::printf("\n%-6s %10s %24s %10s\n", "param", "fitted", "95% CI", "paper");
  for (const char* p : {"beta", "alpha", "gamma"}) {
    const json& u = r["laws"]["unified"];
    const json v = u["params"].value(p, json(nullptr));
    const json ci = u.contains("ci") ? u["ci"].value(p, json(nullptr)) : json(nullptr);
    const bool ok = finiteNumber(v) && ci.is_array() && ci.size() == 2 && finiteNumber(ci[0]) && finiteNumber(ci[1]);
    if (!ok && std::string(p) != "gamma") ++bad;
    std::printf("%-6s %10.4f   [%9.4f, %9.4f] %10.4f %s\n", p, finiteNumber(v) ? v.get<double>() : NAN,
                ok ? ci[0].get<double>() : NAN, ok ? ci[1].get<double>() : NAN,
                u["paper"]["params"].value(p, NAN), ok ? "" : "  <- missing or not finite");
  }
  std::printf("\n%s\n%s\n", r["trend"]["tokens"]["statement"].get<std::string>().c_str(),
              r["trend"]["size"]["statement"].get<std::string>().c_str());
  std::printf("cells %d, measured %d, failed %d\n", r["sweep"]["cells"].get<int>(), r["sweep"]["measured"].get<int>(),
              r["sweep"]["failed"].get<int>());
  if (bad || rc != 0) {
    std::printf("bench_reproduce: the report FAILS the check (exit status %d, %d exponents without a finite value and CI)\n",
                rc, bad);
    return 1;
  }
  std::printf("bench_reproduce: report ok (%s)\n", (out / "report.md").c_str());
  return 0;
}
