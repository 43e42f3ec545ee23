// qidlab-cli quantize, end to end on a tiny trained checkpoint.
#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>

#include "model/random_checkpoint.h"
#include "model/safetensors.h"
#include "support/trained_checkpoint.h"
#include "test_support.h"

namespace {

namespace fs = std::filesystem;
using qid::test::runCli;
using qid::test::TempDir;
using qid::test::kFixtureEvalWindows;
using qid::test::trainedFixture;
using qid::test::writeFile;

std::string q(const fs::path& p) {
  std::string s(1, '\'');
  s += p.string();
  s += "' ";
  return s;
}

std::string cmd(std::initializer_list<std::string> parts) {
  std::string s;
  for (const auto& p : parts) s += p;
  return s;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// quantize with small calibration (16 windows of 64) on the fixture's eval windows.
std::string quantizeArgs(const std::string& method, int bits, const std::string& extra = "",
                         const std::string& group = "32") {
  const auto& fx = trainedFixture();
  return cmd({"quantize --json --model ", q(fx.model), "--method ", method, " --bits ", std::to_string(bits),
              " --group " + group + " --calib ", q(fx.calib), "--calib-samples 16 --eval ", q(fx.eval), "--seqlen 64 ",
              extra});
}

nlohmann::json quantize(const std::string& method, int bits, const std::string& extra = "",
                        const std::string& group = "32") {
  auto r = runCli(quantizeArgs(method, bits, extra, group));
  EXPECT_EQ(r.exitCode, 0) << method << " " << bits << ": " << r.err;
  if (r.exitCode != 0) return nlohmann::json();
  return nlohmann::json::parse(r.out);
}

TEST(CliQuantize, DeltaQLossIsOrderedByBitsForEveryMethod) {
  std::map<std::string, std::vector<double>> delta;
  double loss16 = -1;
  for (const std::string method : {"rtn", "gptq", "awq"}) {
    for (int bits : {2, 3, 4}) {
      const auto j = quantize(method, bits, "", "-1");
      ASSERT_FALSE(j.is_null());
      // Identical windows for the 16-bit and the quantized model, and the
      // same 16-bit loss in every run.
      EXPECT_EQ(j["baseline"]["windows"], kFixtureEvalWindows);
      EXPECT_EQ(j["quantized"]["windows"], kFixtureEvalWindows);
      EXPECT_EQ(j["baseline"]["tokens"], j["quantized"]["tokens"]);
      if (loss16 < 0) loss16 = j["loss16"].get<double>();
      EXPECT_DOUBLE_EQ(j["loss16"].get<double>(), loss16);
      EXPECT_NEAR(j["delta_q_loss"].get<double>(), j["lossq"].get<double>() - loss16, 1e-12);
      EXPECT_GT(j["delta_stderr"].get<double>(), 0.0);
      EXPECT_EQ(j["layers"].size(), 8u);  // 2 blocks x 4 Linears
      for (const auto& l : j["layers"]) {
        EXPECT_GT(l["relative_error"].get<double>(), 0.0) << method << bits;
        EXPECT_GE(l["seconds"].get<double>(), 0.0);
      }
      EXPECT_EQ(j["quantization"]["method"], method);
      EXPECT_EQ(j["eval"]["recipe"]["id"], "gptq-paper@1");
      delta[method].push_back(j["delta_q_loss"].get<double>());
      std::printf("%s %d-bit: loss16 %.4f dq %.5f +- %.5f\n", method.c_str(), bits, loss16, j["delta_q_loss"].get<double>(),
                  j["delta_stderr"].get<double>());
    }
    EXPECT_GT(delta[method][0], delta[method][1]) << method;
    EXPECT_GT(delta[method][1], delta[method][2]) << method;
    EXPECT_GT(delta[method][2], -2e-3) << method;
  }
  // NF4 exists at 4 bits only: about lossless, and better than 3-bit RTN.
  const auto nf4 = quantize("nf4", 4);
  ASSERT_FALSE(nf4.is_null());
  EXPECT_GT(nf4["delta_q_loss"].get<double>(), -2e-3);
  EXPECT_LT(nf4["delta_q_loss"].get<double>(), delta["rtn"][1]);
  EXPECT_TRUE(nf4["calibration"].is_object());  // given, used for the error figures
}

TEST(CliQuantize, SavedModelEvaluatesToTheSameLossq) {
  const auto& fx = trainedFixture();
  TempDir dir;
  const auto j = quantize("gptq", 3, cmd({"--save ", q(dir / "q")}));
  ASSERT_FALSE(j.is_null());
  for (const char* f : {"config.json", "model.safetensors", "tokenizer.json", "qidlab_quant.json"})
    EXPECT_TRUE(fs::exists(dir / "q" / f)) << f;
  qid::model::SafetensorsFile st(dir / "q" / "model.safetensors");
  EXPECT_EQ(st.metadata().at("qidlab_method"), "gptq");
  EXPECT_EQ(st.metadata().at("qidlab_bits"), "3");
  // A 3-bit row of dense (32 columns, group 32) holds at most 8 distinct values.
  at::Tensor w = st.load("gpt_neox.layers.0.attention.dense.weight");
  ASSERT_EQ(w.size(1), 32);
  EXPECT_LE(std::get<0>(at::_unique(w[0])).numel(), 8);

  auto r = runCli(cmd({"eval --json --model ", q(dir / "q"), "--data ", q(fx.eval), "--seqlen 64"}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NEAR(nlohmann::json::parse(r.out)["nll"].get<double>(), j["lossq"].get<double>(), 1e-9);
  r = runCli(cmd({"inspect --json --model ", q(dir / "q")}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["dtype"], "F32");
  // The folder must be new.
  r = runCli(quantizeArgs("rtn", 4, cmd({"--save ", q(dir / "q")})));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r.err, "not empty")) << r.err;
}

TEST(CliQuantize, PresetsAndOverrides) {
  const auto& fx = trainedFixture();
  const std::string base = cmd({"quantize --json --model ", q(fx.model), "--calib ", q(fx.calib),
                                "--calib-samples 8 --eval ", q(fx.eval), "--seqlen 64 --max-windows 4 "});
  auto r = runCli(base + "--preset paper --bits 4");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["quantization"]["method"], "gptq");
  EXPECT_EQ(j["quantization"]["group"], 128);
  EXPECT_EQ(j["quantization"]["sym"], true);
  EXPECT_DOUBLE_EQ(j["quantization"]["damp"].get<double>(), 0.1);
  EXPECT_EQ(j["quantization"]["preset"], "paper");
  EXPECT_EQ(j["eval"]["windows"], 4);
  EXPECT_EQ(j["calibration"]["samples"], 8);    // the option beats the preset's 128
  EXPECT_EQ(j["calibration"]["seqlen"], 64);    // default: the eval seqlen
  // group 128 is more than the 32 columns of qkv's input: one partial group per row, with a note.
  EXPECT_FALSE(j["partial_groups"].empty());

  r = runCli(base + "--preset paper --bits 3 --group 32 --asym --damp 0.05 --act-order --seed 3");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["quantization"]["group"], 32);
  EXPECT_EQ(j["quantization"]["sym"], false);
  EXPECT_EQ(j["quantization"]["act_order"], true);
  EXPECT_DOUBLE_EQ(j["quantization"]["damp"].get<double>(), 0.05);
  EXPECT_EQ(j["calibration"]["seed"], 3);

  r = runCli(base + "--preset awq --bits 4 --group 32 --calib-seqlen 32");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["quantization"]["method"], "awq");
  EXPECT_EQ(j["calibration"]["seqlen"], 32);

