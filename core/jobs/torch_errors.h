#pragma once
// libtorch's exceptions in the sweep's terms: out of memory (CUDA's "CUDA out
// of memory", the CPU allocator's "can't allocate memory", std::bad_alloc)
// becomes jobs::OutOfMemory, so the sweep retries the cell with a smaller
// batch; any other c10::Error becomes a qid::Error whose message is its first
// line (no C++ backtrace), prefixed with `where`.
#include <string>

namespace qid::jobs {

// Call only from inside a catch block: rethrows the exception being handled,
// translated. qid::Error (and so Cancelled and OutOfMemory) pass unchanged,
// as does anything that is not a libtorch or allocation error.
[[noreturn]] void rethrowTorchError(const std::string& where);

// True for the messages libtorch's allocators give when memory ran out.
bool isOutOfMemoryMessage(const std::string& message);

}  // namespace qid::jobs
