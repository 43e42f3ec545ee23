#include "model/weight_source.h"

#include "common/error.h"
#include "model/safetensors.h"
#include "model/torch_bin.h"

namespace qid::model {

namespace fs = std::filesystem;

std::unique_ptr<WeightSource> openWeights(const fs::path& dir) {
  if (!fs::is_directory(dir)) throw Error(dir.string() + ": not a checkpoint folder");
  if (fs::exists(dir / "model.safetensors.index.json"))
    return std::make_unique<ShardedSafetensors>(dir / "model.safetensors.index.json");
  if (fs::exists(dir / "model.safetensors"))
    return std::make_unique<SafetensorsFile>(dir / "model.safetensors");
  // PyTorch checkpoints only when there are no safetensors (weights-only:
  // torch_bin.h never executes the pickle).
  if (fs::exists(dir / "pytorch_model.bin.index.json"))
    return std::make_unique<ShardedTorchBin>(dir / "pytorch_model.bin.index.json");
  if (fs::exists(dir / "pytorch_model.bin"))
    return std::make_unique<TorchBinFile>(dir / "pytorch_model.bin");
  throw Error(dir.string() + ": no weights found (expected model.safetensors, "
              "model.safetensors.index.json, pytorch_model.bin or pytorch_model.bin.index.json)");
}

}  // namespace qid::model
