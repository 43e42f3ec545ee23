// Bad checkpoints: each is a clear qid::Error naming the file, never a crash.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "model/causal_lm.h"
#include "model/random_checkpoint.h"
#include "model/safetensors.h"
#include "common/error.h"
#include "test_support.h"

namespace {

using namespace qid::model;
namespace fs = std::filesystem;

std::string errorOf(const fs::path& dir) {
  try {
    loadCausalLM(dir);
  } catch (const qid::Error& e) {
    return e.what();
  }
  return "";
}

void contains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "'" << part << "' not in: " << text;
}

TEST(ModelLoading, ConfigRoundTrip) {
  ModelConfig c = gptNeoxConfig(16, 2048, 8);
  ModelConfig back = parseModelConfig(toJson(c), "mem");
  EXPECT_EQ(back.numLayers, 16);
  EXPECT_EQ(back.hiddenSize, 2048);
  EXPECT_EQ(back.numHeads, 8);
  EXPECT_EQ(back.intermediateSize, 8192);
  EXPECT_EQ(back.rotaryDims(), 64);
  EXPECT_DOUBLE_EQ(back.rotaryPct, 0.25);
}

TEST(ModelLoading, UnknownArchitecture) {
  qid::test::TempDir dir;
  writeRandomCheckpoint(dir.path(), tinyGptNeoxConfig());
  auto j = nlohmann::json::parse(qid::test::readFile(dir / "config.json"));
  j["architectures"] = {"MambaForCausalLM"};
  qid::test::writeFile(dir / "config.json", j.dump());
  std::string err = errorOf(dir.path());
  contains(err, "config.json");
  contains(err, "unknown architecture 'MambaForCausalLM'");
}

TEST(ModelLoading, BadConfigValues) {
  qid::test::TempDir dir;
  writeRandomCheckpoint(dir.path(), tinyGptNeoxConfig());
  auto j = nlohmann::json::parse(qid::test::readFile(dir / "config.json"));
  j["num_attention_heads"] = 5;
  qid::test::writeFile(dir / "config.json", j.dump());
  contains(errorOf(dir.path()), "not divisible");
  j.erase("num_attention_heads");
  qid::test::writeFile(dir / "config.json", j.dump());
  contains(errorOf(dir.path()), "missing key 'num_attention_heads'");
  qid::test::writeFile(dir / "config.json", "{not json");
  contains(errorOf(dir.path()), "not valid JSON");
  fs::remove(dir / "config.json");
  contains(errorOf(dir.path()), "config.json");
}

TEST(ModelLoading, ShapeMismatchWithConfig) {
  qid::test::TempDir dir;
  writeRandomCheckpoint(dir.path(), tinyGptNeoxConfig());
  auto j = nlohmann::json::parse(qid::test::readFile(dir / "config.json"));
  j["intermediate_size"] = 128;
  qid::test::writeFile(dir / "config.json", j.dump());
  std::string err = errorOf(dir.path());
  contains(err, "model.safetensors");
  contains(err, "gpt_neox.layers.0.mlp.dense_h_to_4h.weight");
  contains(err, "[256, 64]");
  contains(err, "[128, 64]");
}

TEST(ModelLoading, MissingTensor) {
  qid::test::TempDir dir;
  writeRandomCheckpoint(dir.path(), tinyGptNeoxConfig());
  NamedTensors kept;
  SafetensorsFile f(dir / "model.safetensors");
  for (const auto& name : f.names())
    if (name != "embed_out.weight") kept.emplace_back(name, f.load(name));
  writeSafetensors(dir / "other.safetensors", kept);
  fs::rename(dir / "other.safetensors", dir / "model.safetensors");
  contains(errorOf(dir.path()), "missing tensor 'embed_out.weight'");
}

TEST(ModelLoading, WrongDtypeInFile) {
  qid::test::TempDir dir;
  writeRandomCheckpoint(dir.path(), tinyGptNeoxConfig());
  std::string bytes = qid::test::readFile(dir / "model.safetensors");
  auto pos = bytes.find("\"F32\"");
  ASSERT_NE(pos, std::string::npos);
  bytes.replace(pos, 5, "\"I32\"");
  qid::test::writeFile(dir / "model.safetensors", bytes);
  contains(errorOf(dir.path()), "unsupported dtype 'I32'");
}

TEST(ModelLoading, TruncatedCheckpointNeverCrashes) {
  qid::test::TempDir dir;
  writeRandomCheckpoint(dir.path(), tinyGptNeoxConfig());
  std::string bytes = qid::test::readFile(dir / "model.safetensors");
  for (double frac : {0.0, 0.001, 0.01, 0.5, 0.999}) {
    qid::test::writeFile(dir / "model.safetensors", bytes.substr(0, static_cast<size_t>(bytes.size() * frac)));
    contains(errorOf(dir.path()), "model.safetensors");
  }
}

TEST(ModelLoading, HalfPrecisionCheckpointLoads) {
  qid::test::TempDir dir;
  writeRandomCheckpoint(dir.path(), tinyGptNeoxConfig(), {1, DType::BF16, 0});
  auto model = loadCausalLM(dir.path());
  EXPECT_EQ(model->dtype(), at::kFloat);
  SafetensorsFile f(dir / "model.safetensors");
  EXPECT_EQ(f.meta("embed_out.weight").dtype, DType::BF16);
  EXPECT_TRUE(at::equal(model->namedParameters().back().second, f.load("embed_out.weight").to(at::kFloat)));
}

TEST(ModelLoading, NoWeights) {
  qid::test::TempDir dir;
  saveModelConfig(dir.path(), tinyGptNeoxConfig());
  contains(errorOf(dir.path()), "no weights found");
}

}  // namespace
