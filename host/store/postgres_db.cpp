#include "store/postgres_db.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>

namespace holon::store {

namespace {

// Type oids of the parameters the store binds (pg_type.h; stable across releases).
constexpr Oid kInt8 = 20;
constexpr Oid kText = 25;
constexpr Oid kFloat8 = 701;
constexpr Oid kBytea = 17;

std::string one_line(const char* message) {
    std::string text = message ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    for (char& c : text)
        if (c == '\n') c = ' ';
    return text;
}

// The error of a failed command as the store's exception: a lost race is retryable, a lost
// connection is Unavailable, anything else a StoreError.
// `first_use`: the connection came from the pool and this is its first command since: a server
// restart or a dropped idle connection shows up exactly here, before anything was sent that could
// have been written, so the call can safely be tried again on a new connection.
[[noreturn]] void fail(PGconn* conn, const PGresult* result, const std::string& what, bool first_use) {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string message = "postgres: " + what + ": " +
                                one_line(result && PQresultErrorMessage(result)[0] ? PQresultErrorMessage(result)
                                                                                   : PQerrorMessage(conn));
    if (state && (std::strcmp(state, "40001") == 0 || std::strcmp(state, "40P01") == 0))
        throw RetryableConflict(message);
    if (first_use && PQstatus(conn) == CONNECTION_BAD)
        throw RetryableConflict(message + " (a pooled connection the server had closed; trying a new one)");
    if (PQstatus(conn) == CONNECTION_BAD || (state && std::strncmp(state, "08", 2) == 0) ||
        (state && (std::strcmp(state, "57P01") == 0 || std::strcmp(state, "57P03") == 0)))
        throw Unavailable(message);
    throw StoreError(message);
}

// A PGresult freed when it goes out of scope.
struct Result {
    PGresult* result = nullptr;
    explicit Result(PGresult* r = nullptr) : result(r) {}
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;
    Result& operator=(Result&& other) noexcept {
        std::swap(result, other.result);
        return *this;
    }
    ~Result() { PQclear(result); }
};

std::string number_text(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, end);
}

class PostgresStatement final : public StatementImpl {
public:
    PostgresStatement(PostgresConnection& connection, const std::string& sql) : connection_(connection), sql_(sql) {}

    void bind_text(int index, std::string_view text) override { set(index, std::string(text), kText, 0); }
    void bind_blob(int index, std::string_view bytes) override { set(index, std::string(bytes), kBytea, 1); }
    void bind_int(int index, std::int64_t value) override { set(index, std::to_string(value), kInt8, 0); }
    void bind_double(int index, double value) override { set(index, number_text(value), kFloat8, 0); }
    void bind_null(int index) override { set(index, std::nullopt, 0, 0); }

    bool step() override {
        if (!executed_) execute();
        else ++row_;
        return row_ < rows_;
    }

    bool is_null(int column) const override { return PQgetisnull(result_.result, row_, column) != 0; }
    std::int64_t column_int(int column) const override {
        return std::strtoll(PQgetvalue(result_.result, row_, column), nullptr, 10);
    }
    double column_double(int column) const override {
        return std::strtod(PQgetvalue(result_.result, row_, column), nullptr);
    }
    std::string column_text(int column) const override {
        return std::string(PQgetvalue(result_.result, row_, column),
                           static_cast<std::size_t>(PQgetlength(result_.result, row_, column)));
    }
    std::string column_blob(int column) const override {
        std::size_t size = 0;
        unsigned char* bytes =
            PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(result_.result, row_, column)), &size);
        if (!bytes) throw StoreError("postgres: cannot decode a bytea value");
        std::string out(reinterpret_cast<const char*>(bytes), size);
        PQfreemem(bytes);
        return out;
    }

