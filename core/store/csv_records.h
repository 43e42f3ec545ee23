#pragma once
// RFC 4180 CSV: fields separated by ',', quoted with '"' when they hold a
// comma, a quote or a line break, a quote inside quotes written twice. Used by
// measurement import and export, where a cell may hold JSON (method options).
#include <string>
#include <vector>

namespace qid::store {

struct CsvRecord {
  int line = 0;                    // 1-based line where the record starts
  std::vector<std::string> cells;  // unquoted; surrounding blanks of unquoted cells trimmed
};

// All records, the header first. Blank lines and lines starting with '#' are
// skipped. Throws qid::Error naming `source` and the line of an unterminated
// quote or of text after a closing quote.
std::vector<CsvRecord> parseCsvRecords(const std::string& content, const std::string& source);

// One field as CSV text: quoted only when it must be.
std::string csvField(const std::string& value);
// A record line (no trailing newline).
std::string csvLine(const std::vector<std::string>& cells);

}  // namespace qid::store
