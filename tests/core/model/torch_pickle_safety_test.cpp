// Crafted pytorch_model.bin files: a hostile pickle is refused before it can
// run anything, and a damaged file is a qid::Error naming it, never a crash.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <random>

#include "common/error.h"
#include "model/causal_lm.h"
#include "model/torch_bin.h"
#include "support/torch_save_writer.h"
#include "test_support.h"

namespace {

using namespace qid::model;
using qid::test::PickleWriter;
using qid::test::TorchTensorSpec;
namespace fs = std::filesystem;

const std::map<std::string, std::string> kStorage{{"0", std::string(24, '\0')}};  // 6 floats

TorchTensorSpec goodSpec() { return {"w", "0", "FloatStorage", 6, 0, {2, 3}, {3, 1}}; }

// A .bin whose data.pkl is `pickle` and whose storage "0" holds 6 floats.
fs::path writeBin(const qid::test::TempDir& tmp, const std::string& pickle, const std::string& file = "x.bin") {
  fs::path p = tmp / file;
  qid::test::writeBytes(p, qid::test::torchSaveBytes({}, kStorage, "archive", false, pickle));
  return p;
}

std::string openError(const fs::path& p) {
  try {
    TorchBinFile f(p);
    for (const auto& n : f.names()) f.load(n);
  } catch (const qid::Error& e) {
    return e.what();
  }
  return "";
}

void expectRefused(const fs::path& p, const std::string& needle) {
  std::string msg = openError(p);
  EXPECT_NE(msg.find(needle), std::string::npos) << "'" << needle << "' not in: '" << msg << "'";
  EXPECT_NE(msg.find(p.string()), std::string::npos) << "the error does not name the file: " << msg;
}

// GLOBAL module.name, a one-string argument tuple, REDUCE, STOP.
std::string callPickle(const std::string& module, const std::string& name, const std::string& arg,
                       bool stackGlobal = false) {
  PickleWriter w;
  w.proto(stackGlobal ? 4 : 2);
  if (stackGlobal) {
    w.op(0x8c);
    w.le(module.size(), 1);
    w.out += module;
    w.op(0x8c);
    w.le(name.size(), 1);
    w.out += name;
    w.op(0x93);
  } else {
    w.op('c');
    w.out += module + "\n" + name + "\n";
  }
  w.str(arg);
  w.op(0x85);
  w.op('R');
  w.stop();
  return w.out;
}

}  // namespace

TEST(TorchPickleSafety, CodeExecutingGlobalsAreRefusedAndNeverRun) {
  qid::test::TempDir tmp;
  fs::path sentinel = tmp / "pwned";
  std::string cmd = "touch '" + sentinel.string() + "'";
  expectRefused(writeBin(tmp, callPickle("os", "system", cmd)), "refusing to execute pickle global os.system");
  expectRefused(writeBin(tmp, callPickle("posix", "system", cmd, true)),
                "refusing to execute pickle global posix.system");
  expectRefused(writeBin(tmp, callPickle("builtins", "eval", "__import__('os').system('" + cmd + "')")),
                "refusing to execute pickle global builtins.eval");
  expectRefused(writeBin(tmp, callPickle("builtins", "exec", "open('" + sentinel.string() + "','w')", true)),
                "refusing to execute pickle global builtins.exec");
  expectRefused(writeBin(tmp, callPickle("subprocess", "Popen", cmd)),
                "refusing to execute pickle global subprocess.Popen");
  expectRefused(writeBin(tmp, callPickle("torch", "load", "x")), "refusing to execute pickle global torch.load");
  expectRefused(writeBin(tmp, callPickle("torch._utils", "_rebuild_parameter", "x")),
                "refusing to execute pickle global torch._utils._rebuild_parameter");
  // An allowed global used as a function other than the two that may be called.
  expectRefused(writeBin(tmp, callPickle("torch", "FloatStorage", "x")), "refusing to call torch.FloatStorage");
  EXPECT_FALSE(fs::exists(sentinel));
  // Through the model loader: the error names the checkpoint file.
  fs::create_directories(tmp / "m");
  qid::test::writeFile(tmp / "m" / "config.json", "{\"model_type\":\"gpt_neox\",\"hidden_size\":32,"
                       "\"num_hidden_layers\":1,\"num_attention_heads\":4,\"vocab_size\":64}");
  qid::test::writeBytes(tmp / "m" / "pytorch_model.bin", qid::test::torchSaveBytes({}, kStorage, "archive", false,
                                                                           callPickle("os", "system", cmd)));
  try {
    loadCausalLM(tmp / "m");
    FAIL() << "loaded a malicious checkpoint";
  } catch (const qid::Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find((tmp / "m" / "pytorch_model.bin").string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("refusing to execute pickle global os.system"), std::string::npos) << msg;
  }
  EXPECT_FALSE(fs::exists(sentinel));
}

