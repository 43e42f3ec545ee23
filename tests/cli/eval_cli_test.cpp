// qidlab-cli inspect and eval, end to end on tiny checkpoints written here.
#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <nlohmann/json.hpp>

#include "model/model_config.h"
#include "model/random_checkpoint.h"
#include "model/safetensors.h"
#include "model/tokenizer_json.h"
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

// A random tiny checkpoint with the byte-level tokenizer.
void randomModel(const fs::path& dir) {
  qid::model::writeRandomCheckpoint(dir, qid::model::tinyGptNeoxConfig(), {3, qid::model::DType::F32, 0});
  qid::model::writeByteLevelTokenizerJson(dir / "tokenizer.json");
}

TEST(CliInspect, ReportsArchitectureCountsAndTensors) {
  TempDir dir;
  qid::model::writeRandomCheckpoint(dir / "m", qid::model::tinyGptNeoxConfig(), {1, qid::model::DType::BF16, 0});
  auto r = runCli(cmd({"inspect --json --model ", q(dir / "m")}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto count = qid::model::countParameters(qid::model::tinyGptNeoxConfig());
  EXPECT_EQ(j["architecture"], "GPTNeoXForCausalLM");
  EXPECT_EQ(j["N"], count.nonEmbedding);
  EXPECT_EQ(j["N_total"], count.total);
  // Independently: 2 blocks of (2 LayerNorms + qkv + dense + two MLP Linears) plus the final norm.
  const std::int64_t h = 64, f = 256, v = 512;
  const std::int64_t block = 4 * h + (3 * h * h + 3 * h) + (h * h + h) + (f * h + f) + (h * f + h);
  EXPECT_EQ(j["N"], 2 * block + 2 * h);
  EXPECT_EQ(j["N_total"], 2 * block + 2 * h + 2 * v * h);
  EXPECT_EQ(j["dtype"], "BF16");
  EXPECT_EQ(j["tensors"].size(), 2u * 12 + 4);
  bool sawQkv = false;
  for (const auto& t : j["tensors"])
    if (t["name"] == "gpt_neox.layers.1.attention.query_key_value.weight") {
      sawQkv = true;
      EXPECT_EQ(t["shape"], nlohmann::json::parse("[192, 64]"));
      EXPECT_EQ(t["dtype"], "BF16");
    }
  EXPECT_TRUE(sawQkv);
  EXPECT_TRUE(j["tokenizer"].is_null());

  r = runCli(cmd({"inspect --model ", q(dir / "m")}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(has(r.out, "GPTNeoXForCausalLM")) << r.out;
  EXPECT_TRUE(has(r.out, "(non-embedding parameters)")) << r.out;
  EXPECT_TRUE(has(r.out, "embed_out.weight")) << r.out;
}

TEST(CliInspect, BadFoldersGiveOneLineErrors) {
  TempDir dir;
  auto r = runCli(cmd({"inspect --model ", q(dir / "absent")}));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r.err, "absent: no such folder")) << r.err;

  fs::create_directories(dir / "empty");
  r = runCli(cmd({"inspect --model ", q(dir / "empty")}));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r.err, "config.json")) << r.err;

  randomModel(dir / "cut");
  const std::string bytes = qid::test::readFile(dir / "cut" / "model.safetensors");
  writeFile(dir / "cut" / "model.safetensors", bytes.substr(0, bytes.size() / 2));
  r = runCli(cmd({"inspect --model ", q(dir / "cut")}));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r.err, "model.safetensors")) << r.err;
  EXPECT_TRUE(has(r.err, "truncated")) << r.err;

  randomModel(dir / "shape");
  auto config = nlohmann::json::parse(qid::test::readFile(dir / "shape" / "config.json"));
  config["hidden_size"] = 128;
  config["intermediate_size"] = 512;
  writeFile(dir / "shape" / "config.json", config.dump());
  r = runCli(cmd({"inspect --model ", q(dir / "shape")}));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r.err, "but config.json needs")) << r.err;

  config["architectures"] = {"LlamaForCausalLM"};
  writeFile(dir / "shape" / "config.json", config.dump());
  r = runCli(cmd({"inspect --model ", q(dir / "shape")}));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r.err, "unknown architecture 'LlamaForCausalLM'")) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(CliEval, ReportsTheLossAndEverythingAroundIt) {
  const auto& fx = trainedFixture();
  auto r = runCli(cmd({"eval --json --model ", q(fx.model), "--data ", q(fx.eval), "--seqlen 64"}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["windows"], kFixtureEvalWindows);  // floor((64 * K + 10) / 64)
  EXPECT_EQ(j["tokens"], kFixtureEvalWindows * 63);
  EXPECT_EQ(j["text_tokens"], 64 * kFixtureEvalWindows + 10);
  EXPECT_EQ(j["recipe"]["id"], "gptq-paper@1");
  EXPECT_EQ(j["dtype"], "fp32");
  EXPECT_EQ(j["device"], "cpu");
  const double nll = j["nll"].get<double>();
  // Trained on the chain: far below a uniform guess over 32 characters (ln 32 = 3.47).
  EXPECT_LT(nll, 1.5);
  EXPECT_GT(nll, 0.0);
  EXPECT_NEAR(j["perplexity"].get<double>(), std::exp(nll), 1e-9);
  // One byte per token: bits/byte is nats/token over ln 2.
  EXPECT_NEAR(j["bits_per_byte"].get<double>(), nll / std::log(2.0), 1e-9);
  EXPECT_GT(j["stderr"].get<double>(), 0.0);
  EXPECT_EQ(j["window_nll"].size(), std::size_t(kFixtureEvalWindows));
  EXPECT_GT(j["tokens_per_s"].get<double>(), 0.0);
  EXPECT_EQ(j["N"], qid::model::countParameters(fx.config).nonEmbedding);

  // Deterministic on CPU, also across batch sizes (up to rounding).
  auto again = runCli(cmd({"eval --json --batch 5 --model ", q(fx.model), "--data ", q(fx.eval), "--seqlen 64"}));
  ASSERT_EQ(again.exitCode, 0) << again.err;
  EXPECT_NEAR(nlohmann::json::parse(again.out)["nll"].get<double>(), nll, 1e-6);

  auto text = runCli(cmd({"eval --model ", q(fx.model), "--data ", q(fx.eval), "--seqlen 64"}));
  ASSERT_EQ(text.exitCode, 0) << text.err;
  EXPECT_TRUE(has(text.out, "nats/token")) << text.out;
  EXPECT_TRUE(has(text.out, "(derived: exp(loss))")) << text.out;
  EXPECT_TRUE(has(text.out, "bits/byte")) << text.out;
  EXPECT_TRUE(has(text.out, "gptq-paper@1")) << text.out;
  EXPECT_TRUE(has(text.out, "tokens/s")) << text.out;
}

TEST(CliEval, WindowSelectionStrideAndRecipes) {
  const auto& fx = trainedFixture();
  const std::string base = cmd({"eval --json --model ", q(fx.model), "--data ", q(fx.eval), "--seqlen 64 "});
  auto r = runCli(base + "--max-windows 3");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["windows"], 3);

  auto a = runCli(base + "--sample 5 --seed 4"), b = runCli(base + "--sample 5 --seed 4");
  ASSERT_EQ(a.exitCode, 0) << a.err;
  EXPECT_EQ(nlohmann::json::parse(a.out)["windows"], 5);
  EXPECT_EQ(nlohmann::json::parse(a.out)["nll"], nlohmann::json::parse(b.out)["nll"]);

  r = runCli(base + "--stride 32");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["recipe"]["id"], "gptq-paper@1+stride=32");
  EXPECT_EQ(j["tokens"], 64 * kFixtureEvalWindows + 10 - 1);  // every target once

  r = runCli(base + "--recipe llamacpp");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["recipe"]["id"], "llamacpp@1");
  EXPECT_EQ(j["tokens"], kFixtureEvalWindows * (64 - 33));

  TempDir dir;
  writeFile(dir / "docs.jsonl", "{\"text\": \"" + qid::test::markovText(150, 5) + "\"}\n{\"text\": \"" +
                                    qid::test::markovText(40, 6) + "\"}\n");
  r = runCli(cmd({"eval --json --recipe lm-eval-rolling --model ", q(fx.model), "--data ", q(dir / "docs.jsonl"), "--seqlen 64"}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["windows"], 3 + 1);    // ceil(150/64) + ceil(40/64)
  EXPECT_EQ(j["tokens"], 150 + 40);  // every character scored once
  EXPECT_TRUE(j["normalised"].contains("word_perplexity")) << j["normalised"];
}