private:
    void set(int index, std::optional<std::string> value, Oid type, int format) {
        const auto at = static_cast<std::size_t>(index - 1);
        if (values_.size() <= at) {
            values_.resize(at + 1);
            // A parameter the statement does not use (SQL built with optional parts skips some
            // numbers) still needs a type: PostgreSQL cannot infer one for a parameter it never sees.
            types_.resize(at + 1, kText);
            formats_.resize(at + 1, 0);
        }
        values_[at] = std::move(value);
        types_[at] = type;
        formats_[at] = format;
    }

    void execute() {
        std::vector<const char*> values(values_.size());
        std::vector<int> lengths(values_.size());
        for (std::size_t i = 0; i < values_.size(); ++i) {
            values[i] = values_[i] ? values_[i]->data() : nullptr;
            lengths[i] = values_[i] ? static_cast<int>(values_[i]->size()) : 0;
        }
        PGconn* conn = connection_.handle();
        // Prepared once per connection and SQL, then only bound and executed: the server parses
        // and plans each of the store's statements once instead of on every call.
        const std::string* name = connection_.prepared(sql_, types_);
        if (name)
            result_ = Result(PQexecPrepared(conn, name->c_str(), static_cast<int>(values.size()), values.data(),
                                            lengths.data(), formats_.data(), 0));
        else
            result_ = Result(PQexecParams(conn, sql_.c_str(), static_cast<int>(values.size()), types_.data(),
                                          values.data(), lengths.data(), formats_.data(), 0));
        const auto status = PQresultStatus(result_.result);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            // "cached plan must not change result type": another host's migration changed a table
            // this connection prepared a statement for. Prepare afresh and let the call run again.
            const char* state = PQresultErrorField(result_.result, PG_DIAG_SQLSTATE);
            if (name && state && std::strcmp(state, "0A000") == 0) {
                connection_.forget_prepared();
                throw RetryableConflict("postgres: a prepared statement outlived a schema change; preparing it again");
            }
            fail(conn, result_.result, "statement", connection_.first_use());
        }
        connection_.used();
        executed_ = true;
        rows_ = status == PGRES_TUPLES_OK ? PQntuples(result_.result) : 0;
        row_ = 0;
        const char* affected = PQcmdTuples(result_.result);
        connection_.set_changes(affected && *affected ? std::strtoll(affected, nullptr, 10) : 0);
    }

    PostgresConnection& connection_;
    const std::string& sql_;
    std::vector<std::optional<std::string>> values_;
    std::vector<Oid> types_;
    std::vector<int> formats_;
    Result result_;
    bool executed_ = false;
    int rows_ = 0;
    int row_ = 0;
};

