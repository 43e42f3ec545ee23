#pragma once
// Runs a GPT-NeoX model of the model runtime as a BitNet b1.58 model: the
// block Linear weights are swapped for their ternary values (straight-through
// for training) around each forward, and the Linear inputs are quantized to
// 8 bits per token by a LinearObserver. Embeddings, LayerNorms, biases and
// the unembedding stay in full precision, as in BitNet.
//
// The activation quantizer relies on the model runtime handing each Linear's
// input to the observer just before the Linear consumes that very tensor; it
// replaces the values in place (x += (q(x) - x).detach(), the identity for
// gradients). bitnet_twin_test checks the result against an explicit
// reference forward, so a change in the runtime cannot go unnoticed.
#include <ATen/core/Tensor.h>

#include <memory>
#include <vector>

#include "model/causal_lm.h"

namespace qid::train {

class BitNetTwin {
 public:
  // Remembers the model's current Linear weights as the fp32 master weights.
  explicit BitNetTwin(model::CausalLM& model);
  ~BitNetTwin();

  // Replaces every block Linear weight by its ternary value; with
  // straightThrough the replacement carries gradients to the master.
  void applyQuantizedWeights(model::CausalLM& model, bool straightThrough);
  // Puts the master weights back (before the optimizer step and saving).
  void restoreMasters(model::CausalLM& model);
  // The observer that quantizes Linear inputs to 8 bits (pass to forward).
  model::LinearObserver* activationQuantizer();

 private:
  std::vector<std::vector<at::Tensor>> masters_;  // [layer][linear]
  std::unique_ptr<model::LinearObserver> observer_;
};

}  // namespace qid::train
