#pragma once
// Training text for micro-suites: any text files, or the embedded default,
// the King James Bible from Debian's bible-kjv package (installed by
// scripts/setup-deps), extracted once to plain text in a cache folder. The
// repo carries no corpus.
//
// A slice is held out as evaluation text: the text is cut into line-aligned
// blocks of about `blockBytes`, and every `evalEvery`-th block goes to the
// eval text, so both halves span the whole corpus.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace qid::train {

struct CorpusSplit {
  std::string train;
  std::string eval;
  std::string source;  // "bible-kjv" or the file names
};

struct HoldoutOptions {
  std::size_t blockBytes = 4096;
  std::size_t evalEvery = 50;  // 1 block in 50 (2 %) is eval text
};

// $QIDLAB_CACHE, else $XDG_CACHE_HOME/qidlab, else ~/.cache/qidlab.
std::filesystem::path cacheDir();

// The KJV as plain text (one verse a line, a blank line between chapters),
// extracted with the package's `bible` program on first use into
// cacheDir()/bible-kjv.txt and read from there afterwards. Throws qid::Error
// naming the package when it is not installed.
std::filesystem::path kjvTextFile();

// The files' contents joined by a blank line. Throws qid::Error naming a file
// that cannot be read or is empty.
std::string readCorpusFiles(const std::vector<std::filesystem::path>& files);

// Splits text into train and held-out eval text (deterministic).
CorpusSplit holdOut(const std::string& text, const HoldoutOptions& options = {});

// The given files, or the KJV when `files` is empty, split.
CorpusSplit loadCorpus(const std::vector<std::filesystem::path>& files,
                       const HoldoutOptions& options = {});

// "bible -f" output ("Ge1:1 In the beginning ...") to plain text: the
// references are removed and a blank line separates chapters.
std::string kjvPlainText(const std::string& bibleOutput);

}  // namespace qid::train
