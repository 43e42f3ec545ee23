// GPT-NeoX forward against an independent slow reference written with plain
// loops in double precision, read straight from the safetensors file.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <vector>

#include "model/causal_lm.h"
#include "model/gpt_neox.h"
#include "model/random_checkpoint.h"
#include "model/safetensors.h"
#include "common/error.h"
#include "test_support.h"

namespace {

using namespace qid::model;
using Vec = std::vector<double>;

struct RefWeights {
  std::map<std::string, Vec> t;
  const Vec& operator[](const std::string& n) const { return t.at(n); }
};

RefWeights readRef(const std::filesystem::path& file) {
  SafetensorsFile f(file);
  RefWeights w;
  for (const auto& name : f.names()) {
    at::Tensor x = f.load(name).to(at::kDouble).contiguous();
    w.t[name] = Vec(x.data_ptr<double>(), x.data_ptr<double>() + x.numel());
  }
  return w;
}

// y[o] = b[o] + sum_i W[o*in+i] x[i]
Vec linear(const Vec& x, const Vec& W, const Vec* b, int in, int out) {
  Vec y(static_cast<size_t>(out));
  for (int o = 0; o < out; ++o) {
    double s = b ? (*b)[static_cast<size_t>(o)] : 0.0;
    for (int i = 0; i < in; ++i) s += W[static_cast<size_t>(o * in + i)] * x[static_cast<size_t>(i)];
    y[static_cast<size_t>(o)] = s;
  }
  return y;
}

Vec layerNorm(const Vec& x, const Vec& g, const Vec& b, double eps) {
  double mean = 0, var = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  for (double v : x) var += (v - mean) * (v - mean);
  var /= static_cast<double>(x.size());
  Vec y(x.size());
  for (size_t i = 0; i < x.size(); ++i) y[i] = (x[i] - mean) / std::sqrt(var + eps) * g[i] + b[i];
  return y;
}

// Reference logits [T][V] for one sequence.
std::vector<Vec> referenceForward(const RefWeights& w, const ModelConfig& c, const std::vector<int>& ids) {
  const int T = static_cast<int>(ids.size()), H = static_cast<int>(c.hiddenSize);
  const int nh = static_cast<int>(c.numHeads), hd = H / nh, rd = static_cast<int>(hd * c.rotaryPct);
  const int F = static_cast<int>(c.intermediateSize), V = static_cast<int>(c.vocabSize);
  std::vector<Vec> x(static_cast<size_t>(T), Vec(static_cast<size_t>(H)));
  for (int t = 0; t < T; ++t)
    for (int i = 0; i < H; ++i) x[t][i] = w["gpt_neox.embed_in.weight"][static_cast<size_t>(ids[t] * H + i)];
  for (int l = 0; l < c.numLayers; ++l) {
    const std::string p = "gpt_neox.layers." + std::to_string(l) + ".";
    // q, k, v per position and head, with rotary applied.
    std::vector<std::vector<Vec>> q(T, std::vector<Vec>(nh)), k = q, v = q;
    for (int t = 0; t < T; ++t) {
      Vec a = layerNorm(x[t], w[p + "input_layernorm.weight"], w[p + "input_layernorm.bias"], c.layerNormEps);
      Vec qkv = linear(a, w[p + "attention.query_key_value.weight"], &w[p + "attention.query_key_value.bias"], H, 3 * H);
      for (int h = 0; h < nh; ++h) {
        Vec qh(qkv.begin() + h * 3 * hd, qkv.begin() + h * 3 * hd + hd);
        Vec kh(qkv.begin() + h * 3 * hd + hd, qkv.begin() + h * 3 * hd + 2 * hd);
        Vec vh(qkv.begin() + h * 3 * hd + 2 * hd, qkv.begin() + h * 3 * hd + 3 * hd);
        for (Vec* u : {&qh, &kh}) {
          Vec r = *u;
          for (int i = 0; i < rd / 2; ++i) {
            double theta = t * std::pow(c.rotaryEmbBase, -2.0 * i / rd);
            double x1 = (*u)[i], x2 = (*u)[i + rd / 2];
            r[i] = x1 * std::cos(theta) - x2 * std::sin(theta);
            r[i + rd / 2] = x2 * std::cos(theta) + x1 * std::sin(theta);
          }
          *u = r;
        }
        q[t][h] = qh;
        k[t][h] = kh;
        v[t][h] = vh;
      }
    }
    std::vector<Vec> next(x);
    for (int t = 0; t < T; ++t) {
      Vec ctx(static_cast<size_t>(H), 0.0);
      for (int h = 0; h < nh; ++h) {
        Vec s(static_cast<size_t>(t + 1));
        double mx = -1e300;
        for (int u = 0; u <= t; ++u) {
          double d = 0;
          for (int i = 0; i < hd; ++i) d += q[t][h][i] * k[u][h][i];
          s[u] = d / std::sqrt(static_cast<double>(hd));
          mx = std::max(mx, s[u]);
        }
        double z = 0;
        for (auto& e : s) z += (e = std::exp(e - mx));
        for (int u = 0; u <= t; ++u)
          for (int i = 0; i < hd; ++i) ctx[h * hd + i] += s[u] / z * v[u][h][i];
      }
      Vec attn = linear(ctx, w[p + "attention.dense.weight"], &w[p + "attention.dense.bias"], H, H);
      Vec m = layerNorm(x[t], w[p + "post_attention_layernorm.weight"], w[p + "post_attention_layernorm.bias"], c.layerNormEps);
      Vec up = linear(m, w[p + "mlp.dense_h_to_4h.weight"], &w[p + "mlp.dense_h_to_4h.bias"], H, F);
      for (auto& e : up) e = 0.5 * e * (1.0 + std::erf(e / std::sqrt(2.0)));
      Vec down = linear(up, w[p + "mlp.dense_4h_to_h.weight"], &w[p + "mlp.dense_4h_to_h.bias"], F, H);
      for (int i = 0; i < H; ++i) next[t][i] = x[t][i] + attn[i] + down[i];
    }
    x = next;
  }
  std::vector<Vec> logits;
  for (int t = 0; t < T; ++t) {
    Vec f = layerNorm(x[t], w["gpt_neox.final_layer_norm.weight"], w["gpt_neox.final_layer_norm.bias"], c.layerNormEps);
    logits.push_back(linear(f, w["embed_out.weight"], nullptr, H, V));
  }
  return logits;
}

class GptNeoxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config = tinyGptNeoxConfig();
    writeRandomCheckpoint(dir.path(), config, {7, DType::F32, 0});
  }
  qid::test::TempDir dir;
  ModelConfig config;
};

