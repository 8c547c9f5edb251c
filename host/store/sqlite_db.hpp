// A thin RAII layer over the sqlite3 C API: a connection with a cache of prepared statements,
// statements with explicit typed binds and reads, and transactions that roll back unless
// committed. Errors become StoreError with SQLite's message.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace holon::store {

// A prepared statement borrowed from its connection's cache; reset when this object dies.
// Parameter and column indexes as in SQLite: binds count from 1, columns from 0.
class Statement {
public:
    Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    Statement& bind_text(int index, std::string_view text);
    Statement& bind_blob(int index, std::string_view bytes);
    Statement& bind_int(int index, std::int64_t value);
    Statement& bind_double(int index, double value);
    Statement& bind_null(int index);
    Statement& bind_optional_text(int index, const std::optional<std::string>& text);
    Statement& bind_optional_int(int index, std::optional<std::int64_t> value);

    // True when a row is available; false when the statement is done.
    bool step();
    // Steps to the end, for statements that return no rows.
    void run();

    bool is_null(int column) const;
    std::int64_t column_int(int column) const;
    double column_double(int column) const;
    std::string column_text(int column) const;
    std::string column_blob(int column) const;
    std::optional<std::string> column_optional_text(int column) const;
    std::optional<std::int64_t> column_optional_int(int column) const;

private:
    void check_bind(int rc) const;

    sqlite3* db_;
    sqlite3_stmt* stmt_;
};

class Connection {
public:
    enum class Mode { read_write_create, read_write, read_only };

    Connection(const std::filesystem::path& file, Mode mode, int busy_timeout_ms);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    // Runs one or more statements without results (pragmas, migration scripts, BEGIN/COMMIT).
    void exec(const std::string& sql);
    // A cached prepared statement; do not hold two Statements of the same SQL at once.
    Statement prepare(const std::string& sql);
    // Rows changed by the last INSERT, UPDATE or DELETE.
    std::int64_t changes() const;
    // The text of a single-value query ("PRAGMA integrity_check" etc.), rows joined by '\n'.
    std::string query_text(const std::string& sql);

    sqlite3* handle() { return db_; }

private:
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// BEGIN IMMEDIATE (takes the write lock at once, so a transaction never fails half-way on a
// lock upgrade) or BEGIN (a read snapshot). Rolls back when destroyed uncommitted.
class Transaction {
public:
    enum class Kind { write, read };

    Transaction(Connection& connection, Kind kind);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    void commit();

private:
    Connection& connection_;
    bool open_ = true;
};

}  // namespace holon::store
