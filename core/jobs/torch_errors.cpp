#include "jobs/torch_errors.h"

#include <c10/util/Exception.h>

#include <new>

#include "jobs/cell_runner.h"

namespace qid::jobs {

bool isOutOfMemoryMessage(const std::string& m) {
  return m.find("out of memory") != std::string::npos || m.find("can't allocate memory") != std::string::npos ||
         m.find("CUBLAS_STATUS_ALLOC_FAILED") != std::string::npos;
}

void rethrowTorchError(const std::string& where) {
  try {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const c10::Error& e) {
    std::string msg = e.what_without_backtrace();
    msg = msg.substr(0, msg.find('\n'));
    if (isOutOfMemoryMessage(msg)) throw OutOfMemory(where + ": " + msg);
    throw Error(where + ": libtorch failed: " + msg);
  } catch (const std::bad_alloc&) {
    throw OutOfMemory(where + ": host memory exhausted (std::bad_alloc)");
  }
}

}  // namespace qid::jobs
