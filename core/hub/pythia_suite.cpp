#include "hub/pythia_suite.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "common/error.h"
#include "hub/hub_cache.h"

namespace qid::hub {

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::stringstream ss(s);
  while (std::getline(ss, cur, sep)) out.push_back(cur);
  if (!s.empty() && s.back() == sep) out.push_back("");
  return out;
}

std::string knownSizes() {
  std::string out;
  for (const auto& s : pythiaSizes()) out += (out.empty() ? "" : ", ") + s.name;
  return out;
}

// "step1000" or "1000" -> 1000.
std::int64_t parseStep(const std::string& token, const std::string& selector) {
  std::string digits = token.rfind("step", 0) == 0 ? token.substr(4) : token;
  bool ok = !digits.empty() && digits.size() < 12 &&
            std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); });
  if (!ok) throw Error("selector '" + selector + "': '" + token + "' is not a step (expected stepN or N)");
  return std::stoll(digits);
}

SuiteCheckpoint checkpointAt(const std::string& repo, std::int64_t step) {
  return {repo, "step" + std::to_string(step), step, pythiaTokens(step)};
}

// The revisions of one suite repo named by REVS.
std::vector<SuiteCheckpoint> expandRevisions(const std::string& repo, const std::string& revs,
                                             const std::string& selector) {
  std::vector<SuiteCheckpoint> out;
  if (revs.empty()) {
    for (auto s : pythiaSteps()) out.push_back(checkpointAt(repo, s));
    return out;
  }
  for (const auto& item : split(revs, ',')) {
    if (item.empty()) throw Error("selector '" + selector + "': empty revision in the list");
    auto dots = item.find("..");
    if (item == "main") {
      out.push_back({repo, "main", kPythiaFinalStep, pythiaTokens(kPythiaFinalStep)});
    } else if (dots == std::string::npos) {
      std::int64_t step = parseStep(item, selector);
      if (!isPythiaStep(step))
        throw Error("selector '" + selector + "': step " + std::to_string(step) +
                    " is not a Pythia checkpoint (steps 0, 1, 2, 4, ..., 512, then every 1000 to 143000)");
      out.push_back(checkpointAt(repo, step));
    } else {
      std::string hiPart = item.substr(dots + 2);
      std::int64_t stride = 0;
      if (auto slash = hiPart.find('/'); slash != std::string::npos) {
        stride = parseStep(hiPart.substr(slash + 1), selector);
        hiPart = hiPart.substr(0, slash);
        if (stride <= 0) throw Error("selector '" + selector + "': the stride after '/' must be positive");
      }
      std::int64_t lo = parseStep(item.substr(0, dots), selector), hi = parseStep(hiPart, selector);
      if (lo > hi) throw Error("selector '" + selector + "': range '" + item + "' runs backwards");
      for (auto s : pythiaSteps())
        if (s >= lo && s <= hi && (stride == 0 || (s - lo) % stride == 0)) out.push_back(checkpointAt(repo, s));
    }
  }
  return out;
}

std::vector<std::string> expandSizes(const std::string& sizes, const std::string& selector) {
  if (sizes == "*") {
    std::vector<std::string> all;
    for (const auto& s : pythiaSizes()) all.push_back(s.name);
    return all;
  }
  std::string inner = sizes;
  if (sizes.size() >= 2 && sizes.front() == '{' && sizes.back() == '}') inner = sizes.substr(1, sizes.size() - 2);
  std::vector<std::string> out = split(inner, ',');
  for (const auto& s : out) {
    bool known = std::any_of(pythiaSizes().begin(), pythiaSizes().end(),
                             [&](const PythiaSize& p) { return p.name == s; });
    if (!known)
      throw Error("selector '" + selector + "': unknown Pythia size '" + s + "' (known: " + knownSizes() + ")");
  }
  return out;
}

}  // namespace

const std::vector<PythiaSize>& pythiaSizes() {
  static const std::vector<PythiaSize> sizes = {
      {"14m", 6, 128, 4},      {"70m", 6, 512, 8},      {"160m", 12, 768, 12},
      {"410m", 24, 1024, 16},  {"1b", 16, 2048, 8},     {"1.4b", 24, 2048, 16},
      {"2.8b", 32, 2560, 32},  {"6.9b", 32, 4096, 32},  {"12b", 36, 5120, 40}};
  return sizes;
}

std::string pythiaRepo(const std::string& size, bool deduped) {
  bool known = std::any_of(pythiaSizes().begin(), pythiaSizes().end(),
                           [&](const PythiaSize& p) { return p.name == size; });
  if (!known) throw Error("unknown Pythia size '" + size + "' (known: " + knownSizes() + ")");
  return "EleutherAI/pythia-" + size + (deduped ? "-deduped" : "");
}

