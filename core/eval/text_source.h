#pragma once
// Evaluation text in, exactly as it is on disk, and into token ids.
//
// - A plain text file is read byte for byte (no newline changes) and must be
//   valid UTF-8; otherwise a qid::Error names the file and the byte offset.
// - A JSONL file (.jsonl / .ndjson) holds one JSON object per line with a
//   string field "text": one document per line. Blank lines are skipped.
//   Documents are tokenized one by one and joined with the tokenizer's
//   end-of-text id (<|endoftext|>) between them: no separator before the
//   first or after the last.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/progress.h"
#include "model/tokenizer.h"

namespace qid::eval {

// Throws qid::Error "NAME: not valid UTF-8 at byte offset N" for bad input.
void requireUtf8(std::string_view bytes, const std::string& name);

// The file's bytes, unchanged; validated as UTF-8.
std::string readTextFile(const std::filesystem::path& path);

// The "text" of each line of a JSONL file; errors name the file and line.
std::vector<std::string> readJsonlTexts(const std::filesystem::path& path);

// True for the .jsonl and .ndjson extensions (any case).
bool isJsonlPath(const std::filesystem::path& path);

// The documents of a text source: one for a plain file, one per line of JSONL.
std::vector<std::string> readDocuments(const std::filesystem::path& path);

// Tokenizes documents joined by the end-of-text id (qid::Error when the
// tokenizer has none and there is more than one document). Progress is
// reported in bytes over all documents, stage "tokenize".
std::vector<std::uint32_t> tokenizeDocuments(const model::Tokenizer& tokenizer,
                                             const std::vector<std::string>& documents,
                                             const ProgressFn& progress = {},
                                             const model::EncodeOptions& options = {});

// readDocuments + tokenizeDocuments.
std::vector<std::uint32_t> tokenizeFile(const model::Tokenizer& tokenizer,
                                        const std::filesystem::path& path,
                                        const ProgressFn& progress = {},
                                        const model::EncodeOptions& options = {});

}  // namespace qid::eval
