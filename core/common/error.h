#pragma once
// The one exception type qidcore throws for bad input and failed work.
// Its message is a complete, user-facing sentence that names the file, row
// or token at fault; the CLI prints it as it is.
#include <stdexcept>
#include <string>

namespace qid {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Thrown when a progress callback asked to stop.
class Cancelled : public Error {
 public:
  Cancelled() : Error("cancelled") {}
};

}  // namespace qid
