#include "train/bitnet_twin.h"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include "model/causal_lm.h"
#include "train/bitnet.h"

using namespace qid::train;

namespace {
std::unique_ptr<qid::model::CausalLM> tinyModel() {
  qid::model::ModelConfig c = qid::model::gptNeoxConfig(2, 32, 2, 64);
  c.maxPositionEmbeddings = 32;
  return qid::model::createCausalLM(c, 5);
}

// Records what each Linear receives (after the quantizer ran).
class Recorder : public qid::model::LinearObserver {
 public:
  explicit Recorder(qid::model::LinearObserver* first) : first_(first) {}
  void observe(int layer, const std::string& linear, const at::Tensor& input) override {
    first_->observe(layer, linear, input);
    inputs.push_back(input.detach().clone());
  }
  std::vector<at::Tensor> inputs;

 private:
  qid::model::LinearObserver* first_;
};
}  // namespace

TEST(BitNetTwin, LinearsSeeTernaryWeightsAnd8BitInputs) {
  auto m = tinyModel();
  const at::Tensor before = m->linearWeight(0, "dense").clone();
  BitNetTwin twin(*m);
  twin.applyQuantizedWeights(*m, false);
  const TernaryWeight t = bitnetTernary(before);
  EXPECT_TRUE(at::equal(m->linearWeight(0, "dense"), t.codes.to(at::kFloat) * t.scale));
  const at::Tensor ids = at::randint(64, {2, 16}, at::kLong);
  Recorder rec(twin.activationQuantizer());
  const at::Tensor quantized = m->forward(ids, &rec);
  ASSERT_EQ(rec.inputs.size(), 8u);  // 2 layers x 4 Linears
  for (const auto& x : rec.inputs) {
    // Every row is a multiple of its absmax / 127: at most 255 levels.
    const at::Tensor step = x.abs().amax({-1}, true) / 127.0;
    const at::Tensor k = x / step;
    EXPECT_LT((k - k.round()).abs().max().item<float>(), 1e-3);
  }
  twin.restoreMasters(*m);
  EXPECT_TRUE(at::equal(m->linearWeight(0, "dense"), before));
  const at::Tensor plain = m->forward(ids);
  EXPECT_FALSE(at::allclose(plain, quantized));
}

TEST(BitNetTwin, GradientsReachEveryMasterWeight) {
  auto m = tinyModel();
  m->setRequiresGrad(true);
  BitNetTwin twin(*m);
  twin.applyQuantizedWeights(*m, true);
  const at::Tensor ids = at::randint(64, {2, 16}, at::kLong);
  m->forward(ids, twin.activationQuantizer()).logsumexp(-1).mean().backward();
  twin.restoreMasters(*m);
  for (int l = 0; l < 2; ++l) {
    for (const auto& name : m->linearNames()) {
      const at::Tensor& w = m->linearWeight(l, name);
      EXPECT_TRUE(w.is_leaf()) << name;
      ASSERT_TRUE(w.grad().defined()) << name;
      EXPECT_GT(w.grad().abs().sum().item<float>(), 0.0f) << name;
    }
  }
}
