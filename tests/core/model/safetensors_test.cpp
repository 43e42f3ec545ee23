#include "model/safetensors.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <fstream>

#include "common/error.h"
#include "test_support.h"

namespace {

using namespace qid::model;
namespace fs = std::filesystem;

std::string le64(std::uint64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}

// A file from a raw header string and a data section of n bytes.
fs::path craft(const qid::test::TempDir& dir, const std::string& header, std::size_t dataBytes,
               const std::string& name = "x.safetensors") {
  fs::path p = dir / name;
  std::string bytes = le64(header.size());
  bytes.append(header);
  bytes.append(dataBytes, '\1');
  qid::test::writeFile(p, bytes);
  return p;
}

// Expects a qid::Error whose message names the file and contains `part`.
void expectError(const fs::path& p, const std::string& part) {
  try {
    SafetensorsFile f(p);
    FAIL() << "no error for " << part;
  } catch (const qid::Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find(p.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find(part), std::string::npos) << msg;
  }
}

TEST(Safetensors, RoundTripAllDtypes) {
  qid::test::TempDir dir;
  NamedTensors tensors = {{"a.f32", at::randn({3, 5})},
                          {"b.f16", at::randn({7}).to(at::kHalf)},
                          {"c.bf16", at::randn({2, 2, 2}).to(at::kBFloat16)},
                          {"d.empty", at::zeros({0, 4})},
                          {"e.scalar", at::tensor(3.5f).reshape({})}};
  writeSafetensors(dir / "t.safetensors", tensors, {{"format", "pt"}});
  SafetensorsFile f(dir / "t.safetensors");
  EXPECT_EQ(f.metadata().at("format"), "pt");
  EXPECT_EQ(f.names().size(), 5u);
  for (const auto& [name, t] : tensors) {
    at::Tensor back = f.load(name);
    EXPECT_EQ(back.scalar_type(), t.scalar_type()) << name;
    EXPECT_TRUE(at::equal(back, t)) << name;
  }
  EXPECT_EQ(f.meta("b.f16").dtype, DType::F16);
  EXPECT_EQ(f.meta("a.f32").shape, (std::vector<int64_t>{3, 5}));
  EXPECT_EQ(f.dataOffset() % 8, 0u);
  EXPECT_THROW(f.load("missing"), qid::Error);
}

TEST(Safetensors, WriterRefusesUnsupportedTypesAndDuplicates) {
  qid::test::TempDir dir;
  EXPECT_THROW(writeSafetensors(dir / "a.safetensors", {{"x", at::zeros({2}, at::kLong)}}), qid::Error);
  EXPECT_THROW(writeSafetensors(dir / "b.safetensors", {{"x", at::zeros({2})}, {"x", at::zeros({2})}}), qid::Error);
}

TEST(Safetensors, ShardedRoundTrip) {
  qid::test::TempDir dir;
  NamedTensors tensors;
  for (int i = 0; i < 6; ++i) {
    std::string name = "t";
    name += std::to_string(i);
    tensors.emplace_back(name, at::randn({10, 10}));
  }
  writeShardedSafetensors(dir.path(), tensors, 900);  // 400 bytes each: 2 per shard
  EXPECT_TRUE(fs::exists(dir / "model-00003-of-00003.safetensors"));
  ShardedSafetensors s(dir / "model.safetensors.index.json");
  EXPECT_EQ(s.files().size(), 3u);
  for (const auto& [name, t] : tensors) EXPECT_TRUE(at::equal(s.load(name), t)) << name;
  auto w = openWeights(dir.path());
  EXPECT_EQ(w->names().size(), 6u);
}

TEST(Safetensors, ShardIndexErrors) {
  qid::test::TempDir dir;
  writeSafetensors(dir / "a.safetensors", {{"x", at::zeros({2})}});
  qid::test::writeFile(dir / "unsafe.json", R"({"weight_map": {"x": "../a.safetensors"}})");
  EXPECT_THROW(ShardedSafetensors(dir / "unsafe.json"), qid::Error);
  qid::test::writeFile(dir / "missing.json", R"({"weight_map": {"x": "b.safetensors"}})");
  EXPECT_THROW(ShardedSafetensors(dir / "missing.json"), qid::Error);
  qid::test::writeFile(dir / "wrong.json", R"({"weight_map": {"y": "a.safetensors"}})");
  EXPECT_THROW(ShardedSafetensors(dir / "wrong.json"), qid::Error);
  qid::test::writeFile(dir / "bad.json", R"({"weight_map": 3})");
  EXPECT_THROW(ShardedSafetensors(dir / "bad.json"), qid::Error);
}

TEST(Safetensors, TruncatedFile) {
  qid::test::TempDir dir;
  writeSafetensors(dir / "t.safetensors", {{"w", at::randn({64, 64})}});
  std::string bytes = qid::test::readFile(dir / "t.safetensors");
  for (std::size_t keep : {std::size_t(0), std::size_t(5), std::size_t(20), bytes.size() - 1}) {
    qid::test::writeFile(dir / "cut.safetensors", bytes.substr(0, keep));
    try {
      SafetensorsFile f(dir / "cut.safetensors");
      FAIL() << "no error when truncated to " << keep;
    } catch (const qid::Error& e) {
      EXPECT_NE(std::string(e.what()).find("cut.safetensors"), std::string::npos);
    }
  }
}

TEST(Safetensors, AbsurdHeaderLength) {
  qid::test::TempDir dir;
  std::string absurd = le64(~0ull);
  absurd.append("{}");
  qid::test::writeFile(dir / "h.safetensors", absurd);
  expectError(dir / "h.safetensors", "absurd");
  std::string longer = le64(1000);
  longer.append("{}");
  qid::test::writeFile(dir / "h2.safetensors", longer);
  expectError(dir / "h2.safetensors", "truncated");
}

TEST(Safetensors, BadDtype) {
  qid::test::TempDir dir;
  expectError(craft(dir, R"({"x":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}})", 16), "unsupported dtype 'I64'");
}

TEST(Safetensors, OverlappingRanges) {
  qid::test::TempDir dir;
  expectError(craft(dir, R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},)"
                         R"("b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}})", 24),
              "overlapping");
}

TEST(Safetensors, OffsetsBeyondFileAndShapeMismatch) {
  qid::test::TempDir dir;
  expectError(craft(dir, R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", 8, "short.safetensors"), "truncated");
  expectError(craft(dir, R"({"a":{"dtype":"F32","shape":[5],"data_offsets":[0,16]}})", 16, "shape.safetensors"), "need 20 bytes");
  expectError(craft(dir, R"({"a":{"dtype":"F32","shape":[-4],"data_offsets":[0,16]}})", 16, "neg.safetensors"), "negative");
  expectError(craft(dir, R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[16,0]}})", 16, "rev.safetensors"), "begin after");
  expectError(craft(dir, R"({"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,16]}})", 16, "big.safetensors"), "overflow");
  expectError(craft(dir, R"({"a":{"dtype":"F32","shape":[4]}})", 16, "noofs.safetensors"), "data_offsets");
  expectError(craft(dir, R"({"a":)", 16, "json.safetensors"), "not valid JSON");
  expectError(craft(dir, R"([1,2])", 16, "arr.safetensors"), "not a JSON object");
}

}  // namespace
