#pragma once
// SHA-256 (OpenSSL) of files and strings, as lower-case hex. The hub names
// LFS blobs by the SHA-256 of their content, so this is how a download is
// verified.
#include <filesystem>
#include <string>

namespace qid::hub {

std::string sha256Hex(const std::string& data);
// Throws qid::Error naming the file when it cannot be read.
std::string sha256File(const std::filesystem::path& path);

// True for 64 lower- or upper-case hex digits (an LFS etag).
bool isSha256Hex(const std::string& s);
// True for 40 hex digits (a git commit or blob id).
bool isCommitHash(const std::string& s);

}  // namespace qid::hub