TEST_F(GptNeoxTest, LogitsMatchIndependentReference) {
  auto model = loadCausalLM(dir.path());
  std::vector<int> ids = {3, 511, 0, 17, 17, 42, 99, 256, 1, 400, 5, 6, 7, 300, 2, 128};
  at::Tensor idT = at::tensor(std::vector<int64_t>(ids.begin(), ids.end())).view({1, -1});
  at::Tensor logits = model->forward(idT);
  ASSERT_EQ(logits.sizes(), (std::vector<int64_t>{1, 16, 512}));
  auto ref = referenceForward(readRef(dir / "model.safetensors"), config, ids);
  double maxDiff = 0, maxAbs = 0;
  for (int t = 0; t < 16; ++t)
    for (int v = 0; v < 512; ++v) {
      maxDiff = std::max(maxDiff, std::abs(logits[0][t][v].item<double>() - ref[t][v]));
      maxAbs = std::max(maxAbs, std::abs(ref[t][v]));
    }
  EXPECT_LE(maxDiff, 1e-4);
  EXPECT_GT(maxAbs, 0.05);  // the check is not vacuous
}

TEST_F(GptNeoxTest, BatchedRowsEqualSingleRows) {
  auto model = loadCausalLM(dir.path());
  at::Tensor ids = at::randint(512, {3, 12}, at::kLong);
  at::Tensor batched = model->forward(ids);
  for (int b = 0; b < 3; ++b)
    EXPECT_LE((batched[b] - model->forward(ids[b].unsqueeze(0))[0]).abs().max().item<double>(), 1e-5);
}

TEST_F(GptNeoxTest, CausalityFutureTokensDoNotChangePast) {
  auto model = loadCausalLM(dir.path());
  at::Tensor a = at::randint(512, {1, 10}, at::kLong);
  at::Tensor b = a.clone();
  b[0][9] = (a[0][9].item<int64_t>() + 1) % 512;
  at::Tensor la = model->forward(a), lb = model->forward(b);
  EXPECT_LE((la.narrow(1, 0, 9) - lb.narrow(1, 0, 9)).abs().max().item<double>(), 1e-6);
  EXPECT_GT((la[0][9] - lb[0][9]).abs().max().item<double>(), 1e-4);
}

TEST_F(GptNeoxTest, WeightsRoundTripThroughSave) {
  auto model = loadCausalLM(dir.path());
  SafetensorsFile file(dir / "model.safetensors");
  for (const auto& [name, t] : model->namedParameters()) ASSERT_TRUE(at::equal(t, file.load(name))) << name;
  qid::test::TempDir out;
  saveCausalLM(*model, out.path(), 40000);  // sharded
  auto again = loadCausalLM(out.path());
  auto a = model->namedParameters(), b = again->namedParameters();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].first, b[i].first);
    EXPECT_TRUE(at::equal(a[i].second, b[i].second)) << a[i].first;
  }
  EXPECT_EQ(loadModelConfig(out.path()).hiddenSize, 64);
}

