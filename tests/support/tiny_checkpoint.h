#pragma once
// Tiny, deterministic checkpoint files for hub tests: a GPT-NeoX config, a
// small tokenizer.json and a valid safetensors file of a chosen size.
#include <cstdint>
#include <cstring>
#include <string>

namespace qid::test {

inline std::string tinyConfigJson(int hidden = 64, int layers = 2) {
  return "{\"architectures\":[\"GPTNeoXForCausalLM\"],\"model_type\":\"gpt_neox\",\"hidden_size\":" +
         std::to_string(hidden) + ",\"num_hidden_layers\":" + std::to_string(layers) +
         ",\"num_attention_heads\":4,\"intermediate_size\":" + std::to_string(4 * hidden) +
         ",\"vocab_size\":128,\"rotary_pct\":0.25,\"layer_norm_eps\":1e-05,\"use_parallel_residual\":true}";
}

inline std::string tinyTokenizerJson() {
  return "{\"version\":\"1.0\",\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":1},\"merges\":[]}}";
}

// One F32 tensor "w" of `floats` values derived from seed.
inline std::string tinySafetensors(std::uint32_t seed, std::size_t floats) {
  std::string header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[" + std::to_string(floats) +
                       "],\"data_offsets\":[0," + std::to_string(floats * 4) + "]}}";
  while (header.size() % 8) header += ' ';
  std::string out(8, '\0');
  std::uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xFF);
  out += header;
  std::uint32_t x = seed * 2654435761u + 1;
  for (std::size_t i = 0; i < floats; ++i) {
    x = x * 1664525u + 1013904223u;
    float v = static_cast<float>(x >> 8) / 16777216.0f - 0.5f;
    char b[4];
    std::memcpy(b, &v, 4);
    out.append(b, 4);
  }
  return out;
}

}  // namespace qid::test
