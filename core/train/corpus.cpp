#include "train/corpus.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include <unistd.h>

#include "common/error.h"

namespace qid::train {

namespace fs = std::filesystem;

fs::path cacheDir() {
  if (const char* d = std::getenv("QIDLAB_CACHE"); d && *d) return fs::path(d);
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "qidlab";
  if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache" / "qidlab";
  return fs::temp_directory_path() / "qidlab-cache";
}

std::string kjvPlainText(const std::string& bibleOutput) {
  std::string out;
  out.reserve(bibleOutput.size());
  std::istringstream in(bibleOutput);
  std::string line;
  std::string chapter;  // "Ge1" of the previous verse
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto space = line.find(' ');
    const auto colon = line.find(':');
    if (space == std::string::npos || colon == std::string::npos || colon > space) {
      continue;  // not a verse line
    }
    std::string ref = line.substr(0, colon);
    if (!chapter.empty() && ref != chapter) out += '\n';
    chapter = ref;
    out.append(line, space + 1, std::string::npos);
    out += '\n';
  }
  return out;
}

namespace {

std::string readWhole(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw Error("cannot read corpus file " + path.string());
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string runBible() {
  // The whole book, Genesis 1:1 to Revelation 22:21, one verse a line.
  FILE* pipe = ::popen("bible -f gen1:1-rev22:21 </dev/null 2>/dev/null", "r");
  if (!pipe) throw Error("cannot run the 'bible' program of the bible-kjv package");
  std::string out;
  char buf[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  const int rc = ::pclose(pipe);
  if (rc != 0 || out.size() < 1000000) {
    throw Error(
        "the King James Bible could not be extracted: install Debian's bible-kjv package "
        "(scripts/setup-deps does), or give --corpus FILE");
  }
  return out;
}

}  // namespace

fs::path kjvTextFile() {
  const fs::path dir = cacheDir();
  const fs::path file = dir / "bible-kjv.txt";
  std::error_code ec;
  if (fs::exists(file, ec) && fs::file_size(file, ec) > 1000000) return file;
  const std::string text = kjvPlainText(runBible());
  fs::create_directories(dir, ec);
  if (ec) throw Error("cannot create the cache folder " + dir.string() + ": " + ec.message());
  const fs::path tmp = dir / ("bible-kjv.txt.tmp" + std::to_string(::getpid()));
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw Error("cannot write " + tmp.string());
    f.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!f) throw Error("cannot write " + tmp.string());
  }
  fs::rename(tmp, file, ec);
  if (ec) throw Error("cannot write " + file.string() + ": " + ec.message());
  return file;
}

std::string readCorpusFiles(const std::vector<fs::path>& files) {
  std::string text;
  for (const auto& path : files) {
    std::string part = readWhole(path);
    if (part.empty()) throw Error("corpus file " + path.string() + " is empty");
    if (!text.empty()) text += "\n\n";
    text += part;
  }
  return text;
}

CorpusSplit holdOut(const std::string& text, const HoldoutOptions& options) {
  if (options.blockBytes == 0 || options.evalEvery < 2)
    throw Error("corpus holdout: block size must be positive and evalEvery at least 2");
  // Small texts get smaller blocks, so that even they hold a few eval blocks.
  const std::size_t blockBytes =
      std::min(options.blockBytes, std::max<std::size_t>(64, text.size() / (2 * options.evalEvery)));
  CorpusSplit split;
  std::size_t pos = 0;
  std::size_t block = 0;
  while (pos < text.size()) {
    std::size_t end = std::min(text.size(), pos + blockBytes);
    if (end < text.size()) {
      const auto nl = text.find('\n', end);
      end = nl == std::string::npos ? text.size() : nl + 1;
    }
    // Block k is eval when k % evalEvery == evalEvery / 2, so the first
    // block (often a title page) stays in training.
    auto& dst = (block % options.evalEvery == options.evalEvery / 2) ? split.eval : split.train;
    dst.append(text, pos, end - pos);
    pos = end;
    ++block;
  }
  if (split.eval.empty() || split.train.empty()) {
    throw Error("corpus is too small to hold out an eval slice (" + std::to_string(text.size()) +
                " bytes; need more than " +
                std::to_string(64 * (options.evalEvery / 2 + 1)) + ")");
  }
  return split;
}

CorpusSplit loadCorpus(const std::vector<fs::path>& files, const HoldoutOptions& options) {
  if (files.empty()) {
    CorpusSplit split = holdOut(readWhole(kjvTextFile()), options);
    split.source = "bible-kjv";
    return split;
  }
  CorpusSplit split = holdOut(readCorpusFiles(files), options);
  for (const auto& f : files) {
    if (!split.source.empty()) split.source.push_back(',');
    split.source.append(f.string());
  }
  return split;
}

}  // namespace qid::train
