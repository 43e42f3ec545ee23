// pytorch_model.bin checkpoints (torch.save zip format) load exactly like
// their safetensors twins, single and sharded, with views and buffers.
#include "model/torch_bin.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "common/error.h"
#include "model/causal_lm.h"
#include "model/random_checkpoint.h"
#include "model/safetensors.h"
#include "support/torch_save_writer.h"
#include "test_support.h"

namespace {

using namespace qid::model;
namespace fs = std::filesystem;
using Named = std::vector<std::pair<std::string, at::Tensor>>;

Named readAll(const WeightSource& w) {
  Named out;
  for (const auto& n : w.names()) out.emplace_back(n, w.load(n));
  return out;
}

// The buffers HF's GPT-NeoX state dicts carry next to the weights (Pythia's
// .bin files have them): a bool causal mask, a float scalar and inv_freq.
Named pythiaBuffers(int layers) {
  Named out;
  for (int i = 0; i < layers; ++i) {
    std::string p = "gpt_neox.layers." + std::to_string(i) + ".attention.";
    out.emplace_back(p + "bias", at::ones({1, 1, 8, 8}, at::kBool).tril());
    out.emplace_back(p + "masked_bias", at::full({}, -1e9, at::kFloat));
    out.emplace_back(p + "rotary_emb.inv_freq", at::arange(0, 4, at::kFloat));
  }
  return out;
}

void expectSameModel(const CausalLM& a, const CausalLM& b) {
  auto pa = a.namedParameters(), pb = b.namedParameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (size_t i = 0; i < pa.size(); ++i) {
    EXPECT_EQ(pa[i].first, pb[i].first);
    EXPECT_EQ(pa[i].second.scalar_type(), pb[i].second.scalar_type()) << pa[i].first;
    EXPECT_TRUE(at::equal(pa[i].second, pb[i].second)) << pa[i].first;
  }
  at::Tensor ids = at::arange(0, 24, at::kLong).remainder(a.config().vocabSize).view({2, 12});
  EXPECT_TRUE(at::equal(a.forward(ids), b.forward(ids)));
}

}  // namespace

TEST(TorchBin, ShardedCheckpointLoadsIdenticallyToItsSafetensorsTwin) {
  qid::test::TempDir tmp;
  ModelConfig config = tinyGptNeoxConfig(2, 32, 4, 96);
  RandomCheckpointOptions ro;
  ro.seed = 3;
  writeRandomCheckpoint(tmp / "st", config, ro);
  SafetensorsFile st(tmp / "st" / "model.safetensors");
  Named tensors = readAll(st);
  std::uint64_t total = 0;
  for (const auto& [_, t] : tensors) total += t.nbytes();
  Named withBuffers = tensors;
  for (auto& b : pythiaBuffers(2)) withBuffers.push_back(b);
  fs::create_directories(tmp / "bin");
  fs::copy_file(tmp / "st" / "config.json", tmp / "bin" / "config.json");
  qid::test::writeShardedTorchBin(tmp / "bin", withBuffers, total / 3);
  ASSERT_TRUE(fs::exists(tmp / "bin" / "pytorch_model-00003-of-00004.bin") ||
              fs::exists(tmp / "bin" / "pytorch_model-00003-of-00003.bin"));

  auto bin = openWeights(tmp / "bin");
  EXPECT_NE(dynamic_cast<ShardedTorchBin*>(bin.get()), nullptr);
  EXPECT_GE(bin->files().size(), 3u);
  for (const auto& [name, t] : tensors) {
    ASSERT_TRUE(bin->contains(name)) << name;
    EXPECT_EQ(bin->meta(name).shape, st.meta(name).shape) << name;
    EXPECT_EQ(bin->meta(name).dtype, st.meta(name).dtype) << name;
    EXPECT_TRUE(at::equal(bin->load(name), t)) << name;
  }
  // The bool mask is a buffer, not a weight; the float buffers are listed.
  EXPECT_FALSE(bin->contains("gpt_neox.layers.0.attention.bias"));
  EXPECT_TRUE(bin->contains("gpt_neox.layers.0.attention.masked_bias"));

  auto a = loadCausalLM(tmp / "st");
  auto b = loadCausalLM(tmp / "bin");
  expectSameModel(*a, *b);
}

