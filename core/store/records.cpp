#include "store/records.h"

#include <cstring>

#include "common/error.h"

namespace qid::store {

using nlohmann::json;

const char* toString(CellState s) {
  switch (s) {
    case CellState::Pending: return "pending";
    case CellState::Running: return "running";
    case CellState::Done: return "done";
    case CellState::Failed: return "failed";
  }
  return "pending";
}

CellState cellStateFromString(const std::string& s) {
  if (s == "pending") return CellState::Pending;
  if (s == "running") return CellState::Running;
  if (s == "done") return CellState::Done;
  if (s == "failed") return CellState::Failed;
  throw Error("unknown cell state '" + s + "'");
}

namespace {

template <class T>
void put(json& j, const char* key, const std::optional<T>& v) {
  j[key] = v ? json(*v) : json(nullptr);
}

template <class T>
std::optional<T> opt(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) throw Error(std::string("field '") + key + "' must be a number");
  return it->get<T>();
}

std::string str(const json& j, const char* key, const std::string& def = "") {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return def;
  if (!it->is_string()) throw Error(std::string("field '") + key + "' must be a string");
  return it->get<std::string>();
}

json obj(const json& j, const char* key, json def) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return def;
  return *it;
}

const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::vector<std::uint8_t> packFloats(const std::vector<float>& v) {
  std::vector<std::uint8_t> out(v.size() * 4);
  for (size_t i = 0; i < v.size(); ++i) {
    std::uint32_t u;
    std::memcpy(&u, &v[i], 4);
    for (int b = 0; b < 4; ++b) out[i * 4 + size_t(b)] = std::uint8_t(u >> (8 * b));
  }
  return out;
}

std::vector<float> unpackFloats(const std::vector<std::uint8_t>& bytes) {
  if (bytes.size() % 4) throw Error("per-window NLL blob has " + std::to_string(bytes.size()) +
                                    " bytes, not a multiple of 4");
  std::vector<float> out(bytes.size() / 4);
  for (size_t i = 0; i < out.size(); ++i) {
    std::uint32_t u = 0;
    for (int b = 0; b < 4; ++b) u |= std::uint32_t(bytes[i * 4 + size_t(b)]) << (8 * b);
    std::memcpy(&out[i], &u, 4);
  }
  return out;
}