  r = runCli(base + "--method fp4 --bits 4 --recipe llamacpp");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["eval"]["recipe"]["id"], "llamacpp@1");
  EXPECT_EQ(j["eval"]["tokens"], 4 * 31);
}

TEST(CliQuantize, BadInputGivesClearErrors) {
  const auto& fx = trainedFixture();
  const std::string evalPart = cmd({"--eval ", q(fx.eval), "--seqlen 64 --max-windows 2 "});
  const std::string model = cmd({"quantize --model ", q(fx.model)});

  auto r = runCli(model + "--method gptq --bits 9 --calib " + q(fx.calib) + evalPart);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r.err, "bits")) << r.err;
  r = runCli(model + "--method gptq --bits 0 --calib " + q(fx.calib) + evalPart);
  EXPECT_EQ(r.exitCode, 1);

  r = runCli(model + "--method gptq --bits 4 " + evalPart);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r.err, "needs calibration text")) << r.err;

  r = runCli(model + "--bits 4 " + evalPart);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r.err, "--method")) << r.err;

  r = runCli(model + "--method gguf --bits 4 " + evalPart);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r.err, "gguf")) << r.err;

  r = runCli(model + "--method nf4 --bits 3 " + evalPart);
  EXPECT_EQ(r.exitCode, 1);

  r = runCli(model + "--method rtn --bits 4 --group 0 " + evalPart);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r.err, "group")) << r.err;

  r = runCli(model + "--method rtn --bits 4 --preset nope " + evalPart);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r.err, "unknown quantization preset 'nope'")) << r.err;

  // A group that does not divide the columns is accepted with a note.
  r = runCli(model + "--method rtn --bits 4 --group 48 " + evalPart);
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(has(r.err, "group 48 does not divide the 32 columns")) << r.err;

  // NaN weights: the error names the tensor.
  TempDir dir;
  fs::copy(fx.model, dir / "nan");
  {
    qid::model::SafetensorsFile st(dir / "nan" / "model.safetensors");
    qid::model::NamedTensors tensors;
    for (const auto& name : st.names()) {
      at::Tensor t = st.load(name);
      if (name == "gpt_neox.layers.1.mlp.dense_4h_to_h.weight") t[2][5] = std::nan("");
      tensors.emplace_back(name, t);
    }
    qid::model::writeSafetensors(dir / "nan" / "tmp.safetensors", tensors);
  }
  fs::rename(dir / "nan" / "tmp.safetensors", dir / "nan" / "model.safetensors");
  r = runCli(cmd({"quantize --model ", q(dir / "nan"), "--method rtn --bits 4 ", evalPart}));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r.err, "gpt_neox.layers.1.mlp.dense_4h_to_h.weight")) << r.err;
  EXPECT_TRUE(has(r.err, "NaN")) << r.err;
}