class RecordingObserver : public LinearObserver {
 public:
  void observe(int layer, const std::string& linear, const at::Tensor& input) override {
    calls.push_back(std::to_string(layer) + ":" + linear + ":" + std::to_string(input.size(-1)));
  }
  std::vector<std::string> calls;
};

TEST_F(GptNeoxTest, ObserverSeesEveryLinearInOrder) {
  auto model = loadCausalLM(dir.path());
  RecordingObserver obs;
  model->forward(at::randint(512, {2, 8}, at::kLong), &obs);
  std::vector<std::string> expected = {"0:query_key_value:64", "0:dense:64", "0:dense_h_to_4h:64",
                                       "0:dense_4h_to_h:256", "1:query_key_value:64", "1:dense:64",
                                       "1:dense_h_to_4h:64", "1:dense_4h_to_h:256"};
  EXPECT_EQ(obs.calls, expected);
}

TEST_F(GptNeoxTest, ReplacingAWeightChangesTheOutput) {
  auto model = loadCausalLM(dir.path());
  at::Tensor ids = at::randint(512, {1, 8}, at::kLong);
  at::Tensor before = model->forward(ids);
  at::Tensor w = model->linearWeight(1, "dense_h_to_4h").clone();
  model->setLinearWeight(1, "dense_h_to_4h", at::zeros_like(w));
  EXPECT_GT((model->forward(ids) - before).abs().max().item<double>(), 1e-4);
  model->setLinearWeight(1, "dense_h_to_4h", w);
  EXPECT_TRUE(at::allclose(model->forward(ids), before));
  EXPECT_THROW(model->setLinearWeight(1, "dense", at::zeros({3, 3})), qid::Error);
  EXPECT_THROW(model->linearWeight(0, "gate_proj"), qid::Error);
  EXPECT_THROW(model->linearWeight(2, "dense"), qid::Error);
}

TEST_F(GptNeoxTest, ActivationScaleFoldedIntoDownProjectionIsIdentity) {
  GptNeox model(config, *openWeights(dir.path()));
  at::Tensor ids = at::randint(512, {1, 8}, at::kLong);
  at::Tensor before = model.forward(ids);
  at::Tensor s = at::rand({config.intermediateSize}) + 0.5;
  model.setActivationScale(0, s);
  model.setLinearWeight(0, LinearKind::Dense4HToH, model.linearWeight(0, LinearKind::Dense4HToH) * s);
  EXPECT_LE((model.forward(ids) - before).abs().max().item<double>(), 1e-5);
  EXPECT_THROW(model.setActivationScale(0, at::ones({3})), qid::Error);
}

TEST_F(GptNeoxTest, GradientsFlowToParameters) {
  GptNeox model(config, 3);
  model.setRequiresGrad(true);
  at::Tensor ids = at::randint(512, {2, 8}, at::kLong);
  at::Tensor logits = model.forward(ids);
  at::Tensor loss = at::cross_entropy_loss(logits.view({-1, 512}), ids.view({-1}));
  loss.backward();
  for (const auto& [name, t] : model.namedParameters()) {
    ASSERT_TRUE(t.grad().defined()) << name;
    EXPECT_GT(t.grad().abs().sum().item<double>(), 0.0) << name;
  }
}

TEST_F(GptNeoxTest, ReducedPrecisionStaysClose) {
  auto f32 = loadCausalLM(dir.path());
  at::Tensor ids = at::randint(512, {1, 8}, at::kLong);
  at::Tensor ref = f32->forward(ids);
  for (auto dt : {at::kBFloat16, at::kHalf}) {
    LoadOptions o;
    o.dtype = dt;
    auto m = loadCausalLM(dir.path(), o);
    at::Tensor l = m->forward(ids);
    EXPECT_EQ(l.scalar_type(), dt);
    EXPECT_LE((l.to(at::kFloat) - ref).abs().max().item<double>(), 0.1);
  }
}

TEST(ParameterCount, PythiaSizes) {
  // Pythia's published totals: 70m = 70,426,624 and 160m = 162,322,944 parameters.
  auto p70 = countParameters(gptNeoxConfig(6, 512, 8));
  EXPECT_EQ(p70.total, 70426624);
  EXPECT_EQ(p70.nonEmbedding, 18915328);
  EXPECT_EQ(countParameters(gptNeoxConfig(12, 768, 12)).total, 162322944);
  auto tiny = countParameters(tinyGptNeoxConfig());
  EXPECT_EQ(tiny.total - tiny.nonEmbedding, 2 * 512 * 64);
}

}  // namespace
