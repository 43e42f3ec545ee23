#include "store/measurement_columns.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <type_traits>

#include "common/error.h"

namespace qid::store {

using nlohmann::json;

namespace {

double parseReal(const std::string& text) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(v)) throw Error("'" + text + "' is not a number");
  return v;
}

std::int64_t parseInteger(const std::string& text) {
  double v;
  try {
    v = parseReal(text);
  } catch (const Error&) {
    throw Error("'" + text + "' is not an integer");
  }
  if (v != std::floor(v) || std::fabs(v) > 9.007199254740992e15) throw Error("'" + text + "' is not an integer");
  return std::int64_t(v);
}

template <class T>
std::string optText(const std::optional<T>& v) {
  if (!v) return "";
  if constexpr (std::is_floating_point_v<T>) return exactNumber(*v);
  else return std::to_string(*v);
}

using M = Measurement;

MeasurementColumn text(std::string name, std::string M::*field) {
  return {std::move(name), ColumnKind::Text, [field](const M& m) { return m.*field; },
          [field](M& m, const std::string& v) { m.*field = v; }};
}

MeasurementColumn real(std::string name, std::optional<double> M::*field) {
  return {std::move(name), ColumnKind::Real, [field](const M& m) { return optText(m.*field); },
          [field](M& m, const std::string& v) { m.*field = parseReal(v); }};
}

MeasurementColumn integer(std::string name, std::optional<std::int64_t> M::*field) {
  return {std::move(name), ColumnKind::Integer, [field](const M& m) { return optText(m.*field); },
          [field](M& m, const std::string& v) { m.*field = parseInteger(v); }};
}

}  // namespace

std::string exactNumber(double v) {
  char buf[40];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

const std::vector<MeasurementColumn>& measurementColumns() {
  static const std::vector<MeasurementColumn> cols{
      text("cell_id", &M::cellId),
      text("model_id", &M::modelId),
      text("revision", &M::revision),
      text("checkpoint_id", &M::checkpointId),
      real("N", &M::N),
      real("N_total", &M::Ntotal),
      real("D", &M::D),
      integer("step", &M::step),
      real("lr", &M::lr),
      text("method", &M::method),
      {"bits", ColumnKind::Integer, [](const M& m) { return std::to_string(m.bits); },
       [](M& m, const std::string& v) {
         auto b = parseInteger(v);
         if (b < 1 || b > 16) throw Error("bits " + v + " is outside 1-16");
         m.bits = int(b);
       }},
      integer("group_size", &M::groupSize),
      {"method_options", ColumnKind::Json, [](const M& m) { return m.methodOptions.dump(); },
       [](M& m, const std::string& v) {
         json j;
         try {
           j = json::parse(v);
         } catch (const json::exception&) {
           throw Error("'" + v + "' is not JSON (method options are a JSON object, e.g. {\"damp\":0.1})");
         }
         if (!j.is_object()) throw Error("'" + v + "' is not a JSON object");
         m.methodOptions = j;
       }},
      text("eval_dataset", &M::evalDataset),
      text("eval_hash", &M::evalHash),
      text("recipe", &M::recipe),
      integer("seqlen", &M::seqlen),
      integer("windows", &M::windows),
      integer("token_count", &M::tokenCount),
      real("loss16", &M::loss16),
      real("lossq", &M::lossq),
      {"delta_q_loss", ColumnKind::Real, [](const M& m) { return exactNumber(m.delta); },
       [](M& m, const std::string& v) { m.delta = parseReal(v); }},
      real("stderr", &M::stderr_),
      real("delta_ci_lo", &M::ciLo),
      real("delta_ci_hi", &M::ciHi),
      // KL(P16 || Pq) in nats/token, measured when the plan asked for it
      // (eval.kl); it lives in the manifest's runner details.
      {"kl_divergence", ColumnKind::Real,
       [](const M& m) {
         const json* d = m.manifest.is_object() && m.manifest.contains("runner_details") ? &m.manifest["runner_details"] : nullptr;
         if (!d || !d->is_object() || !d->contains("kl_divergence") || !(*d)["kl_divergence"].is_number()) return std::string();
         return exactNumber((*d)["kl_divergence"].get<double>());
       },
       [](M& m, const std::string& v) {
         if (!m.manifest.is_object()) m.manifest = json::object();
         m.manifest["runner_details"]["kl_divergence"] = parseReal(v);
       }},
      text("device", &M::device),
      real("wall_time_s", &M::wallTimeS),
      text("tool_version", &M::toolVersion),
      text("timestamp", &M::timestamp),
      text("baseline_key", &M::baselineKey),
      text("origin", &M::origin),
      text("duplicate_of", &M::duplicateOf),
  };
  return cols;
}

std::vector<std::string> measurementColumnNames() {
  std::vector<std::string> out;
  for (const auto& c : measurementColumns()) out.push_back(c.name);
  return out;
}

const MeasurementColumn* findMeasurementColumn(const std::string& name) {
  static const std::map<std::string, std::string> aliases{
      {"model", "model_id"}, {"group", "group_size"},   {"delta", "delta_q_loss"},
      {"checkpoint", "checkpoint_id"}, {"cell", "cell_id"}, {"dataset", "eval_dataset"}, {"kl", "kl_divergence"},
  };
  auto lower = [](std::string s) {
    for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::string key = name;
  if (auto it = aliases.find(name); it != aliases.end()) key = it->second;
  for (const auto& c : measurementColumns())
    if (c.name == key) return &c;
  for (const auto& c : measurementColumns())
    if (lower(c.name) == lower(key)) return &c;
  for (const auto& [alias, target] : aliases)
    if (lower(alias) == lower(name)) return findMeasurementColumn(target);
  return nullptr;
}

}  // namespace qid::store
