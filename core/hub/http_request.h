#pragma once
// One blocking HTTP request over libcurl, the only place the hub client
// touches curl. Bodies stream into a callback; the caller decides what a
// status means (retries and error messages live in hub_client.cpp).
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace qid::hub {

struct HttpRequest {
  std::string method = "GET";  // GET or HEAD
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  bool followRedirects = true;       // at most 10 hops
  std::int64_t rangeStart = -1;      // >= 0 sends "Range: bytes=N-"
  int connectTimeoutS = 10;
  int stallTimeoutS = 10;            // abort when under 1 byte/s for this long
  // Receives the body of the final response (not of redirects) with that
  // response's status. Return false to abort the transfer (the result then
  // has writeAborted set).
  std::function<bool(long status, const char* data, std::size_t size)> onBody;
  // Called as bytes arrive with the bytes of this transfer so far; return
  // false to abort (the result then has cancelled set).
  std::function<bool(std::int64_t received)> onProgress;
};

struct HttpResponse {
  long status = 0;  // 0 when no response arrived
  std::map<std::string, std::string> headers;  // of the final response; names lower-case
  std::string body;  // only when the request had no onBody
  std::string effectiveUrl;
  int curlCode = 0;  // CURLcode; 0 is success
  std::string curlError;
  bool cancelled = false;
  bool writeAborted = false;

  // The header value or "" when absent (name in lower case).
  std::string header(const std::string& name) const;
  // True for failures worth retrying: no response, a dropped or stalled
  // connection, 5xx and 429.
  bool transient() const;
};

HttpResponse httpRequest(const HttpRequest& request);

// Percent-encodes a path segment or a path (keepSlash leaves '/' as is).
std::string urlEncode(const std::string& s, bool keepSlash);

}  // namespace qid::hub