TEST(CliEval, BadInputGivesClearErrors) {
  const auto& fx = trainedFixture();
  TempDir dir;
  writeFile(dir / "short.txt", "too short");
  writeFile(dir / "bad.txt", std::string("abc\xC3(def", 8));
  const std::string model = cmd({"eval --model ", q(fx.model), "--seqlen 64 --data "});

  auto r = runCli(model + q(dir / "short.txt"));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r.err, "short.txt: the text has 9 tokens, fewer than one window of 64")) << r.err;

  r = runCli(model + q(dir / "bad.txt"));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r.err, "bad.txt: not valid UTF-8 at byte offset 3")) << r.err;

  r = runCli(model + q(dir / "missing.txt"));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r.err, "missing.txt: cannot open")) << r.err;

  r = runCli(model + q(fx.eval) + " --recipe nope");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r.err, "unknown evaluation recipe 'nope'")) << r.err;

  r = runCli(model + q(fx.eval) + " --recipe lm-eval-rolling --stride 16");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r.err, "stride")) << r.err;

  r = runCli(model + q(fx.eval) + " --dtype fp8");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r.err, "unknown dtype 'fp8'")) << r.err;

  // A model folder without tokenizer.json needs --tokenizer.
  qid::model::writeRandomCheckpoint(dir / "notok", qid::model::tinyGptNeoxConfig());
  r = runCli(cmd({"eval --model ", q(dir / "notok"), "--seqlen 64 --data ", q(fx.eval)}));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_TRUE(has(r.err, "no tokenizer.json")) << r.err;
  qid::model::writeByteLevelTokenizerJson(dir / "tok.json");
  r = runCli(cmd({"eval --json --model ", q(dir / "notok"), "--tokenizer ", q(dir / "tok.json"), "--seqlen 64 --data ", q(fx.eval)}));
  EXPECT_EQ(r.exitCode, 0) << r.err;
}