TEST(TorchPickleSafety, OpcodesOutsideTheSubsetAreRefused) {
  qid::test::TempDir tmp;
  // INST, OBJ, NEWOBJ, NEWOBJ_EX, EXT1, PERSID (text), BINBYTES, BINFLOAT, INT (text), 0xff.
  for (unsigned char op : std::vector<unsigned char>{'i', 'o', 0x81, 0x92, 0x82, 'P', 'B', 'G', 'I', 0xff}) {
    PickleWriter w;
    w.proto(2);
    w.op(op);
    w.out += std::string(16, '\0');
    w.stop();
    expectRefused(writeBin(tmp, w.out), "unsupported pickle opcode");
  }
  // Backward hooks are code: a non-empty hooks dict is refused.
  PickleWriter w;
  w.proto(2);
  w.orderedDictCall();
  w.str("w");
  w.global("torch._utils", "_rebuild_tensor_v2");
  w.mark();
  w.mark();
  w.str("storage");
  w.global("torch", "FloatStorage");
  w.str("0");
  w.str("cpu");
  w.integer(6);
  w.op('t');
  w.op('Q');
  w.integer(0);
  w.intTuple({6});
  w.intTuple({1});
  w.op(0x89);
  w.op('}');
  w.str("hook");
  w.integer(1);
  w.op('s');
  w.op('t');
  w.op('R');
  w.op('s');
  w.stop();
  expectRefused(writeBin(tmp, w.out), "backward hooks");
  // A state dict must hold tensors only.
  PickleWriter v;
  v.proto(2);
  v.op('}');
  v.str("w");
  v.integer(7);
  v.op('s');
  v.stop();
  expectRefused(writeBin(tmp, v.out), "holds only tensors");
}

TEST(TorchPickleSafety, EveryTruncationAndRandomCorruptionIsAnErrorNotACrash) {
  qid::test::TempDir tmp;
  const std::string good = qid::test::stateDictPickle({goodSpec()});
  EXPECT_EQ(openError(writeBin(tmp, good)), "");
  for (size_t n = 0; n < good.size(); ++n)
    EXPECT_NE(openError(writeBin(tmp, good.substr(0, n))), "") << "prefix of " << n << " bytes accepted";
  std::mt19937 rng(2024);
  int refused = 0;
  for (int trial = 0; trial < 400; ++trial) {
    std::string bad = good;
    for (int k = 0; k < 1 + trial % 4; ++k) bad[rng() % bad.size()] = static_cast<char>(rng());
    refused += !openError(writeBin(tmp, bad)).empty();  // either way: no crash, no other exception
  }
  EXPECT_GT(refused, 200);
  // The whole file truncated at many points.
  const std::string file = qid::test::torchSaveBytes({goodSpec()}, kStorage);
  for (size_t n = 0; n < file.size(); n += 7) {
    qid::test::writeBytes(tmp / "t.bin", file.substr(0, n));
    EXPECT_NE(openError(tmp / "t.bin"), "") << "file truncated to " << n << " bytes accepted";
  }
}

