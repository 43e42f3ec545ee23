#include "model/tokenizer_json.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.h"
#include "model/tokenizer_byte_level.h"
#include "model/tokenizer_regex.h"

namespace qid::model {

using nlohmann::json;

namespace {

[[noreturn]] void fail(const std::string& source, const std::string& problem) {
  throw Error(source + ": " + problem);
}

std::string typeOf(const json& j, const std::string& source, const std::string& field) {
  if (!j.is_object() || !j.contains("type") || !j["type"].is_string())
    fail(source, field + " has no \"type\"");
  return j["type"].get<std::string>();
}

bool flag(const json& j, const char* name, bool fallback) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return fallback;
  return it->is_boolean() ? it->get<bool>() : fallback;
}

void readNormalizer(const json& n, TokenizerSpec& spec) {
  if (n.is_null()) return;
  const std::string type = typeOf(n, spec.source, "normalizer");
  if (type == "NFC") {
    spec.nfc = true;
  } else if (type == "Sequence") {
    if (!n.contains("normalizers") || !n["normalizers"].is_array())
      fail(spec.source, "normalizer Sequence has no \"normalizers\" list");
    for (const auto& m : n["normalizers"]) readNormalizer(m, spec);
  } else {
    fail(spec.source, "unsupported normalizer \"" + type + "\" (supported: NFC, Sequence, none)");
  }
}

void readByteLevel(const json& p, TokenizerSpec& spec, bool alone) {
  spec.addPrefixSpace = flag(p, "add_prefix_space", false);
  if (flag(p, "use_regex", true)) {
    if (!alone && !spec.splitPattern.empty())
      fail(spec.source, "pre_tokenizer splits twice (Split and ByteLevel with use_regex)");
    spec.splitPattern = kGpt2SplitPattern;
  }
}

void readPreTokenizer(const json& p, TokenizerSpec& spec) {
  if (p.is_null()) fail(spec.source, "pre_tokenizer is missing: a byte-level BPE needs ByteLevel");
  const std::string type = typeOf(p, spec.source, "pre_tokenizer");
  if (type == "ByteLevel") {
    readByteLevel(p, spec, true);
    return;
  }
  if (type != "Sequence" || !p.contains("pretokenizers") || !p["pretokenizers"].is_array())
    fail(spec.source, "unsupported pre_tokenizer \"" + type + "\" (supported: ByteLevel, or Split then ByteLevel)");
  bool byteLevel = false;
  for (const auto& step : p["pretokenizers"]) {
    const std::string t = typeOf(step, spec.source, "pre_tokenizer step");
    if (t == "ByteLevel") {
      readByteLevel(step, spec, false);
      byteLevel = true;
    } else if (t == "Split") {
      if (byteLevel || !spec.splitPattern.empty())
        fail(spec.source, "unsupported pre_tokenizer order: Split must come first, once");
      const json& pattern = step.value("pattern", json());
      if (!pattern.is_object() || !pattern.contains("Regex") || !pattern["Regex"].is_string())
        fail(spec.source, "pre_tokenizer Split needs a {\"Regex\": ...} pattern");
      if (step.value("behavior", std::string()) != "Isolated" || flag(step, "invert", false))
        fail(spec.source, "pre_tokenizer Split supports only behavior \"Isolated\" without invert");
      spec.splitPattern = pattern["Regex"].get<std::string>();
    } else {
      fail(spec.source, "unsupported pre_tokenizer step \"" + t + "\"");
    }
  }
  if (!byteLevel) fail(spec.source, "pre_tokenizer has no ByteLevel step: not a byte-level BPE");
}

void readMerges(const json& merges, TokenizerSpec& spec) {
  spec.merges.reserve(merges.size());
  for (std::size_t i = 0; i < merges.size(); ++i) {
    const json& m = merges[i];
    if (m.is_string()) {
      const std::string s = m.get<std::string>();
      const auto space = s.find(' ');
      if (space == std::string::npos || s.find(' ', space + 1) != std::string::npos)
        fail(spec.source, "merge #" + std::to_string(i) + " \"" + s + "\" is not two tokens separated by one space");
      spec.merges.emplace_back(s.substr(0, space), s.substr(space + 1));
    } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
      spec.merges.emplace_back(m[0].get<std::string>(), m[1].get<std::string>());
    } else {
      fail(spec.source, "merge #" + std::to_string(i) + " is neither \"a b\" nor [\"a\", \"b\"]");
    }
  }
}

