#pragma once
// One-line messages for failed hub requests, naming repo, revision and file
// and saying what to do (a token for 401, accepting terms for 403, ...).
#include <string>

#include "hub/http_request.h"

namespace qid::hub {

struct HubTarget {
  std::string endpoint;
  std::string repoId;
  std::string revision;
  std::string file;  // empty for the repo/revision lookup
};

std::string hubErrorMessage(const HubTarget& target, const HttpResponse& response, bool haveToken);

}  // namespace qid::hub