TEST(TorchPickleSafety, OutOfRangeViewsAndHugeSizesAreRefused) {
  qid::test::TempDir tmp;
  auto withSpec = [&](TorchTensorSpec s) { return writeBin(tmp, qid::test::stateDictPickle({s})); };
  TorchTensorSpec s = goodSpec();
  s.offset = 1;  // the last element would be 6, the storage has 0..5
  expectRefused(withSpec(s), "reaches element 6 of storage '0', which holds only 6 elements");
  s = goodSpec();
  s.strides = {4, 1};
  expectRefused(withSpec(s), "reaches element 6");
  s = goodSpec();
  s.sizes = {1LL << 40, 1LL << 40};
  expectRefused(withSpec(s), "overflows");
  s = goodSpec();
  s.sizes = {1 << 20, 6};
  s.strides = {0, 1};
  expectRefused(withSpec(s), "broadcast view");
  s = goodSpec();
  s.strides = {-3, 1};
  expectRefused(withSpec(s), "negative size or stride");
  s = goodSpec();
  s.storageNumel = 1LL << 60;
  expectRefused(withSpec(s), "claims 1152921504606846976 elements");
  s = goodSpec();
  s.storageNumel = 8;  // the record holds 6 floats
  expectRefused(withSpec(s), "holds 24 bytes, but the pickle describes 8 elements");
  s = goodSpec();
  s.storageKey = "9";
  expectRefused(withSpec(s), "storage record 'archive/data/9' is missing");
  // A string that claims 4 GiB, an integer of 200 bytes.
  PickleWriter w;
  w.proto(2);
  w.op('X');
  w.le(0xFFFFFFF0u, 4);
  w.stop();
  expectRefused(writeBin(tmp, w.out), "truncated pickle");
  PickleWriter l;
  l.proto(2);
  l.op(0x8a);
  l.le(200, 1);
  l.out += std::string(200, '\x7f');
  l.stop();
  expectRefused(writeBin(tmp, l.out), "too large");
  // Deep nesting and a self-containing dict: refused without a stack overflow.
  PickleWriter d;
  d.proto(2);
  d.op(')');
  for (int i = 0; i < 300000; ++i) d.op(0x85);
  d.stop();
  expectRefused(writeBin(tmp, d.out), "holds a tuple, not a state dict");
  PickleWriter c;
  c.proto(2);
  c.op('}');
  c.put();
  c.str("me");
  c.get(0);
  c.op('s');
  c.stop();
  expectRefused(writeBin(tmp, c.out), "'me' is a dict");
}

TEST(TorchPickleSafety, DamagedContainersAreNamed) {
  qid::test::TempDir tmp;
  const std::string file = qid::test::torchSaveBytes({goodSpec()}, kStorage);
  // Legacy (pre-1.6) torch.save files start with a pickle, not a zip header.
  qid::test::writeBytes(tmp / "legacy.bin", std::string("\x80\x02\x8a\x0a", 4) + std::string(64, 'x'));
  expectRefused(tmp / "legacy.bin", "legacy torch.save format");
  qid::test::writeBytes(tmp / "text.bin", "hello, not a checkpoint");
  expectRefused(tmp / "text.bin", "not a torch.save zip archive");
  // A flipped byte inside data.pkl fails its CRC.
  std::string crc = file;
  size_t at = crc.find("_rebuild_tensor_v2");
  ASSERT_NE(at, std::string::npos);
  crc[at] = 'X';
  qid::test::writeBytes(tmp / "crc.bin", crc);
  expectRefused(tmp / "crc.bin", "CRC-32 mismatch");
  // A compressed entry: method 8 in both headers.
  std::string deflated = file;
  for (size_t p = 0; (p = deflated.find("PK", p)) != std::string::npos; p += 2) {
    if (deflated.compare(p, 4, "PK\x03\x04") == 0) deflated[p + 8] = 8;
    if (deflated.compare(p, 4, "PK\x01\x02") == 0) deflated[p + 10] = 8;
  }
  qid::test::writeBytes(tmp / "deflate.bin", deflated);
  expectRefused(tmp / "deflate.bin", "is compressed (method 8)");
  // The central directory pointing past the end of the file.
  std::string farCd = file;
  size_t eocd = farCd.rfind("PK\x05\x06");
  ASSERT_NE(eocd, std::string::npos);
  farCd[eocd + 16] = '\xff';
  farCd[eocd + 19] = '\x7f';
  qid::test::writeBytes(tmp / "cd.bin", farCd);
  expectRefused(tmp / "cd.bin", "central directory lies outside the file");
}
