#include "train/bitnet_twin.h"

#include <ATen/ATen.h>

#include "train/bitnet.h"

namespace qid::train {

namespace {

class ActivationQuantizer : public model::LinearObserver {
 public:
  void observe(int, const std::string&, const at::Tensor& input) override {
    at::Tensor delta;
    {
      at::NoGradGuard noGrad;
      delta = bitnetActivationValue(input) - input;
    }
    input.add_(delta);
  }
};

}  // namespace

BitNetTwin::BitNetTwin(model::CausalLM& model) : observer_(std::make_unique<ActivationQuantizer>()) {
  const auto names = model.linearNames();
  for (int l = 0; l < model.numLayers(); ++l) {
    std::vector<at::Tensor> row;
    for (const auto& name : names) row.push_back(model.linearWeight(l, name));
    masters_.push_back(std::move(row));
  }
}

BitNetTwin::~BitNetTwin() = default;

void BitNetTwin::applyQuantizedWeights(model::CausalLM& model, bool straightThrough) {
  const auto names = model.linearNames();
  for (int l = 0; l < model.numLayers(); ++l) {
    for (std::size_t k = 0; k < names.size(); ++k) {
      const at::Tensor& master = masters_[static_cast<std::size_t>(l)][k];
      model.linearWeight(l, names[k]) =
          straightThrough ? bitnetWeightSte(master) : bitnetWeightValue(master);
    }
  }
}

void BitNetTwin::restoreMasters(model::CausalLM& model) {
  const auto names = model.linearNames();
  for (int l = 0; l < model.numLayers(); ++l) {
    for (std::size_t k = 0; k < names.size(); ++k)
      model.linearWeight(l, names[k]) = masters_[static_cast<std::size_t>(l)][k];
  }
}

model::LinearObserver* BitNetTwin::activationQuantizer() { return observer_.get(); }

}  // namespace qid::train