const std::vector<std::int64_t>& pythiaSteps() {
  static const std::vector<std::int64_t> steps = [] {
    std::vector<std::int64_t> s{0};
    for (std::int64_t p = 1; p <= 512; p *= 2) s.push_back(p);
    for (std::int64_t k = 1000; k <= kPythiaFinalStep; k += 1000) s.push_back(k);
    return s;
  }();
  return steps;
}

bool isPythiaStep(std::int64_t step) {
  return std::binary_search(pythiaSteps().begin(), pythiaSteps().end(), step);
}

double pythiaTokens(std::int64_t step) { return static_cast<double>(step) * static_cast<double>(kPythiaTokensPerStep); }

std::optional<std::int64_t> pythiaStepOfRevision(const std::string& revision) {
  if (revision == "main") return kPythiaFinalStep;
  if (revision.size() <= 4 || revision.rfind("step", 0) != 0) return std::nullopt;
  std::string digits = revision.substr(4);
  if (digits.size() > 12 || !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); }))
    return std::nullopt;
  return std::stoll(digits);
}

ParamCount paramsFromConfig(const std::filesystem::path& configJson) {
  std::ifstream in(configJson);
  if (!in) throw Error("cannot read the model config " + configJson.string());
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error(configJson.string() + ": not valid JSON: " + e.what());
  }
  std::string type = j.value("model_type", "");
  if (type != "gpt_neox")
    throw Error(configJson.string() + ": model_type '" + type + "' is not supported for N (only gpt_neox)");
  auto need = [&](const char* key) -> std::int64_t {
    if (!j.contains(key) || !j[key].is_number_integer())
      throw Error(configJson.string() + ": missing integer '" + std::string(key) + "'");
    return j[key].get<std::int64_t>();
  };
  std::int64_t h = need("hidden_size"), layers = need("num_hidden_layers"), vocab = need("vocab_size");
  std::int64_t inter = j.contains("intermediate_size") ? need("intermediate_size") : 4 * h;
  // Per layer: fused QKV (3h^2+3h) + dense (h^2+h) + MLP (2hI + I + h) + two LayerNorms (4h).
  std::int64_t perLayer = 4 * h * h + 4 * h + 2 * h * inter + inter + h + 4 * h;
  ParamCount p;
  p.nonEmbedding = layers * perLayer + 2 * h;  // + final LayerNorm
  bool tied = j.value("tie_word_embeddings", false);
  p.total = p.nonEmbedding + vocab * h * (tied ? 1 : 2);
  return p;
}

bool isHubSelector(const std::string& s) { return s.rfind("suite:", 0) == 0 || s.rfind("hub:", 0) == 0; }

std::vector<SuiteCheckpoint> expandSelector(const std::string& selector) {
  std::vector<SuiteCheckpoint> all;
  auto at = selector.find('@');
  std::string head = selector.substr(0, at), revs = at == std::string::npos ? "" : selector.substr(at + 1);
  if (at != std::string::npos && revs.empty()) throw Error("selector '" + selector + "': nothing after '@'");
  if (head.rfind("hub:", 0) == 0) {
    std::string repo = head.substr(4);
    HubCache::checkRepoId(repo);
    for (const auto& r : revs.empty() ? std::vector<std::string>{"main"} : split(revs, ',')) {
      if (r.empty() || r.find("..") != std::string::npos)
        throw Error("selector '" + selector + "': hub: selectors take a list of revisions, not '" + r + "'");
      auto step = pythiaStepOfRevision(r);
      all.push_back({repo, r, step ? *step : -1, step ? pythiaTokens(*step) : 0.0});
    }
  } else if (head.rfind("suite:pythia-", 0) == 0) {
    std::string rest = head.substr(13);
    bool deduped = rest.size() > 8 && rest.compare(rest.size() - 8, 8, "-deduped") == 0;
    if (deduped) rest.erase(rest.size() - 8);
    for (const auto& size : expandSizes(rest, selector))
      for (auto& c : expandRevisions("EleutherAI/pythia-" + size + (deduped ? "-deduped" : ""), revs, selector))
        all.push_back(std::move(c));
  } else {
    throw Error("selector '" + selector +
                "': expected suite:pythia-SIZE[-deduped][@REVS] or hub:ORG/NAME[@REV,...]");
  }
  std::vector<SuiteCheckpoint> out;
  std::set<std::pair<std::string, std::string>> seen;
  for (auto& c : all)
    if (seen.insert({c.repoId, c.revision}).second) out.push_back(std::move(c));
  if (out.empty()) throw Error("selector '" + selector + "' names no checkpoint");
  return out;
}

}  // namespace qid::hub
