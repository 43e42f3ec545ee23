#include "store/csv_records.h"

#include "common/error.h"

namespace qid::store {

namespace {

std::string trimBlanks(const std::string& s) {
  size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

}  // namespace

std::vector<CsvRecord> parseCsvRecords(const std::string& content, const std::string& source) {
  std::vector<CsvRecord> out;
  size_t i = 0;
  int line = 1;
  const size_t n = content.size();
  while (i < n) {
    // Skip blank and comment lines between records.
    size_t eol = content.find('\n', i);
    std::string whole = content.substr(i, eol == std::string::npos ? std::string::npos : eol - i);
    std::string t = trimBlanks(whole);
    if (t.empty() || t == "\r" || t[0] == '#') {
      if (eol == std::string::npos) break;
      i = eol + 1;
      ++line;
      continue;
    }
    CsvRecord rec;
    rec.line = line;
    std::string cell;
    bool quoted = false, wasQuoted = false, afterQuote = false, ended = false;
    for (;;) {
      if (i >= n) {
        if (quoted) throw Error(source + " line " + std::to_string(rec.line) + ": a quoted cell is never closed");
        break;
      }
      char c = content[i++];
      if (quoted) {
        if (c == '"') {
          if (i < n && content[i] == '"') {
            cell += '"';
            ++i;
          } else {
            quoted = false;
            afterQuote = true;
          }
        } else {
          if (c == '\n') ++line;
          cell += c;
        }
        continue;
      }
      if (c == ',' || c == '\n' || c == '\r') {
        if (c == '\r' && i < n && content[i] != '\n') cell += c;  // a lone CR is data
        else {
          rec.cells.push_back(wasQuoted ? cell : trimBlanks(cell));
          cell.clear();
          wasQuoted = afterQuote = false;
          if (c == ',') continue;
          if (c == '\r') ++i;  // CRLF
          ++line;
          ended = true;
          break;
        }
        continue;
      }
      if (afterQuote) {
        if (c == ' ' || c == '\t') continue;
        throw Error(source + " line " + std::to_string(line) + ": text after the closing quote of a cell");
      }
      if (c == '"' && trimBlanks(cell).empty()) {
        quoted = wasQuoted = true;
        cell.clear();
        continue;
      }
      cell += c;
    }
    if (!ended) rec.cells.push_back(wasQuoted ? cell : trimBlanks(cell));
    out.push_back(std::move(rec));
  }
  return out;
}

std::string csvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos && value == trimBlanks(value)) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csvLine(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    out += csvField(cells[i]);
  }
  return out;
}

}  // namespace qid::store
