#pragma once
// A thin RAII layer over the sqlite3 C API: one connection (Db) and its
// prepared statements (Statement). Every failure throws qid::Error naming the
// database file and SQLite's message. The project store is built on this.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace qid::store {

class Db;

class Statement {
 public:
  Statement(Db& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;

  // Parameters are 1-based, as in SQLite.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, std::int64_t(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, const std::string& value);
  Statement& bind(int index, const char* value) { return bind(index, std::string(value)); }
  Statement& bindBlob(int index, const std::vector<std::uint8_t>& value);
  Statement& bindNull(int index);
  Statement& bind(int index, const std::optional<double>& value);
  Statement& bind(int index, const std::optional<std::int64_t>& value);
  // Binds by name (":name").
  int indexOf(const char* name) const;

  // True while a row is available; false when done.
  bool step();
  // Runs to completion (for statements without rows).
  void run();
  void reset();

  int columnCount() const;
  std::string columnName(int col) const;
  bool isNull(int col) const;
  std::int64_t getInt(int col) const;
  double getDouble(int col) const;
  std::string getText(int col) const;
  std::vector<std::uint8_t> getBlob(int col) const;
  std::optional<double> getOptDouble(int col) const;
  std::optional<std::int64_t> getOptInt(int col) const;

 private:
  Db* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Db {
 public:
  // Opens (creating when asked) a database file. WAL journal, a busy timeout
  // so that concurrent writers wait instead of failing, and foreign keys on.
  Db(const std::string& path, bool create, int busyTimeoutMs = 10000);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(std::string_view sql);
  std::int64_t lastInsertRowId() const;
  int changes() const;
  int userVersion();
  void setUserVersion(int version);

  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }
  [[noreturn]] void fail(const std::string& what) const;

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back when destroyed uncommitted.
class Transaction {
 public:
  explicit Transaction(Db& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace qid::store
