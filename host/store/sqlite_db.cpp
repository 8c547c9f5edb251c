#include "store/sqlite_db.hpp"

#include "store/store.hpp"

#include <sqlite3.h>

namespace holon::store {

namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
    throw StoreError("sqlite: " + std::string(what) + ": " + sqlite3_errmsg(db));
}

}  // namespace

// --------------------------------------------------------------------------------------------
// Statement

Statement::~Statement() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

void Statement::check_bind(int rc) const {
    if (rc != SQLITE_OK) fail(db_, "bind");
}

Statement& Statement::bind_text(int index, std::string_view text) {
    check_bind(sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
    // An empty view may have a null data pointer, which SQLite would store as NULL.
    if (bytes.empty()) check_bind(sqlite3_bind_zeroblob(stmt_, index, 0));
    else check_bind(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
    return *this;
}

Statement& Statement::bind_int(int index, std::int64_t value) {
    check_bind(sqlite3_bind_int64(stmt_, index, value));
    return *this;
}

Statement& Statement::bind_double(int index, double value) {
    check_bind(sqlite3_bind_double(stmt_, index, value));
    return *this;
}

Statement& Statement::bind_null(int index) {
    check_bind(sqlite3_bind_null(stmt_, index));
    return *this;
}

Statement& Statement::bind_optional_text(int index, const std::optional<std::string>& text) {
    return text ? bind_text(index, *text) : bind_null(index);
}

Statement& Statement::bind_optional_int(int index, std::optional<std::int64_t> value) {
    return value ? bind_int(index, *value) : bind_null(index);
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, "step");
}

void Statement::run() {
    while (step()) {
    }
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::int64_t Statement::column_int(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::column_double(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::column_text(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    const int size = sqlite3_column_bytes(stmt_, column);
    return text ? std::string(text, static_cast<std::size_t>(size)) : std::string();
}

std::string Statement::column_blob(int column) const {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
    const int size = sqlite3_column_bytes(stmt_, column);
    return data ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

std::optional<std::string> Statement::column_optional_text(int column) const {
    if (is_null(column)) return std::nullopt;
    return column_text(column);
}

std::optional<std::int64_t> Statement::column_optional_int(int column) const {
    if (is_null(column)) return std::nullopt;
    return column_int(column);
}

// --------------------------------------------------------------------------------------------
// Connection

Connection::Connection(const std::filesystem::path& file, Mode mode, int busy_timeout_ms) {
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

Connection::~Connection() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
}

void Connection::exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string message = error ? error : sqlite3_errmsg(db_);
        sqlite3_free(error);
        throw StoreError("sqlite: " + message);
    }
}

Statement Connection::prepare(const std::string& sql) {
    auto found = cache_.find(sql);
    if (found == cache_.end()) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size() + 1),
                               SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
            fail(db_, "prepare");
        found = cache_.emplace(sql, stmt).first;
    }
    return Statement(db_, found->second);
}

std::int64_t Connection::changes() const { return sqlite3_changes64(db_); }

std::string Connection::query_text(const std::string& sql) {
    auto statement = prepare(sql);
    std::string out;
    while (statement.step()) {
        if (!out.empty()) out += '\n';
        out += statement.column_text(0);
    }
    return out;
}

// --------------------------------------------------------------------------------------------
// Transaction

Transaction::Transaction(Connection& connection, Kind kind) : connection_(connection) {
    connection_.exec(kind == Kind::write ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
    if (!open_) return;
    // Rollback after a failed statement cannot usefully fail; ignore its result.
    sqlite3_exec(connection_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    connection_.exec("COMMIT");
    open_ = false;
}

}  // namespace holon::store
