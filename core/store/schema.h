#pragma once
// The project file's schema, as an append-only list of migrations. The
// database's PRAGMA user_version is the number of migrations applied. Never
// edit a released migration: add a new one (tests/fixtures keeps a version-1
// project that must keep opening).
#include <string_view>
#include <vector>

namespace qid::store {

class Db;

// Migration i (1-based) takes the schema from version i-1 to i.
const std::vector<std::string_view>& migrations();

// The version a freshly created project has.
int latestSchemaVersion();

// Brings db to `target` (default: latest) in one transaction per step.
// Throws qid::Error when the file is newer than this build understands.
void migrate(Db& db, int target = -1);

}  // namespace qid::store