TEST(TorchBin, SingleFileHalfAndBfloat16WithTheOldPrefixAndZip64) {
  qid::test::TempDir tmp;
  ModelConfig config = tinyGptNeoxConfig(2, 32, 4, 64);
  for (DType dt : {DType::F16, DType::BF16}) {
    RandomCheckpointOptions ro;
    ro.dtype = dt;
    ro.seed = 11;
    fs::path st = tmp / ("st" + dtypeName(dt)), bin = tmp / ("bin" + dtypeName(dt));
    writeRandomCheckpoint(st, config, ro);
    fs::create_directories(bin);
    fs::copy_file(st / "config.json", bin / "config.json");
    // Older torch names the record folder after the file stem.
    qid::test::writeTorchStateDict(bin / "pytorch_model.bin", readAll(SafetensorsFile(st / "model.safetensors")),
                                   "pytorch_model", dt == DType::BF16);
    TorchBinFile file(bin / "pytorch_model.bin");
    EXPECT_EQ(file.prefix(), "pytorch_model");
    LoadOptions lo;
    lo.dtype = toScalarType(dt);
    expectSameModel(*loadCausalLM(st, lo), *loadCausalLM(bin, lo));
  }
}

TEST(TorchBin, ViewsIntoSharedStoragesAreRebuiltFromTheirStrides) {
  qid::test::TempDir tmp;
  at::Tensor base = at::arange(0, 24, at::kFloat);  // one storage of 24 floats
  std::vector<qid::test::TorchTensorSpec> specs(3);
  specs[0] = {"transposed", "0", "FloatStorage", 24, 0, {4, 6}, {1, 4}};  // base.view(6,4).t()
  specs[1] = {"slice", "0", "FloatStorage", 24, 8, {2, 4}, {4, 1}};       // base[8:16].view(2,4)
  specs[2] = {"scalar", "1", "HalfStorage", 1, 0, {}, {}};
  std::map<std::string, std::string> storages{{"0", qid::test::bytesOf(base)},
                                              {"1", qid::test::bytesOf(at::full({1}, 2.5, at::kHalf))}};
  qid::test::writeBytes(tmp / "v.bin", qid::test::torchSaveBytes(specs, storages));
  TorchBinFile f(tmp / "v.bin");
  EXPECT_EQ(f.names(), (std::vector<std::string>{"scalar", "slice", "transposed"}));
  EXPECT_TRUE(at::equal(f.load("transposed"), base.view({6, 4}).t()));
  EXPECT_TRUE(f.load("transposed").is_contiguous());
  EXPECT_TRUE(at::equal(f.load("slice"), base.narrow(0, 8, 8).view({2, 4})));
  at::Tensor s = f.load("scalar");
  EXPECT_EQ(s.dim(), 0);
  EXPECT_EQ(s.scalar_type(), at::kHalf);
  EXPECT_EQ(s.item<float>(), 2.5f);
}

TEST(TorchBin, SafetensorsArePreferredAndMissingWeightsAreNamed) {
  qid::test::TempDir tmp;
  ModelConfig config = tinyGptNeoxConfig(2, 32, 4, 64);
  writeRandomCheckpoint(tmp / "m", config);
  qid::test::writeTorchStateDict(tmp / "m" / "pytorch_model.bin", {{"x", at::zeros({2})}});
  EXPECT_NE(dynamic_cast<SafetensorsFile*>(openWeights(tmp / "m").get()), nullptr);
  fs::remove(tmp / "m" / "model.safetensors");
  EXPECT_NE(dynamic_cast<TorchBinFile*>(openWeights(tmp / "m").get()), nullptr);
  try {
    loadCausalLM(tmp / "m");
    FAIL() << "loaded a checkpoint without its weights";
  } catch (const qid::Error& e) {
    EXPECT_NE(std::string(e.what()).find("pytorch_model.bin: missing tensor 'gpt_neox.embed_in.weight'"),
              std::string::npos)
        << e.what();
  }
  // A listed tensor that its shard lacks.
  fs::create_directories(tmp / "s");
  qid::test::writeTorchStateDict(tmp / "s" / "pytorch_model-00001-of-00001.bin", {{"x", at::zeros({2})}});
  qid::test::writeFile(tmp / "s" / "pytorch_model.bin.index.json",
                       R"({"weight_map": {"x": "pytorch_model-00001-of-00001.bin", "y": "pytorch_model-00001-of-00001.bin"}})");
  EXPECT_THROW(openWeights(tmp / "s"), qid::Error);
  qid::test::writeFile(tmp / "s" / "pytorch_model.bin.index.json", R"({"weight_map": {"x": "../evil.bin"}})");
  EXPECT_THROW(openWeights(tmp / "s"), qid::Error);
}
