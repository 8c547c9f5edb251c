// The SQLite engine of the store's SQL layer (sql.hpp) over the sqlite3 C API: a connection with
// a cache of prepared statements. backup.cpp also uses it directly, for SQLite's backup API.
#pragma once

#include "store/sql.hpp"

#include <filesystem>
#include <string>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace holon::store {

class SqliteConnection final : public Connection {
public:
    enum class Mode { read_write_create, read_write, read_only };

    SqliteConnection(const std::filesystem::path& file, Mode mode, int busy_timeout_ms);
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;
    ~SqliteConnection() override;

    Dialect dialect() const override { return Dialect::sqlite; }
    void exec(const std::string& sql) override;
    // A cached prepared statement.
    Statement prepare(const std::string& sql) override;
    std::int64_t changes() const override;
    // BEGIN IMMEDIATE takes the write lock at once, so a transaction never fails half-way on a
    // lock upgrade; BEGIN is a read snapshot.
    void begin(TransactionKind kind) override;
    void commit() override;
    void rollback() noexcept override;
    std::string integrity_check() override;

    sqlite3* handle() { return db_; }

private:
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace holon::store