void readModel(const json& model, TokenizerSpec& spec) {
  if (!model.is_object()) fail(spec.source, "\"model\" is missing or not an object");
  if (model.contains("type") && model["type"] != "BPE")
    fail(spec.source, "model type " + model["type"].dump() + " is not supported (only byte-level BPE)");
  if (!model.contains("vocab") || !model["vocab"].is_object())
    fail(spec.source, "model.vocab is missing or not an object");
  if (!model.contains("merges") || !model["merges"].is_array())
    fail(spec.source, "model.merges is missing or not a list");
  for (const char* field : {"continuing_subword_prefix", "end_of_word_suffix"})
    if (model.contains(field) && !model[field].is_null() && model[field] != "")
      fail(spec.source, std::string("model.") + field + " is not supported by byte-level BPE");
  if (flag(model, "byte_fallback", false))
    fail(spec.source, "model.byte_fallback is not supported (a SentencePiece-style BPE, not byte-level)");
  if (auto d = model.find("dropout"); d != model.end() && !d->is_null() && d->get<double>() > 0)
    fail(spec.source, "model.dropout is not supported (tokenization must be deterministic)");
  spec.ignoreMerges = flag(model, "ignore_merges", false);
  if (model.contains("unk_token") && model["unk_token"].is_string())
    spec.unkToken = model["unk_token"].get<std::string>();

  spec.vocab.reserve(model["vocab"].size());
  for (const auto& [token, id] : model["vocab"].items()) {
    if (!id.is_number_unsigned() || id.get<std::uint64_t>() > 0xFFFFFFFFull)
      fail(spec.source, "model.vocab[\"" + token + "\"] is not a valid id");
    spec.vocab.emplace(token, id.get<std::uint32_t>());
  }
  readMerges(model["merges"], spec);
}

void readAddedTokens(const json& added, TokenizerSpec& spec) {
  if (added.is_null()) return;
  if (!added.is_array()) fail(spec.source, "added_tokens is not a list");
  for (std::size_t i = 0; i < added.size(); ++i) {
    const json& a = added[i];
    if (!a.is_object() || !a.contains("id") || !a["id"].is_number_unsigned() ||
        !a.contains("content") || !a["content"].is_string())
      fail(spec.source, "added_tokens[" + std::to_string(i) + "] needs an id and a content");
    AddedToken t;
    t.id = a["id"].get<std::uint32_t>();
    t.content = a["content"].get<std::string>();
    t.special = flag(a, "special", false);
    t.singleWord = flag(a, "single_word", false);
    t.lstrip = flag(a, "lstrip", false);
    t.rstrip = flag(a, "rstrip", false);
    t.normalized = flag(a, "normalized", !t.special);
    spec.addedTokens.push_back(std::move(t));
  }
}

}  // namespace

TokenizerSpec parseTokenizerJson(const std::string& text, const std::string& source) {
  TokenizerSpec spec;
  spec.source = source;
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    fail(source, std::string("not valid JSON (") + e.what() + ")");
  }
  if (!j.is_object()) fail(source, "not a tokenizer.json (the top level is not an object)");
  try {
    readModel(j.value("model", json()), spec);
    readNormalizer(j.value("normalizer", json()), spec);
    readPreTokenizer(j.value("pre_tokenizer", json()), spec);
    const json decoder = j.value("decoder", json());
    if (!decoder.is_null() && typeOf(decoder, source, "decoder") != "ByteLevel")
      fail(source, "unsupported decoder \"" + decoder["type"].get<std::string>() + "\" (supported: ByteLevel)");
    readAddedTokens(j.value("added_tokens", json()), spec);
  } catch (const json::exception& e) {
    fail(source, std::string("malformed tokenizer.json (") + e.what() + ")");
  }
  return spec;
}

TokenizerSpec readTokenizerJson(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open the tokenizer file");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw Error(path.string() + ": cannot read the tokenizer file");
  return parseTokenizerJson(ss.str(), path.string());
}

std::string byteLevelTokenizerJson() {
  json vocab = json::object();
  for (int b = 0; b < 256; ++b) vocab[bytesToAliases(std::string(1, static_cast<char>(b)))] = b;
  vocab["<|endoftext|>"] = 256;
  const json byteLevel = {{"type", "ByteLevel"}, {"add_prefix_space", false},
                          {"trim_offsets", true}, {"use_regex", true}};
  json j = {
      {"version", "1.0"},
      {"truncation", nullptr},
      {"padding", nullptr},
      {"added_tokens",
       json::array({{{"id", 256}, {"content", "<|endoftext|>"}, {"single_word", false},
                     {"lstrip", false}, {"rstrip", false}, {"normalized", false},
                     {"special", true}}})},
      {"normalizer", nullptr},
      {"pre_tokenizer", byteLevel},
      {"post_processor", byteLevel},
      {"decoder", byteLevel},
      {"model",
       {{"type", "BPE"}, {"dropout", nullptr}, {"unk_token", nullptr},
        {"continuing_subword_prefix", nullptr}, {"end_of_word_suffix", nullptr},
        {"fuse_unk", false}, {"byte_fallback", false}, {"vocab", vocab},
        {"merges", json::array()}}},
  };
  return j.dump(2) + "\n";
}

void writeByteLevelTokenizerJson(const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary);
  out << byteLevelTokenizerJson();
  out.close();
  if (!out) throw Error(path.string() + ": cannot write the tokenizer file");
}

}  // namespace qid::model
