#include "hub/hub_config.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace qid::hub {

namespace fs = std::filesystem;

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

std::string trim(std::string s) {
  auto notSpace = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), notSpace));
  s.erase(std::find_if(s.rbegin(), s.rend(), notSpace).base(), s.end());
  return s;
}

fs::path hfHome() {
  if (auto h = env("HF_HOME"); !h.empty()) return h;
  if (auto x = env("XDG_CACHE_HOME"); !x.empty()) return fs::path(x) / "huggingface";
  if (auto home = env("HOME"); !home.empty()) return fs::path(home) / ".cache" / "huggingface";
  return fs::path(".cache") / "huggingface";
}

int envInt(const char* name, int fallback) {
  std::string v = env(name);
  if (v.empty()) return fallback;
  try {
    return std::max(0, std::stoi(v));
  } catch (const std::exception&) {
    return fallback;
  }
}

}  // namespace

bool envFlag(const char* name) {
  std::string v = env(name);
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  return v == "1" || v == "true" || v == "yes" || v == "on";
}

HubConfig configFromEnvironment() {
  HubConfig c;
  if (auto e = trim(env("HF_ENDPOINT")); !e.empty()) c.endpoint = e;
  while (!c.endpoint.empty() && c.endpoint.back() == '/') c.endpoint.pop_back();

  c.token = trim(env("HF_TOKEN"));
  if (c.token.empty()) {
    fs::path tokenFile = env("HF_TOKEN_PATH").empty() ? hfHome() / "token" : fs::path(env("HF_TOKEN_PATH"));
    std::ifstream in(tokenFile);
    if (in) {
      std::stringstream ss;
      ss << in.rdbuf();
      c.token = trim(ss.str());
    }
  }

  if (auto v = env("HF_HUB_CACHE"); !v.empty()) c.cacheDir = v;
  else if (auto legacy = env("HUGGINGFACE_HUB_CACHE"); !legacy.empty()) c.cacheDir = legacy;
  else c.cacheDir = hfHome() / "hub";

  c.offline = envFlag("HF_HUB_OFFLINE");
  c.timeoutS = std::max(1, envInt("HF_HUB_DOWNLOAD_TIMEOUT", c.timeoutS));
  c.backoffMs = envInt("QIDLAB_HUB_BACKOFF_MS", c.backoffMs);
  return c;
}

}  // namespace qid::hub