TEST(CliEval, CtrlCCancelsCleanly) {
  const auto& fx = trainedFixture();
  TempDir dir;
  writeFile(dir / "long.txt", qid::test::markovText(64 * 100000, 8));  // far more than 3 s of work
  // SIGINT after 3 s: the progress callback returns false and the run stops.
  auto r = qid::test::runShell(cmd({"timeout --preserve-status -s INT 3 '", QIDLAB_CLI_PATH, "' eval --model ",
                                    q(fx.model), "--seqlen 64 --batch 4 --data ", q(dir / "long.txt")}));
  EXPECT_EQ(r.exitCode, 130) << r.err;
  EXPECT_TRUE(has(r.err, "qidlab-cli: cancelled")) << r.err;
}

TEST(CliEval, HelpExplainsTheOptions) {
  auto r = runCli("eval --help");
  EXPECT_EQ(r.exitCode, 0);
  for (const char* opt : {"--model", "--data", "--seqlen", "--dtype", "--device", "--batch", "--max-windows",
                          "--sample", "--seed", "--stride", "--recipe", "--tokenizer", "--json"})
    EXPECT_TRUE(has(r.out, opt)) << opt;
  r = runCli("inspect --help");
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_TRUE(has(r.out, "non-embedding")) << r.out;
}

}  // namespace
