// The SQL layer the store is written against: a connection, its statements and transactions, and
// a pool of connections. SQLite (sqlite_db.cpp, sqlite_pool.cpp) and PostgreSQL (postgres_db.cpp)
// implement it, so the store's logic (sql_*.cpp) exists once. Its SQL is the subset both engines
// accept, with numbered parameters written ?1, ?2, ... (the PostgreSQL driver rewrites them).
// Errors become StoreError with the engine's message.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace holon::store {

enum class Dialect { sqlite, postgres };

// What an engine implements for one statement. Binds count from 1, columns from 0.
class StatementImpl {
public:
    virtual ~StatementImpl() = default;
    virtual void bind_text(int index, std::string_view text) = 0;
    virtual void bind_blob(int index, std::string_view bytes) = 0;
    virtual void bind_int(int index, std::int64_t value) = 0;
    virtual void bind_double(int index, double value) = 0;
    virtual void bind_null(int index) = 0;
    virtual bool step() = 0;
    virtual bool is_null(int column) const = 0;
    virtual std::int64_t column_int(int column) const = 0;
    virtual double column_double(int column) const = 0;
    virtual std::string column_text(int column) const = 0;
    virtual std::string column_blob(int column) const = 0;
};

// A prepared statement of a connection, used by one thread while the connection is leased.
class Statement {
public:
    explicit Statement(std::unique_ptr<StatementImpl> impl) : impl_(std::move(impl)) {}
    Statement(Statement&&) = default;
    Statement& operator=(Statement&&) = default;

    Statement& bind_text(int index, std::string_view text) { impl_->bind_text(index, text); return *this; }
    Statement& bind_blob(int index, std::string_view bytes) { impl_->bind_blob(index, bytes); return *this; }
    Statement& bind_int(int index, std::int64_t value) { impl_->bind_int(index, value); return *this; }
    Statement& bind_double(int index, double value) { impl_->bind_double(index, value); return *this; }
    Statement& bind_null(int index) { impl_->bind_null(index); return *this; }
    Statement& bind_optional_text(int index, const std::optional<std::string>& text) {
        return text ? bind_text(index, *text) : bind_null(index);
    }
    Statement& bind_optional_int(int index, std::optional<std::int64_t> value) {
        return value ? bind_int(index, *value) : bind_null(index);
    }

    // True when a row is available; false when the statement is done.
    bool step() { return impl_->step(); }
    // Steps to the end, for statements that return no rows.
    void run() {
        while (step()) {
        }
    }

    bool is_null(int column) const { return impl_->is_null(column); }
    std::int64_t column_int(int column) const { return impl_->column_int(column); }
    double column_double(int column) const { return impl_->column_double(column); }
    std::string column_text(int column) const { return impl_->column_text(column); }
    std::string column_blob(int column) const { return impl_->column_blob(column); }
    std::optional<std::string> column_optional_text(int column) const {
        if (is_null(column)) return std::nullopt;
        return column_text(column);
    }
    std::optional<std::int64_t> column_optional_int(int column) const {
        if (is_null(column)) return std::nullopt;
        return column_int(column);
    }

private:
    std::unique_ptr<StatementImpl> impl_;
};

// write: as if the only writer; read: one consistent snapshot; migration: a write whose
// statements each see what was committed before them (so that, after waiting for the migration
// lock, it sees the migrations another process just applied).
enum class TransactionKind { write, read, migration };

class Connection {
public:
    virtual ~Connection() = default;

    virtual Dialect dialect() const = 0;
    // Runs one or more statements without results (pragmas, migration scripts).
    virtual void exec(const std::string& sql) = 0;
    // A statement of this connection; do not hold two Statements of the same SQL at once.
    virtual Statement prepare(const std::string& sql) = 0;
    // Rows changed by the last INSERT, UPDATE or DELETE.
    virtual std::int64_t changes() const = 0;

    // A write transaction behaves as if it were the only writer: SQLite takes its write lock at
    // once (BEGIN IMMEDIATE); PostgreSQL runs it SERIALIZABLE and reports a conflict with another
    // host as RetryableConflict, after which the whole store call is tried again. A read
    // transaction sees one consistent snapshot.
    virtual void begin(TransactionKind kind) = 0;
    virtual void commit() = 0;
    virtual void rollback() noexcept = 0;

    // Inside a write transaction: makes schema migrations of several processes take turns.
    virtual void lock_for_migration() {}
    // "ok", or the problems the engine's own check reports, one per line.
    virtual std::string integrity_check() = 0;

    // The text of a single-column query, rows joined by '\n'.
    std::string query_text(const std::string& sql) {
        auto statement = prepare(sql);
        std::string out;
        while (statement.step()) {
            if (!out.empty()) out += '\n';
            out += statement.column_text(0);
        }
        return out;
    }
};

// Begins on construction; rolls back when destroyed uncommitted.
class Transaction {
public:
    using Kind = TransactionKind;

    Transaction(Connection& connection, Kind kind) : connection_(connection) { connection_.begin(kind); }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction() {
        if (open_) connection_.rollback();
    }

    void commit() {
        connection_.commit();
        open_ = false;
    }

private:
    Connection& connection_;
    bool open_ = true;
};

// The connections of one store. A lease gives one thread a connection until it dies.
class Pool {
public:
    class Lease {
    public:
        struct Holder {
            virtual ~Holder() = default;
            virtual Connection& connection() = 0;
        };
        explicit Lease(std::unique_ptr<Holder> holder) : holder_(std::move(holder)) {}
        Connection& operator*() { return holder_->connection(); }
        Connection* operator->() { return &holder_->connection(); }

    private:
        std::unique_ptr<Holder> holder_;
    };

    virtual ~Pool() = default;
    // A connection for a transaction that writes (SQLite: the only writer, taken in turn).
    virtual Lease write() = 0;
    // A connection for reads.
    virtual Lease read() = 0;
};

}  // namespace holon::store
