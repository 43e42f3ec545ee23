#include "analysis/fluctuation_store.h"

#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include "common/error.h"
#include "store/project.h"
#include "store/sqlite_db.h"

namespace qid::analysis {

using nlohmann::json;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::optional<double> finite(double v) { return std::isfinite(v) ? std::optional<double>(v) : std::nullopt; }

json parseStored(const std::string& text, const std::string& what) {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    throw Error("weight_fluctuations: corrupt " + what + " JSON (" + e.what() + ")");
  }
}

constexpr const char* kCols =
    "SELECT checkpoint_id, prev_checkpoint_id, run, step, prev_step, tokens, lr, n_params, method, bits, "
    "group_size, movement, push, ratio, ratio_mean, per_linear FROM weight_fluctuations";

FluctuationRow readRow(store::Statement& st) {
  FluctuationRow r;
  r.checkpointId = st.getText(0);
  r.prevCheckpointId = st.getText(1);
  r.run = st.getText(2);
  r.step = st.getOptInt(3).value_or(0);
  r.prevStep = st.getOptInt(4).value_or(0);
  r.D = st.getOptDouble(5).value_or(kNaN);
  r.lr = st.getOptDouble(6).value_or(kNaN);
  r.N = st.getOptDouble(7).value_or(kNaN);
  r.method = st.getText(8);
  r.bits = static_cast<int>(st.getInt(9));
  r.groupSize = static_cast<int>(st.getInt(10));
  r.movement = boxStatsFromJson(parseStored(st.getText(11), "movement"), "weight_fluctuations.movement");
  r.push = boxStatsFromJson(parseStored(st.getText(12), "push"), "weight_fluctuations.push");
  r.ratio = st.getOptDouble(13).value_or(kNaN);
  r.ratioMean = st.getOptDouble(14).value_or(kNaN);
  r.perLinear = st.isNull(15) ? json::array() : parseStored(st.getText(15), "per_linear");
  return r;
}

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

}  // namespace

std::vector<FluctuationRow> fluctuationRows(const FluctuationReport& report) {
  std::vector<FluctuationRow> out;
  for (const auto& c : report.checkpoints) {
    for (std::size_t b = 0; b < c.bits.size(); ++b) {
      FluctuationRow r;
      r.checkpointId = c.checkpointId;
      r.prevCheckpointId = c.prevCheckpointId;
      r.run = c.run;
      r.step = c.step;
      r.prevStep = c.prevStep;
      r.D = c.D;
      r.lr = c.learningRate;
      r.N = c.N;
      r.method = report.method;
      r.bits = c.bits[b].bits;
      r.groupSize = report.groupSize;
      r.movement = c.movement;
      r.push = c.bits[b].push;
      r.ratio = c.bits[b].ratio;
      r.ratioMean = c.bits[b].ratioMean;
      for (const auto& l : c.linears) {
        for (const auto& lb : l.bits) {
          if (lb.bits != r.bits) continue;
          r.perLinear.push_back({{"layer", l.layer},
                                 {"linear", l.linear},
                                 {"movement", toJson(l.movement)},
                                 {"push", toJson(lb.push)},
                                 {"ratio", number(lb.ratio)},
                                 {"ratio_mean", number(lb.ratioMean)}});
        }
      }
      out.push_back(std::move(r));
    }
  }
  return out;
}

FluctuationStore::FluctuationStore(store::Project& project)
    : project_(project), db_(std::make_unique<store::Db>(project.path().string(), false)) {
  if (db_->userVersion() < 3)
    throw Error(project.path().string() + ": project schema " + std::to_string(db_->userVersion()) +
                " has no weight_fluctuations table; open it with this QiD Lab first");
}

FluctuationStore::~FluctuationStore() = default;

