// The PostgreSQL engine of the store's SQL layer (sql.hpp) over libpq: connections, statements
// (the store's ?N parameters sent as $N with their types), SERIALIZABLE write transactions and a
// pool of connections shared by reads and writes.
#pragma once

#include "store/sql.hpp"
#include "store/store.hpp"

#include <condition_variable>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

struct pg_conn;

namespace holon::store {

// Thrown by a PostgreSQL write transaction that lost a race with another transaction (SQLSTATE
// 40001 serialization failure, 40P01 deadlock): nothing was written, and the whole store call can
// be tried again (RetryingStore does).
class RetryableConflict : public StoreError {
public:
    using StoreError::StoreError;
};

class PostgresConnection final : public Connection {
public:
    // `conninfo`: a libpq connection string or postgresql:// URI. `schema`: "" for the default
    // search path, else the schema (created when missing) every table lives in.
    PostgresConnection(const std::string& conninfo, const std::string& schema);
    PostgresConnection(const PostgresConnection&) = delete;
    PostgresConnection& operator=(const PostgresConnection&) = delete;
    ~PostgresConnection() override;

    Dialect dialect() const override { return Dialect::postgres; }
    void exec(const std::string& sql) override;
    Statement prepare(const std::string& sql) override;
    std::int64_t changes() const override { return changes_; }
    void begin(TransactionKind kind) override;
    void commit() override;
    void rollback() noexcept override;
    void lock_for_migration() override;
    // PostgreSQL keeps its own integrity (WAL, checksums when enabled); there is no PRAGMA
    // integrity_check to run: "ok" once the server answers.
    std::string integrity_check() override;

    // False once the server connection is broken: the pool opens a new one instead.
    bool healthy() const;

    pg_conn* handle() { return conn_; }
    void set_changes(std::int64_t n) { changes_ = n; }
    // The name of the server-side prepared statement for `sql` with these parameter types,
    // prepared on this connection the first time; nullptr when the connection already holds
    // kMaxPrepared statements (the caller then sends the statement unprepared).
    const std::string* prepared(const std::string& sql, const std::vector<unsigned int>& types);
    // After the server refused a prepared statement whose tables changed under it: the next
    // uses prepare every statement afresh (under new names).
    void forget_prepared();
    static constexpr std::size_t kMaxPrepared = 500;

    // Handed out again by the pool: its next command is the first of this use.
    void leased() { first_use_ = true; }
    bool first_use() const { return first_use_; }
    void used() { first_use_ = false; }

private:
    pg_conn* conn_ = nullptr;
    bool first_use_ = false;  // a new connection has just shown it works
    std::int64_t changes_ = 0;
    std::unordered_map<std::string, std::string> converted_;  // ?N SQL -> $N SQL
    // $N SQL and parameter types -> name of the statement prepared on this session.
    std::unordered_map<std::string, std::string> prepared_;
    int prepared_generation_ = 0;
};

class PostgresPool final : public Pool {
public:
    PostgresPool(std::string conninfo, std::string schema, std::size_t max_connections);
    ~PostgresPool() override;

    Lease write() override { return lease(); }
    Lease read() override { return lease(); }

private:
    class Holder;
    Lease lease();

    std::string conninfo_;
    std::string schema_;
    std::size_t max_connections_;
    std::mutex mutex_;
    std::condition_variable returned_;
    std::vector<std::unique_ptr<PostgresConnection>> idle_;
    std::size_t open_ = 0;
};

// "?1 ... ?12" -> "$1 ... $12" outside quoted text.
std::string postgres_placeholders(const std::string& sql);

}  // namespace holon::store