std::string quoted_identifier(const std::string& name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace

std::string postgres_placeholders(const std::string& sql) {
    std::string out;
    out.reserve(sql.size());
    char quote = 0;
    for (char c : sql) {
        if (quote) {
            if (c == quote) quote = 0;
            out += c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            out += c;
        } else {
            out += c == '?' ? '$' : c;
        }
    }
    return out;
}

// ------------------------------------------------------------------------------------------------
// Connection

PostgresConnection::PostgresConnection(const std::string& conninfo, const std::string& schema) {
    // Defaults first, then the configured string (expanded), whose own settings win: a server that
    // stops answering (a partition, not a refusal) must give a 503 within seconds, not hang
    // request threads for the kernel's two-minute TCP timeout.
    const char* keys[] = {"connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval",
                          "keepalives_count", "tcp_user_timeout", "dbname", nullptr};
    const char* values[] = {"5", "1", "30", "10", "3", "30000", conninfo.c_str(), nullptr};
    conn_ = PQconnectdbParams(keys, values, 1);
    if (PQstatus(conn_) != CONNECTION_OK) {
        const std::string message = one_line(PQerrorMessage(conn_));
        PQfinish(conn_);
        conn_ = nullptr;
        throw Unavailable("postgres: cannot connect: " + message);
    }
    // Notices (e.g. "schema already exists") are not errors; keep them off stderr.
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
    exec("SET client_encoding = 'UTF8'");
    if (!schema.empty()) {
        exec("CREATE SCHEMA IF NOT EXISTS " + quoted_identifier(schema));
        exec("SET search_path TO " + quoted_identifier(schema));
    }
}

PostgresConnection::~PostgresConnection() { PQfinish(conn_); }

bool PostgresConnection::healthy() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

void PostgresConnection::exec(const std::string& sql) {
    Result result(PQexec(conn_, sql.c_str()));
    const auto status = PQresultStatus(result.result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(conn_, result.result, "exec", first_use_);
    first_use_ = false;
}

const std::string* PostgresConnection::prepared(const std::string& sql, const std::vector<unsigned int>& types) {
    std::string key = sql;
    key += '\0';
    for (unsigned int type : types) key += std::to_string(type) + ",";
    if (auto found = prepared_.find(key); found != prepared_.end()) return &found->second;
    if (prepared_.size() >= kMaxPrepared) return nullptr;
    std::string name =
        "holon_" + std::to_string(prepared_generation_) + "_" + std::to_string(prepared_.size() + 1);
    Result result(PQprepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(types.size()), types.data()));
    if (PQresultStatus(result.result) != PGRES_COMMAND_OK) fail(conn_, result.result, "prepare", first_use_);
    first_use_ = false;
    return &prepared_.emplace(std::move(key), std::move(name)).first->second;
}

void PostgresConnection::forget_prepared() {
    // The old statements stay on the server until the connection closes; new names avoid them.
    prepared_.clear();
    ++prepared_generation_;
}

Statement PostgresConnection::prepare(const std::string& sql) {
    auto found = converted_.find(sql);
    if (found == converted_.end()) found = converted_.emplace(sql, postgres_placeholders(sql)).first;
    return Statement(std::make_unique<PostgresStatement>(*this, found->second));
}

void PostgresConnection::begin(TransactionKind kind) {
    switch (kind) {
    case TransactionKind::write: exec("BEGIN ISOLATION LEVEL SERIALIZABLE"); break;
    case TransactionKind::read: exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); break;
    case TransactionKind::migration: exec("BEGIN ISOLATION LEVEL READ COMMITTED"); break;
    }
}

void PostgresConnection::commit() { exec("COMMIT"); }

void PostgresConnection::rollback() noexcept {
    if (!conn_) return;
    PQclear(PQexec(conn_, "ROLLBACK"));
}

void PostgresConnection::lock_for_migration() {
    // Any constant both Holon versions agree on; held until the transaction ends.
    exec("SELECT pg_advisory_xact_lock(7243061022)");
}

std::string PostgresConnection::integrity_check() {
    exec("SELECT 1");
    return "ok";
}

// ------------------------------------------------------------------------------------------------
// Pool

class PostgresPool::Holder final : public Lease::Holder {
public:
    Holder(PostgresPool& pool, std::unique_ptr<PostgresConnection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    ~Holder() override {
        std::lock_guard lock(pool_.mutex_);
        // A broken connection is dropped; the next lease opens a new one.
        if (connection_->healthy()) pool_.idle_.push_back(std::move(connection_));
        else --pool_.open_;
        pool_.returned_.notify_one();
    }
    Connection& connection() override { return *connection_; }

private:
    PostgresPool& pool_;
    std::unique_ptr<PostgresConnection> connection_;
};

PostgresPool::PostgresPool(std::string conninfo, std::string schema, std::size_t max_connections)
    : conninfo_(std::move(conninfo)), schema_(std::move(schema)), max_connections_(max_connections ? max_connections : 1) {}

PostgresPool::~PostgresPool() = default;

Pool::Lease PostgresPool::lease() {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [&] { return !idle_.empty() || open_ < max_connections_; });
    if (!idle_.empty()) {
        auto connection = std::move(idle_.back());
        idle_.pop_back();
        connection->leased();
        return Lease(std::make_unique<Holder>(*this, std::move(connection)));
    }
    ++open_;
    lock.unlock();
    try {
        return Lease(std::make_unique<Holder>(*this, std::make_unique<PostgresConnection>(conninfo_, schema_)));
    } catch (...) {
        lock.lock();
        --open_;
        returned_.notify_one();
        throw;
    }
}

}  // namespace holon::store
