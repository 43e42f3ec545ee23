#include "jobs/hub_models.h"

#include <map>
#include <regex>

#include "common/error.h"
#include "hub/pythia_suite.h"
#include "jobs/content_hash.h"

namespace qid::jobs {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::optional<std::int64_t> stepOfRevision(const std::string& revision) {
  static const std::regex re("^step([0-9]+)$");
  std::smatch m;
  if (std::regex_match(revision, m, re)) return std::stoll(m[1].str());
  return std::nullopt;
}

std::vector<hub::SuiteCheckpoint> checkpointsOf(const json& selector, const std::string& where) {
  if (selector.is_string()) return hub::expandSelector(selector.get<std::string>());
  if (!selector.is_object()) throw Error(where + ": a hub model must be a selector string or an object");
  if (selector.contains("suite")) {
    if (!selector["suite"].is_string()) throw Error(where + ": \"suite\" must be a string");
    std::string s = selector["suite"].get<std::string>();
    if (s.rfind("suite:", 0) != 0) s = "suite:" + s;
    return hub::expandSelector(s);
  }
  if (!selector.contains("hub") || !selector["hub"].is_string())
    throw Error(where + ": \"hub\" must be a repository name such as \"EleutherAI/pythia-70m\"");
  std::string repo = selector["hub"].get<std::string>();
  std::vector<std::string> revisions;
  if (selector.contains("revision")) {
    if (!selector["revision"].is_string()) throw Error(where + ": \"revision\" must be a string");
    revisions.push_back(selector["revision"].get<std::string>());
  }
  if (selector.contains("revisions")) {
    if (!selector["revisions"].is_array()) throw Error(where + ": \"revisions\" must be a list of strings");
    for (const auto& r : selector["revisions"]) {
      if (!r.is_string()) throw Error(where + ": \"revisions\" must be a list of strings");
      revisions.push_back(r.get<std::string>());
    }
  }
  if (revisions.empty()) revisions.push_back("main");
  std::vector<hub::SuiteCheckpoint> out;
  for (const auto& r : revisions) {
    auto step = stepOfRevision(r);
    out.push_back({repo, r, step ? *step : -1, 0.0});
  }
  if (selector.contains("step")) {
    if (!selector["step"].is_number_integer() || out.size() != 1)
      throw Error(where + ": \"step\" must be an integer, for a single revision");
    out[0].step = selector["step"].get<std::int64_t>();
  }
  return out;
}

}  // namespace

HubModels::HubModels(hub::HubConfig config, double tokensPerStep)
    : config_(std::move(config)), tokensPerStep_(tokensPerStep) {}

HubModels::~HubModels() { stop(); }

ModelResolver HubModels::resolver() {
  return [this](const json& selector) { return resolve(selector); };
}

std::vector<ModelRef> HubModels::resolve(const json& selector) {
  std::string where = "plan model " + selector.dump();
  std::vector<hub::ResolvedCheckpoint> pinned;
  try {
    pinned = hub::resolveCheckpoints(checkpointsOf(selector, where), config_);
  } catch (const Cancelled&) {
    throw;
  } catch (const Error& e) {
    std::string msg = e.what();
    throw Error(msg.rfind(where, 0) == 0 ? msg : where + ": " + msg);
  }
  std::vector<ModelRef> out;
  std::lock_guard lock(mutex_);
  for (const auto& r : pinned) {
    ModelRef m;
    m.path = r.snapshot.lexically_normal().string();
    m.hubRepo = r.repoId;
    m.revision = r.revision;
    m.name = r.repoId.substr(r.repoId.find('/') + 1);
    if (selector.is_object() && selector.contains("name") && selector["name"].is_string())
      m.name = selector["name"].get<std::string>();
    if (r.step >= 0) {
      m.step = r.step;
      m.D = double(r.step) * tokensPerStep_;
    }
    if (selector.is_object() && selector.contains("lr") && selector["lr"].is_number())
      m.lr = selector["lr"].get<double>();
    out.push_back(m);
    bool known = false;
    for (const auto& k : resolved_) known = known || k.snapshot == r.snapshot;
    if (!known) resolved_.push_back(r);
  }
  return out;
}

std::vector<hub::ResolvedCheckpoint> HubModels::resolved() const {
  std::lock_guard lock(mutex_);
  return resolved_;
}

void HubModels::startPrefetch(const std::vector<CellSpec>& cells,
                              const std::function<bool(const CellSpec&)>& needsBaseline,
                              hub::PrefetchOptions options, ProgressFn progress) {
  std::lock_guard lock(mutex_);
  std::map<std::string, std::size_t> bySnapshot;
  for (std::size_t i = 0; i < resolved_.size(); ++i)
    bySnapshot[resolved_[i].snapshot.lexically_normal().string()] = i;
  std::vector<hub::ResolvedCheckpoint> order;
  std::vector<int> uses;
  std::map<std::size_t, std::size_t> slot;  // resolved index -> prefetch index
  for (const auto& c : cells) {
    auto it = bySnapshot.find(fs::path(c.model.path).lexically_normal().string());
    if (it == bySnapshot.end()) continue;
    auto [s, fresh] = slot.emplace(it->second, order.size());
    if (fresh) {
      order.push_back(resolved_[it->second]);
      uses.push_back(needsBaseline && needsBaseline(c) ? 1 : 0);
    }
    ++uses[s->second];
  }
  if (order.empty()) return;
  prefetcher_ = std::make_unique<hub::CheckpointPrefetcher>(config_, std::move(order), options, std::move(progress),
                                                            std::move(uses));
}

void HubModels::stop() {
  if (prefetcher_) prefetcher_->stop();
}

std::optional<std::size_t> HubModels::acquire(const fs::path& folder) {
  if (!prefetcher_) return std::nullopt;
  auto i = prefetcher_->indexOf(folder);
  if (!i) return std::nullopt;
  prefetcher_->acquire(*i);
  return i;
}

void HubModels::release(std::size_t index) {
  if (prefetcher_) prefetcher_->release(index);
}

int HubModels::downloads() const { return prefetcher_ ? prefetcher_->downloads() : 0; }
int HubModels::evictions() const { return prefetcher_ ? prefetcher_->evictions() : 0; }

namespace {

// Holds a prefetched folder for the length of one runner call.
class FolderUse {
 public:
  FolderUse(HubModels& hub, const CellSpec& cell) : hub_(hub), index_(hub.acquire(cell.model.path)), cell_(cell) {
    // A folder downloaded after the plan was resolved could not be
    // fingerprinted then; the runner sees its real content hash.
    if (index_ && cell_.contentHash.rfind("unreadable:", 0) == 0) {
      try {
        cell_.contentHash = checkpointFingerprint(cell_.model.path);
      } catch (const Error&) {
        // Left for the runner to fail with the loader's message.
      }
    }
  }
  ~FolderUse() {
    if (index_) hub_.release(*index_);
  }
  FolderUse(const FolderUse&) = delete;
  FolderUse& operator=(const FolderUse&) = delete;
  const CellSpec& cell() const { return cell_; }

 private:
  HubModels& hub_;
  std::optional<std::size_t> index_;
  CellSpec cell_;
};

}  // namespace

BaselineOutcome PrefetchingRunner::baseline(const CellSpec& cell, const RunContext& ctx) {
  FolderUse use(hub_, cell);
  return inner_.baseline(use.cell(), ctx);
}

QuantOutcome PrefetchingRunner::quantize(const CellSpec& cell, const store::Baseline& baseline, const RunContext& ctx) {
  FolderUse use(hub_, cell);
  return inner_.quantize(use.cell(), baseline, ctx);
}

}  // namespace qid::jobs