int FluctuationStore::put(const std::vector<FluctuationRow>& rows) {
  store::Transaction tx(*db_);
  store::Statement st(*db_, R"SQL(
    INSERT INTO weight_fluctuations (checkpoint_id, prev_checkpoint_id, run, step, prev_step, tokens, lr,
      n_params, method, bits, group_size, movement, push, movement_median, push_median, ratio, ratio_mean,
      per_linear)
    VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
    ON CONFLICT(checkpoint_id, method, bits, group_size) DO UPDATE SET
      prev_checkpoint_id = excluded.prev_checkpoint_id, run = excluded.run, step = excluded.step,
      prev_step = excluded.prev_step, tokens = excluded.tokens, lr = excluded.lr, n_params = excluded.n_params,
      movement = excluded.movement, push = excluded.push, movement_median = excluded.movement_median,
      push_median = excluded.push_median, ratio = excluded.ratio, ratio_mean = excluded.ratio_mean,
      per_linear = excluded.per_linear)SQL");
  int n = 0;
  for (const auto& r : rows) {
    if (r.checkpointId.empty()) throw Error("internal: a fluctuation row needs a checkpoint id");
    st.reset();
    st.bind(1, r.checkpointId).bind(2, r.prevCheckpointId).bind(3, r.run);
    st.bind(4, std::optional<std::int64_t>(r.step)).bind(5, std::optional<std::int64_t>(r.prevStep));
    st.bind(6, finite(r.D)).bind(7, finite(r.lr)).bind(8, finite(r.N));
    st.bind(9, r.method).bind(10, r.bits).bind(11, r.groupSize);
    st.bind(12, toJson(r.movement).dump()).bind(13, toJson(r.push).dump());
    st.bind(14, finite(r.movement.median)).bind(15, finite(r.push.median));
    st.bind(16, finite(r.ratio)).bind(17, finite(r.ratioMean));
    st.bind(18, r.perLinear.dump());
    st.run();
    ++n;
  }
  tx.commit();
  return n;
}

std::vector<FluctuationRow> FluctuationStore::rows(const std::string& method) {
  std::string sql = std::string(kCols) + (method.empty() ? "" : " WHERE method = ?") +
                    " ORDER BY run, step, method, group_size, bits";
  store::Statement st(*db_, sql);
  if (!method.empty()) st.bind(1, method);
  std::vector<FluctuationRow> out;
  while (st.step()) out.push_back(readRow(st));
  return out;
}

std::optional<FluctuationRow> FluctuationStore::find(const std::string& checkpointId, int bits,
                                                     const std::string& method, int groupSize) {
  store::Statement st(*db_, std::string(kCols) +
                                " WHERE checkpoint_id = ? AND bits = ? AND method = ? AND group_size = ?");
  st.bind(1, checkpointId).bind(2, bits).bind(3, method).bind(4, groupSize);
  if (st.step()) return readRow(st);
  return std::nullopt;
}

std::int64_t FluctuationStore::count() {
  store::Statement st(*db_, "SELECT COUNT(*) FROM weight_fluctuations");
  st.step();
  return st.getInt(0);
}

std::vector<FluctuationPoint> FluctuationStore::join(const store::MeasurementFilter& filter,
                                                     const std::string& method, int groupSize) {
  std::map<std::pair<std::string, int>, FluctuationRow> byKey;
  for (auto& r : rows(method)) {
    if (r.groupSize == groupSize) byKey.emplace(std::make_pair(r.checkpointId, r.bits), std::move(r));
  }
  std::vector<FluctuationPoint> out;
  for (auto& m : project_.measurements(filter)) {
    auto it = byKey.find({m.checkpointId, m.bits});
    if (it == byKey.end()) continue;
    out.push_back({std::move(m), it->second});
  }
  return out;
}

json toJson(const FluctuationRow& r) {
  return {{"checkpoint_id", r.checkpointId},
          {"prev_checkpoint_id", r.prevCheckpointId},
          {"run", r.run},
          {"step", r.step},
          {"prev_step", r.prevStep},
          {"D", number(r.D)},
          {"lr", number(r.lr)},
          {"N", number(r.N)},
          {"method", r.method},
          {"bits", r.bits},
          {"group_size", r.groupSize},
          {"movement", toJson(r.movement)},
          {"push", toJson(r.push)},
          {"ratio", number(r.ratio)},
          {"ratio_mean", number(r.ratioMean)},
          {"per_linear", r.perLinear}};
}

}  // namespace qid::analysis
