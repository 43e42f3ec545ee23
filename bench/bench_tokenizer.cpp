// Tokenizer throughput on wikitext-2 test (the file HF tokenizers' Rust
// encoder takes about 1 s for on one core): load time, then MB/s with a cold
// word cache, a warm one, and the decode speed. Prints figures; never fails
// on speed.
//   bench_tokenizer [tokenizer.json] [text file] [repeats]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "common/error.h"
#include "eval/text_source.h"
#include "model/tokenizer.h"

namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

double secondsSince(clock_type::time_point t0) {
  return std::chrono::duration<double>(clock_type::now() - t0).count();
}

fs::path sharedData() {
  if (const char* env = std::getenv("QIDLAB_SHARED_DATA"); env && *env) return env;
  return fs::path(QIDLAB_SOURCE_DIR) / ".." / "shared" / "data";
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path tokPath = argc > 1 ? fs::path(argv[1]) : sharedData() / "tokenizers/gpt-neox-20b.tokenizer.json";
  const fs::path textPath = argc > 2 ? fs::path(argv[2]) : sharedData() / "wikitext-2-raw/wiki.test.raw";
  const int repeats = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
  if (!fs::exists(tokPath) || !fs::exists(textPath)) {
    std::printf("bench_tokenizer: skipped, missing %s or %s\n", tokPath.c_str(), textPath.c_str());
    return 0;
  }
  try {
    auto t0 = clock_type::now();
    const auto tok = qid::model::Tokenizer::fromFile(tokPath);
    const double load = secondsSince(t0);
    const std::string text = qid::eval::readTextFile(textPath);
    const double mb = static_cast<double>(text.size()) / 1e6;
    std::printf("tokenizer %s loaded in %.3f s\n", tokPath.filename().c_str(), load);
    std::printf("text %s: %.2f MB\n", textPath.filename().c_str(), mb);

    double coldBest = 1e9, warmBest = 1e9;
    std::size_t count = 0;
    for (int r = 0; r < repeats; ++r) {
      tok.clearCache();
      t0 = clock_type::now();
      count = tok.encode(text).size();
      coldBest = std::min(coldBest, secondsSince(t0));
      t0 = clock_type::now();
      tok.encode(text);
      warmBest = std::min(warmBest, secondsSince(t0));
    }
    const auto ids = tok.encode(text);
    double decodeBest = 1e9;
    for (int r = 0; r < repeats; ++r) {
      t0 = clock_type::now();
      const std::string back = tok.decode(ids);
      decodeBest = std::min(decodeBest, secondsSince(t0));
      if (back.size() != text.size()) std::printf("warning: the round trip changed the size\n");
    }
    std::printf("tokens: %zu, distinct words cached: %zu\n", count, tok.cachedWords());
    std::printf("encode, cold cache: %.3f s  %.2f MB/s  (best of %d)\n", coldBest, mb / coldBest, repeats);
    std::printf("encode, warm cache: %.3f s  %.2f MB/s\n", warmBest, mb / warmBest);
    std::printf("decode:             %.3f s  %.2f MB/s\n", decodeBest, mb / decodeBest);
    std::printf("target: HF tokenizers (Rust, one core) takes about 1 s for wiki.test.raw (~1.3 MB/s)\n");
  } catch (const qid::Error& e) {
    std::fprintf(stderr, "bench_tokenizer: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