TEST(CliQuantize, HelpExplainsTheOptions) {
  auto r = runCli("quantize --help");
  EXPECT_EQ(r.exitCode, 0);
  for (const char* opt : {"--model", "--method", "--bits", "--group", "--preset", "--damp", "--sym", "--asym",
                          "--act-order", "--static-groups", "--calib", "--calib-samples", "--calib-seqlen",
                          "--seed", "--calib-on-cpu", "--eval", "--seqlen", "--max-windows", "--recipe",
                          "--save", "--json"})
    EXPECT_TRUE(has(r.out, opt)) << opt;
}

}  // namespace

TEST(CliQuantize, KlDivergenceComesFromTheSamePass) {
  const auto plain = quantize("rtn", 2);
  const auto two = quantize("rtn", 2, "--kl");
  const auto four = quantize("rtn", 4, "--kl");
  ASSERT_FALSE(plain.is_null() || two.is_null() || four.is_null());
  ASSERT_FALSE(plain.contains("kl_divergence"));
  ASSERT_TRUE(two.contains("kl_divergence")) << two.dump();
  // The losses do not change when the KL pass runs alongside.
  EXPECT_NEAR(two["loss16"].get<double>(), plain["loss16"].get<double>(), 1e-6);
  EXPECT_NEAR(two["lossq"].get<double>(), plain["lossq"].get<double>(), 1e-6);
  const double kl2 = two["kl_divergence"].get<double>(), kl4 = four["kl_divergence"].get<double>();
  EXPECT_TRUE(std::isfinite(kl2));
  EXPECT_GT(kl4, 0.0);
  EXPECT_GT(kl2, kl4);  // coarser grid, further from the 16-bit distribution
  EXPECT_EQ(two["kl_unit"], "nats/token");
  EXPECT_GT(two["kl_stderr"].get<double>(), 0.0);
  const double agree = four["top_token_agreement"].get<double>();
  EXPECT_GT(agree, 0.5);
  EXPECT_LE(agree, 1.0);
  auto r = qid::test::runCli(quantizeArgs("rtn", 3, "--kl").replace(0, std::string("quantize --json").size(), "quantize"));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(has(r.out, "KL(16||q)")) << r.out;
}
