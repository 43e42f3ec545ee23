#include "eval/text_source.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/utf8.h"

namespace qid::eval {

void requireUtf8(std::string_view bytes, const std::string& name) {
  if (const std::size_t bad = utf8::firstInvalid(bytes); bad != utf8::kValid) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(bytes[bad]));
    throw Error(name + ": not valid UTF-8 at byte offset " + std::to_string(bad) + " (byte " +
                hex + ")");
  }
}

std::string readTextFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open the text file");
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw Error(path.string() + ": cannot read the text file");
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.seekg(0, std::ios::beg);
  if (size > 0 && !in.read(bytes.data(), size))
    throw Error(path.string() + ": cannot read the text file");
  requireUtf8(bytes, path.string());
  return bytes;
}

bool isJsonlPath(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".jsonl" || ext == ".ndjson";
}

std::vector<std::string> readJsonlTexts(const std::filesystem::path& path) {
  const std::string bytes = readTextFile(path);
  std::vector<std::string> texts;
  std::size_t pos = 0, line = 0;
  while (pos < bytes.size()) {
    std::size_t end = bytes.find('\n', pos);
    if (end == std::string::npos) end = bytes.size();
    ++line;
    const std::string_view row(bytes.data() + pos, end - pos);
    pos = end + 1;
    if (row.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const std::string where = path.string() + ":" + std::to_string(line);
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(row);
    } catch (const nlohmann::json::parse_error& e) {
      throw Error(where + ": not valid JSON (" + e.what() + ")");
    }
    if (!j.is_object() || !j.contains("text"))
      throw Error(where + ": the line has no \"text\" field");
    if (!j["text"].is_string()) throw Error(where + ": \"text\" is not a string");
    texts.push_back(j["text"].get<std::string>());
  }
  return texts;
}

std::vector<std::string> readDocuments(const std::filesystem::path& path) {
  if (isJsonlPath(path)) return readJsonlTexts(path);
  return {readTextFile(path)};
}

std::vector<std::uint32_t> tokenizeDocuments(const model::Tokenizer& tokenizer,
                                             const std::vector<std::string>& documents,
                                             const ProgressFn& progress,
                                             const model::EncodeOptions& options) {
  std::optional<std::uint32_t> eos;
  if (documents.size() > 1) {
    eos = tokenizer.eosId();
    if (!eos)
      throw Error(tokenizer.source() +
                  " has no end-of-text token (<|endoftext|>) to join the documents with");
  }
  std::int64_t total = 0, done = 0;
  for (const auto& d : documents) total += static_cast<std::int64_t>(d.size());
  std::vector<std::uint32_t> ids;
  ids.reserve(static_cast<std::size_t>(total / 4 + 16));
  for (std::size_t i = 0; i < documents.size(); ++i) {
    if (i > 0) ids.push_back(*eos);
    ProgressFn inner;
    if (progress)
      inner = [&](const Progress& p) {
        return progress(Progress{"tokenize", done + p.done, total, p.message});
      };
    tokenizer.encodeInto(documents[i], ids, options, inner);
    done += static_cast<std::int64_t>(documents[i].size());
  }
  return ids;
}

std::vector<std::uint32_t> tokenizeFile(const model::Tokenizer& tokenizer,
                                        const std::filesystem::path& path,
                                        const ProgressFn& progress,
                                        const model::EncodeOptions& options) {
  return tokenizeDocuments(tokenizer, readDocuments(path), progress, options);
}

}  // namespace qid::eval
