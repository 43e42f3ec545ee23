#include "hub/hub_errors.h"

namespace qid::hub {

std::string hubErrorMessage(const HubTarget& t, const HttpResponse& r, bool haveToken) {
  std::string what = t.file.empty() ? "revision '" + t.revision + "' of hub repo " + t.repoId
                                    : "file '" + t.file + "' of hub repo " + t.repoId + " at revision '" +
                                          t.revision + "'";
  std::string where = " (" + t.endpoint + ")";
  if (r.status == 0) {
    return "cannot reach the hub for " + what + where + ": " + r.curlError +
           "; set HF_HUB_OFFLINE=1 to use the cache alone";
  }
  std::string code = r.header("x-error-code");
  std::string status = "HTTP " + std::to_string(r.status);
  switch (r.status) {
    case 401:
      return status + " unauthorized for " + what + where +
             (haveToken ? ": the token was refused; check HF_TOKEN or $HF_HOME/token"
                        : ": the repo is private or gated; set HF_TOKEN or write a token to $HF_HOME/token");
    case 403:
      return status + " forbidden for " + what + where +
             ": the token lacks access; accept the model's terms on its hub page or use another token";
    case 404:
      if (code == "RepoNotFound") return status + ": hub repo " + t.repoId + " not found" + where +
                                         " while fetching " + what;
      if (code == "RevisionNotFound") return status + ": revision '" + t.revision + "' not found in hub repo " +
                                             t.repoId + where;
      if (code == "EntryNotFound") return status + ": " + what + " not found" + where;
      return status + ": " + what + " not found" + where;
    default:
      break;
  }
  if (r.curlCode != 0) return "download of " + what + " failed" + where + ": " + r.curlError;
  return status + " for " + what + where;
}

}  // namespace qid::hub
