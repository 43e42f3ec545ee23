// qidlab-cli tokenize: a text file through a tokenizer.json, as HF tokenizers
// would (no special tokens added), with the ids written as little-endian
// uint32 and an optional decode round trip.
#include <CLI/CLI.hpp>

#include <bit>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "command_registry.h"
#include "common/error.h"
#include "eval/text_source.h"
#include "model/tokenizer.h"
#include "progress_bar.h"

namespace {

struct Options {
  std::string tokenizer, input, output, decodeOutput;
  bool decode = false, json = false, jsonl = false, plainSpecial = false;
  std::size_t head = 12;
};

void writeIds(const std::string& path, const std::vector<std::uint32_t>& ids) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw qid::Error(path + ": cannot open the ids file for writing");
  if constexpr (std::endian::native == std::endian::little) {
    out.write(reinterpret_cast<const char*>(ids.data()),
              static_cast<std::streamsize>(ids.size() * sizeof(std::uint32_t)));
  } else {
    for (std::uint32_t id : ids) {
      const char b[4] = {static_cast<char>(id), static_cast<char>(id >> 8),
                         static_cast<char>(id >> 16), static_cast<char>(id >> 24)};
      out.write(b, 4);
    }
  }
  out.close();
  if (!out) throw qid::Error(path + ": cannot write the ids file");
}

void writeText(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return;
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw qid::Error(path + ": cannot write the decoded text");
}

void run(const Options& o) {
  using clock = std::chrono::steady_clock;
  const auto tok = qid::model::Tokenizer::fromFile(o.tokenizer);
  for (const auto& w : tok.warnings()) std::fprintf(stderr, "qidlab-cli: warning: %s\n", w.c_str());
  const std::vector<std::string> documents =
      o.jsonl ? qid::eval::readJsonlTexts(o.input) : qid::eval::readDocuments(o.input);
  std::size_t bytes = 0;
  for (const auto& d : documents) bytes += d.size();

  qid::cli::installCancelHandler();
  qid::model::EncodeOptions encodeOptions;
  encodeOptions.matchSpecialTokens = !o.plainSpecial;
  const auto t0 = clock::now();
  const auto ids = qid::eval::tokenizeDocuments(tok, documents, qid::cli::progressBar(o.json),
                                                encodeOptions);
  const double seconds = std::chrono::duration<double>(clock::now() - t0).count();
  if (!o.output.empty()) writeIds(o.output, ids);

  nlohmann::json out;
  out["tokenizer"] = o.tokenizer;
  out["input"] = o.input;
  out["documents"] = documents.size();
  out["bytes"] = bytes;
  out["tokens"] = ids.size();
  out["first_ids"] = std::vector<std::uint32_t>(ids.begin(), ids.begin() + std::min(o.head, ids.size()));
  out["seconds"] = seconds;
  out["mb_per_s"] = seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0.0;
  out["output"] = o.output.empty() ? nlohmann::json() : nlohmann::json(o.output);
  out["warnings"] = tok.warnings();

  if (o.decode || !o.decodeOutput.empty()) {
    const std::string decoded = tok.decode(ids);
    // The text the ids stand for: the documents joined by the end-of-text token.
    std::string expected;
    if (documents.size() > 1) {
      const auto eos = tok.decode(std::vector<std::uint32_t>{*tok.eosId()});
      for (std::size_t i = 0; i < documents.size(); ++i) expected += (i ? eos : "") + documents[i];
    } else if (!documents.empty()) {
      expected = documents[0];
    }
    std::size_t diff = 0;
    while (diff < decoded.size() && diff < expected.size() && decoded[diff] == expected[diff]) ++diff;
    const bool exact = decoded == expected;
    out["round_trip"] = {{"exact", exact},
                         {"decoded_bytes", decoded.size()},
                         {"first_difference", exact ? nlohmann::json() : nlohmann::json(diff)}};
    if (!o.decodeOutput.empty()) writeText(o.decodeOutput, decoded);
  }

  if (o.json) {
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::FILE* f = o.decodeOutput == "-" ? stderr : stdout;  // keep decoded text alone on stdout
  std::fprintf(f, "tokens: %zu\n", ids.size());
  std::fprintf(f, "input: %zu bytes, %zu document%s\n", bytes, documents.size(),
               documents.size() == 1 ? "" : "s");
  std::string lead;
  for (const auto& id : out["first_ids"]) lead += " " + std::to_string(id.get<std::uint32_t>());
  if (!lead.empty()) std::fprintf(f, "first ids:%s\n", lead.c_str());
  std::fprintf(f, "time: %.3f s (%.2f MB/s)\n", seconds, out["mb_per_s"].get<double>());
  if (!o.output.empty())
    std::fprintf(f, "wrote %s (%zu ids, little-endian uint32)\n", o.output.c_str(), ids.size());
  if (out.contains("round_trip")) {
    if (out["round_trip"]["exact"].get<bool>()) {
      std::fprintf(f, "round trip: exact\n");
    } else {
      std::fprintf(f, "round trip: differs from byte %zu on%s\n",
                   out["round_trip"]["first_difference"].get<std::size_t>(),
                   tok.normalizesNfc() ? " (the tokenizer NFC-normalizes its input)" : "");
    }
  }
}

const bool registered = qid::cli::registerCommand(
    {"tokenize", 40, [](CLI::App& app) {
       auto* sub = app.add_subcommand(
           "tokenize",
           "Tokenize a text file with a Hugging Face tokenizer.json (byte-level BPE), exactly as "
           "HF tokenizers does without added special tokens; print the token count");
       auto o = std::make_shared<Options>();
       sub->add_option("--tokenizer", o->tokenizer, "tokenizer.json file")->required();
       sub->add_option("--input", o->input,
                       "Text file, read exactly as it is (UTF-8); .jsonl/.ndjson: one JSON object "
                       "per line with a \"text\" field, documents joined by <|endoftext|>")
           ->required();
       sub->add_option("--output", o->output, "Write the ids here as little-endian uint32");
       sub->add_flag("--decode", o->decode,
                     "Decode the ids back and report whether the round trip gives the input exactly");
       sub->add_option("--decode-output", o->decodeOutput,
                       "Also write the decoded text to this file ('-' for stdout); implies --decode");
       sub->add_flag("--jsonl", o->jsonl, "Read the input as JSONL whatever its extension");
       sub->add_flag("--special-as-text", o->plainSpecial,
                     "Tokenize special tokens written in the text (e.g. <|endoftext|>) as plain text");
       sub->add_option("--head", o->head, "How many leading ids to show")->capture_default_str();
       sub->add_flag("--json", o->json, "Machine-readable output");
       sub->callback([o] { run(*o); });
     }});

}  // namespace