std::string base64Encode(const std::vector<std::uint8_t>& bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t n = std::uint32_t(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= std::uint32_t(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= bytes[i + 2];
    out += kB64[(n >> 18) & 63];
    out += kB64[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kB64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kB64[n & 63] : '=';
  }
  return out;
}

std::vector<std::uint8_t> base64Decode(const std::string& text) {
  std::vector<std::uint8_t> out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=' || c == '\n' || c == '\r') continue;
    const char* p = std::strchr(kB64, c);
    if (!p || c == 0) throw Error(std::string("invalid base64 character '") + c + "'");
    acc = (acc << 6) | std::uint32_t(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(std::uint8_t(acc >> bits));
    }
  }
  return out;
}

json toJson(const ModelRecord& m) {
  json j{{"checkpoint_id", m.checkpointId}, {"id_kind", m.idKind}, {"content_hash", m.contentHash},
         {"name", m.name}, {"source", m.source}, {"revision", m.revision}};
  put(j, "N", m.N);
  put(j, "N_total", m.Ntotal);
  put(j, "D", m.D);
  put(j, "step", m.step);
  put(j, "lr", m.lr);
  if (!m.duplicateOf.empty()) j["duplicate_of"] = m.duplicateOf;
  return j;
}

ModelRecord modelFromJson(const json& j) {
  ModelRecord m;
  m.checkpointId = str(j, "checkpoint_id");
  m.idKind = str(j, "id_kind", "content");
  m.contentHash = str(j, "content_hash");
  m.name = str(j, "name");
  m.source = str(j, "source");
  m.revision = str(j, "revision");
  m.N = opt<double>(j, "N");
  m.Ntotal = opt<double>(j, "N_total");
  m.D = opt<double>(j, "D");
  m.step = opt<std::int64_t>(j, "step");
  m.lr = opt<double>(j, "lr");
  m.duplicateOf = str(j, "duplicate_of");
  return m;
}

json toJson(const Baseline& b, bool withWindows) {
  json j{{"key", b.key}, {"checkpoint_id", b.checkpointId}, {"dataset_hash", b.datasetHash},
         {"recipe", b.recipe}, {"seqlen", b.seqlen}, {"windows", b.windows},
         {"loss16", b.loss16}, {"token_count", b.tokenCount}, {"wall_time_s", b.wallTimeS},
         {"manifest", b.manifest}};
  put(j, "stderr", b.stderr_);
  if (withWindows) j["window_nll_f32le_b64"] = base64Encode(packFloats(b.windowNll));
  return j;
}

Baseline baselineFromJson(const json& j) {
  Baseline b;
  b.key = str(j, "key");
  b.checkpointId = str(j, "checkpoint_id");
  b.datasetHash = str(j, "dataset_hash");
  b.recipe = str(j, "recipe");
  b.seqlen = int(opt<std::int64_t>(j, "seqlen").value_or(0));
  b.windows = int(opt<std::int64_t>(j, "windows").value_or(0));
  b.loss16 = opt<double>(j, "loss16").value_or(0.0);
  b.stderr_ = opt<double>(j, "stderr");
  b.tokenCount = opt<std::int64_t>(j, "token_count").value_or(0);
  b.wallTimeS = opt<double>(j, "wall_time_s").value_or(0.0);
  b.manifest = obj(j, "manifest", json::object());
  b.windowNll = unpackFloats(base64Decode(str(j, "window_nll_f32le_b64")));
  if (b.key.empty()) throw Error("baseline without a key");
  return b;
}

json toJson(const Measurement& m, bool withWindows) {
  json j{{"cell_id", m.cellId}, {"model_id", m.modelId}, {"revision", m.revision},
         {"checkpoint_id", m.checkpointId}, {"method", m.method}, {"bits", m.bits},
         {"method_options", m.methodOptions}, {"eval_dataset", m.evalDataset},
         {"eval_hash", m.evalHash}, {"recipe", m.recipe}, {"delta_q_loss", m.delta},
         {"device", m.device}, {"tool_version", m.toolVersion}, {"timestamp", m.timestamp},
         {"per_layer", m.perLayer}, {"manifest", m.manifest}, {"baseline_key", m.baselineKey},
         {"origin", m.origin}};
  put(j, "N", m.N);
  put(j, "N_total", m.Ntotal);
  put(j, "D", m.D);
  put(j, "step", m.step);
  put(j, "lr", m.lr);
  put(j, "group_size", m.groupSize);
  put(j, "seqlen", m.seqlen);
  put(j, "windows", m.windows);
  put(j, "token_count", m.tokenCount);
  put(j, "loss16", m.loss16);
  put(j, "lossq", m.lossq);
  put(j, "stderr", m.stderr_);
  put(j, "delta_ci_lo", m.ciLo);
  put(j, "delta_ci_hi", m.ciHi);
  put(j, "wall_time_s", m.wallTimeS);
  j["duplicate_of"] = m.duplicateOf.empty() ? json(nullptr) : json(m.duplicateOf);
  if (withWindows) j["window_nllq_f32le_b64"] = base64Encode(packFloats(m.windowNllq));
  return j;
}

Measurement measurementFromJson(const json& j) {
  if (!j.is_object()) throw Error("a measurement must be a JSON object");
  Measurement m;
  m.cellId = str(j, "cell_id");
  m.modelId = str(j, "model_id");
  m.revision = str(j, "revision");
  m.checkpointId = str(j, "checkpoint_id");
  m.N = opt<double>(j, "N");
  m.Ntotal = opt<double>(j, "N_total");
  m.D = opt<double>(j, "D");
  m.step = opt<std::int64_t>(j, "step");
  m.lr = opt<double>(j, "lr");
  m.method = str(j, "method");
  auto bits = opt<std::int64_t>(j, "bits");
  if (!bits) throw Error("measurement " + m.cellId + " has no 'bits'");
  m.bits = int(*bits);
  m.groupSize = opt<std::int64_t>(j, "group_size");
  m.methodOptions = obj(j, "method_options", json::object());
  m.evalDataset = str(j, "eval_dataset");
  m.evalHash = str(j, "eval_hash");
  m.recipe = str(j, "recipe");
  m.seqlen = opt<std::int64_t>(j, "seqlen");
  m.windows = opt<std::int64_t>(j, "windows");
  m.tokenCount = opt<std::int64_t>(j, "token_count");
  m.loss16 = opt<double>(j, "loss16");
  m.lossq = opt<double>(j, "lossq");
  auto delta = opt<double>(j, "delta_q_loss");
  if (!delta && m.loss16 && m.lossq) delta = *m.lossq - *m.loss16;
  if (!delta) throw Error("measurement " + m.cellId + " has no 'delta_q_loss' (nor loss16 and lossq)");
  m.delta = *delta;
  m.stderr_ = opt<double>(j, "stderr");
  m.ciLo = opt<double>(j, "delta_ci_lo");
  m.ciHi = opt<double>(j, "delta_ci_hi");
  m.device = str(j, "device");
  m.wallTimeS = opt<double>(j, "wall_time_s");
  m.toolVersion = str(j, "tool_version");
  m.timestamp = str(j, "timestamp");
  m.perLayer = obj(j, "per_layer", json::array());
  m.manifest = obj(j, "manifest", json::object());
  m.baselineKey = str(j, "baseline_key");
  m.origin = str(j, "origin", "local");
  m.duplicateOf = str(j, "duplicate_of");
  m.windowNllq = unpackFloats(base64Decode(str(j, "window_nllq_f32le_b64")));
  if (m.method.empty()) throw Error("measurement " + m.cellId + " has no 'method'");
  return m;
}

}  // namespace qid::store
