#include "train/adamw.h"

#include <ATen/ATen.h>

#include <cmath>
#include <map>

#include "common/error.h"

namespace qid::train {

AdamW::AdamW(Named parameters, AdamWOptions options)
    : params_(std::move(parameters)), options_(options) {
  for (const auto& [name, p] : params_) {
    if (!p.requires_grad()) throw Error("optimizer: parameter " + name + " does not require grad");
    expAvg_.push_back(at::zeros_like(p));
    expAvgSq_.push_back(at::zeros_like(p));
  }
}

double AdamW::step(double lr) {
  at::NoGradGuard noGrad;
  // Global norm over all gradients (absent gradients count as zero).
  double sq = 0;
  for (const auto& [name, p] : params_) {
    if (p.grad().defined()) sq += p.grad().to(at::kDouble).pow(2).sum().item<double>();
  }
  const double norm = std::sqrt(sq);
  double clip = 1.0;
  if (options_.gradClip > 0 && norm > options_.gradClip) clip = options_.gradClip / (norm + 1e-6);
  ++steps_;
  const double bc1 = 1.0 - std::pow(options_.beta1, static_cast<double>(steps_));
  const double bc2 = 1.0 - std::pow(options_.beta2, static_cast<double>(steps_));
  for (std::size_t i = 0; i < params_.size(); ++i) {
    at::Tensor p = params_[i].second;
    if (!p.grad().defined()) continue;
    at::Tensor g = p.grad();
    if (clip != 1.0) g = g * clip;
    if (options_.weightDecay > 0 && p.dim() >= 2) p.mul_(1.0 - lr * options_.weightDecay);
    expAvg_[i].mul_(options_.beta1).add_(g, 1.0 - options_.beta1);
    expAvgSq_[i].mul_(options_.beta2).addcmul_(g, g, 1.0 - options_.beta2);
    const at::Tensor denom = (expAvgSq_[i] / bc2).sqrt_().add_(options_.eps);
    p.addcdiv_(expAvg_[i], denom, -lr / bc1);
    p.mutable_grad().zero_();
  }
  return norm;
}

AdamW::Named AdamW::stateTensors() const {
  Named out;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    out.emplace_back("exp_avg." + params_[i].first, expAvg_[i]);
    out.emplace_back("exp_avg_sq." + params_[i].first, expAvgSq_[i]);
  }
  return out;
}

void AdamW::loadState(const Named& state, std::int64_t stepCount) {
  std::map<std::string, at::Tensor> byName(state.begin(), state.end());
  at::NoGradGuard noGrad;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    for (auto* slot : {&expAvg_[i], &expAvgSq_[i]}) {
      const std::string key =
          (slot == &expAvg_[i] ? "exp_avg." : "exp_avg_sq.") + params_[i].first;
      auto it = byName.find(key);
      if (it == byName.end()) throw Error("optimizer state has no tensor " + key);
      if (it->second.sizes() != slot->sizes())
        throw Error("optimizer state tensor " + key + " has the wrong shape");
      slot->copy_(it->second);
    }
  }
  steps_ = stepCount;
}

}  // namespace qid::train
