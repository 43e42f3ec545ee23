#pragma once
// Two small, really trained GPT-NeoX checkpoints (2 layers, hidden 32, byte
// tokenizer), for tests that run the real quantization runner. A model that
// learned something sits near a loss minimum, so quantizing it raises its
// loss and fewer bits raise it more (a random-init model gives no such
// ordering). Trained once per test process (a few seconds on a CPU) with the
// micro-suite trainer; every checkpoint folder holds config.json,
// model.safetensors and tokenizer.json, as a hub download would.
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/model_config.h"
#include "model/tokenizer_json.h"
#include "test_support.h"
#include "train/trainer.h"

namespace qid::test {

struct TrainedCheckpoints {
  std::filesystem::path early, late;  // .../run/step96, .../run/step192
  std::filesystem::path evalText, calibText;
};

// Text from a chain over the 94 printable ASCII characters: a character is a
// fixed successor of the one two places back 9 times in 10, else random. The
// embeddings alone (which are not quantized) cannot predict it: the model
// must attend to the previous-but-one token, so what it learned sits in its
// blocks, and quantizing them hurts it, more at fewer bits. (With a
// first-order chain the 3- and 4-bit losses were within noise of each other.)
inline std::string chainText(std::size_t bytes, std::uint32_t seed) {
  std::uint32_t x = 88172645u;
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
  };
  std::vector<char> succ(94);
  for (int i = 0; i < 94; ++i) succ[std::size_t(i)] = char(33 + i);
  for (int i = 93; i > 0; --i) std::swap(succ[std::size_t(i)], succ[next() % std::uint32_t(i + 1)]);
  x = 2463534242u + seed * 7919u;
  std::string out;
  out.push_back(char(33 + next() % 94));
  out.push_back(char(33 + next() % 94));
  while (out.size() < bytes) {
    char c = out[out.size() - 2];
    out.push_back(next() % 10 == 0 ? char(33 + next() % 94) : succ[std::size_t(c - 33)]);
  }
  return out;
}

inline const TrainedCheckpoints& trainedCheckpoints() {
  static TempDir dir;
  static const TrainedCheckpoints ckpts = [] {
    TrainedCheckpoints c;
    c.evalText = dir / "eval.txt";
    c.calibText = dir / "calib.txt";
    writeFile(c.evalText, chainText(6000, 2));
    writeFile(c.calibText, chainText(4000, 3));
    auto tokenizer = dir / "tokenizer.json";
    model::writeByteLevelTokenizerJson(tokenizer);
    std::string train = chainText(20000, 1);
    std::vector<std::uint32_t> ids(train.begin(), train.end());
    std::vector<std::uint32_t> held(ids.begin(), ids.begin() + 600);
    model::ModelConfig cfg = model::gptNeoxConfig(2, 32, 4, 257);
    cfg.maxPositionEmbeddings = 64;
    train::TrainOptions o;
    o.runName = "tiny";
    o.totalSteps = 192;
    o.checkpointInterval = 96;
    o.schedule.kind = train::ScheduleKind::Cosine;
    o.schedule.peakLr = 1e-2;
    o.schedule.minLr = 1e-3;
    o.schedule.warmupSteps = 2;
    o.evalWindows = 2;
    train::trainRun(cfg, train::DataOrder(ids, 32, 8, 7), held, tokenizer, dir / "run", o);
    c.early = dir / "run" / "step96";
    c.late = dir / "run" / "step192";
    if (!std::filesystem::exists(c.early / "model.safetensors") || !std::filesystem::exists(c.late / "tokenizer.json"))
      throw std::runtime_error("the trainer did not write the expected checkpoints");
    return c;
  }();
  return ckpts;
}

}  // namespace qid::test
