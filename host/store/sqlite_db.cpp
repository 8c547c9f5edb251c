#include "store/sqlite_db.hpp"

#include "store/store.hpp"

#include <sqlite3.h>

#include <memory>

namespace holon::store {

namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
    throw StoreError("sqlite: " + std::string(what) + ": " + sqlite3_errmsg(db));
}

}  // namespace

// --------------------------------------------------------------------------------------------
// Statement

namespace {

// A cached statement of its connection: reset and its bindings cleared when the Statement dies.
class SqliteStatement final : public StatementImpl {
public:
    SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
    ~SqliteStatement() override {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }

    void bind_text(int index, std::string_view text) override {
        check_bind(sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    }
    void bind_blob(int index, std::string_view bytes) override {
        // An empty view may have a null data pointer, which SQLite would store as NULL.
        if (bytes.empty()) check_bind(sqlite3_bind_zeroblob(stmt_, index, 0));
        else check_bind(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
    }
    void bind_int(int index, std::int64_t value) override { check_bind(sqlite3_bind_int64(stmt_, index, value)); }
    void bind_double(int index, double value) override { check_bind(sqlite3_bind_double(stmt_, index, value)); }
    void bind_null(int index) override { check_bind(sqlite3_bind_null(stmt_, index)); }

    bool step() override {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        fail(db_, "step");
    }

    bool is_null(int column) const override { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
    std::int64_t column_int(int column) const override { return sqlite3_column_int64(stmt_, column); }
    double column_double(int column) const override { return sqlite3_column_double(stmt_, column); }
    std::string column_text(int column) const override {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
        const int size = sqlite3_column_bytes(stmt_, column);
        return text ? std::string(text, static_cast<std::size_t>(size)) : std::string();
    }
    std::string column_blob(int column) const override {
        const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
        const int size = sqlite3_column_bytes(stmt_, column);
        return data ? std::string(data, static_cast<std::size_t>(size)) : std::string();
    }

private:
    void check_bind(int rc) const {
        if (rc != SQLITE_OK) fail(db_, "bind");
    }

    sqlite3* db_;
    sqlite3_stmt* stmt_;
};

}  // namespace

// --------------------------------------------------------------------------------------------
// Connection

SqliteConnection::SqliteConnection(const std::filesystem::path& file, Mode mode, int busy_timeout_ms) {
    int flags = SQLITE_OPEN_NOMUTEX;  // each connection is used by one thread at a time
    switch (mode) {
        case Mode::read_write_create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
        case Mode::read_write: flags |= SQLITE_OPEN_READWRITE; break;
        case Mode::read_only: flags |= SQLITE_OPEN_READONLY; break;
    }
    const int rc = sqlite3_open_v2(file.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw StoreError("cannot open database " + file.string() + ": " + message);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, busy_timeout_ms);
}

SqliteConnection::~SqliteConnection() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
}

void SqliteConnection::exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string message = error ? error : sqlite3_errmsg(db_);
        sqlite3_free(error);
        throw StoreError("sqlite: " + message);
    }
}

Statement SqliteConnection::prepare(const std::string& sql) {
    auto found = cache_.find(sql);
    if (found == cache_.end()) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size() + 1),
                               SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
            fail(db_, "prepare");
        found = cache_.emplace(sql, stmt).first;
    }
    return Statement(std::make_unique<SqliteStatement>(db_, found->second));
}

std::int64_t SqliteConnection::changes() const { return sqlite3_changes64(db_); }

// --------------------------------------------------------------------------------------------
// Transactions

void SqliteConnection::begin(TransactionKind kind) { exec(kind == TransactionKind::read ? "BEGIN" : "BEGIN IMMEDIATE"); }

void SqliteConnection::commit() { exec("COMMIT"); }

void SqliteConnection::rollback() noexcept {
    // Rollback after a failed statement cannot usefully fail; ignore its result.
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

std::string SqliteConnection::integrity_check() { return query_text("PRAGMA integrity_check"); }

}  // namespace holon::store
