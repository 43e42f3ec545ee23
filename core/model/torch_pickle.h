#pragma once
// A pickle subset interpreter for the data.pkl of a torch.save state dict.
//
// It never calls anything: it is a data-only stack machine that knows the
// few opcodes a state dict uses (protocols 2 to 4) and maps the few globals
// it may name to plain records:
//   collections.OrderedDict            -> a dict
//   torch._utils._rebuild_tensor_v2    -> a tensor view of a storage
//   torch.{Float,Half,BFloat16,Double,Long,Int,Short,Char,Byte,Bool}Storage
//                                       -> storage types in persistent ids
//                                          ('storage', type, key, location, numel)
// Any other global is refused ("refusing to execute pickle global os.system")
// before anything happens, and so is any other opcode, a call of anything
// but those two, non-empty backward hooks, and a value that is not a tensor.
// Truncated or inconsistent data is a qid::Error naming `where`, never a
// crash; the number of values is bounded, and no step recurses.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace qid::model {

struct PickledTensor {
  std::string name;
  std::string storageKey;    // the record archive/data/<key>
  std::string storageType;   // e.g. "FloatStorage"
  std::string location;      // e.g. "cpu", "cuda:0"
  std::int64_t storageNumel = 0;
  std::int64_t offset = 0;   // in elements
  std::vector<std::int64_t> sizes, strides;
};

// The tensors of the state dict in data.pkl, in pickle order. Throws
// qid::Error naming `where` for anything outside the subset.
std::vector<PickledTensor> readStateDictPickle(std::string_view bytes, const std::string& where);

// Element size of a torch storage type name, or 0 when it is not one.
std::size_t storageElementSize(const std::string& storageType);

}  // namespace qid::model
