// A fresh database per test, a controllable clock, and a store opened on both. The same tests
// build twice: store_tests on SQLite (a fresh data directory) and store_pg_tests on PostgreSQL
// (HOLON_STORE_TEST_POSTGRES: a fresh schema in the database HOLON_TEST_POSTGRES names, dropped
// after the test; .ci/postgres.sh starts a server and prints that connection string).
#pragma once

#include "store/store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#if HOLON_STORE_TEST_POSTGRES
#include <libpq-fe.h>
#include <unistd.h>
#endif

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>

#ifndef HOLON_STORE_TEST_POSTGRES
#define HOLON_STORE_TEST_POSTGRES 0
#endif

namespace holon::store::testing {

// A unique temporary directory, removed with everything in it when the object dies.
class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "holon-store-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// Runs a single-integer query on a database file with a connection of its own (to look at the
// rows the store wrote, independently of the store's code).
inline std::int64_t query_int(const std::filesystem::path& db_file, const std::string& sql) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(db_file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        throw std::runtime_error("cannot open " + db_file.string());
    }
    sqlite3_stmt* stmt = nullptr;
    std::int64_t value = -1;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
        value = sqlite3_column_int64(stmt, 0);
    const std::string error = sqlite3_errmsg(db);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    if (value < 0) throw std::runtime_error("query failed: " + sql + ": " + error);
    return value;
}

inline void exec_sql(const std::filesystem::path& db_file, const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(db_file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    const std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    if (rc != SQLITE_OK) throw std::runtime_error("exec failed: " + sql + ": " + message);
}

// The database of one test: SQLite files in a temporary directory, or a PostgreSQL schema of its
// own (dropped when the object dies).
class TestDatabase {
public:
    static constexpr bool postgres = HOLON_STORE_TEST_POSTGRES != 0;

    TestDatabase() {
#if HOLON_STORE_TEST_POSTGRES
        static int counter = 0;
        schema_ = "holon_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
#endif
    }
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;
    ~TestDatabase() {
#if HOLON_STORE_TEST_POSTGRES
        if (!conninfo().empty()) {
            try {
                exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
            } catch (...) {
            }
        }
#endif
    }

    // The PostgreSQL server of the tests, "" when none is configured.
    static std::string conninfo() {
        const char* value = std::getenv("HOLON_TEST_POSTGRES");
        return value ? value : "";
    }
    // Why this backend cannot run here ("" when it can).
    static std::string unavailable() {
        if (!postgres || !conninfo().empty()) return "";
        return "HOLON_TEST_POSTGRES is not set (bash .ci/postgres.sh starts a server and prints it)";
    }

    std::unique_ptr<Store> open(StoreOptions options = {}) const {
#if HOLON_STORE_TEST_POSTGRES
        options.schema = schema_;
        return open_postgres_store(conninfo(), options);
#else
        return open_sqlite_store(data_dir(), options);
#endif
    }
    std::filesystem::path data_dir() const { return dir_.path() / "data"; }
    const std::string& schema() const { return schema_; }

    // A single integer, or a statement, run on the test's database with a connection of its own
    // (to look at the rows the store wrote independently of the store's code).
    std::int64_t query_int(const std::string& sql) const {
#if HOLON_STORE_TEST_POSTGRES
        return std::stoll(run(sql, true));
#else
        return testing::query_int(database_path(data_dir()), sql);
#endif
    }
    void exec(const std::string& sql) const {
#if HOLON_STORE_TEST_POSTGRES
        run(sql, false);
#else
        exec_sql(database_path(data_dir()), sql);
#endif
    }

private:
#if HOLON_STORE_TEST_POSTGRES
    std::string run(const std::string& sql, bool want_value) const {
        PGconn* conn = PQconnectdb(conninfo().c_str());
        if (PQstatus(conn) != CONNECTION_OK) {
            const std::string message = PQerrorMessage(conn);
            PQfinish(conn);
            throw std::runtime_error("cannot connect to " + conninfo() + ": " + message);
        }
        PQclear(PQexec(conn, "SET client_min_messages TO warning"));
        PQclear(PQexec(conn, ("SET search_path TO " + schema_).c_str()));
        PGresult* result = PQexec(conn, sql.c_str());
        const auto status = PQresultStatus(result);
        std::string value;
        const bool ok = status == PGRES_COMMAND_OK || (status == PGRES_TUPLES_OK && (!want_value || PQntuples(result) > 0));
        if (ok && want_value) value = PQgetvalue(result, 0, 0);
        const std::string error = PQresultErrorMessage(result);
        PQclear(result);
        PQfinish(conn);
        if (!ok) throw std::runtime_error("query failed: " + sql + ": " + error);
        return value;
    }
#endif

    TempDir dir_;
    std::string schema_;
};

class StoreTest : public ::testing::Test {
protected:
    // The store's Run, not testing::Test::Run(), inside test bodies.
    using Run = holon::store::Run;

    // Fixtures derived from this one use store() in their constructors, so it opens here. When
    // the PostgreSQL server is not configured, a SQLite stand-in lets those constructors run and
    // SetUp skips the test (fails it in CI, where HOLON_REQUIRE_POSTGRES=1).
    StoreTest() {
        if (TestDatabase::unavailable().empty()) {
            store_ = open();
        } else {
            StoreOptions options;
            options.clock = [this] { return clock_.load(); };
            store_ = open_sqlite_store(dir_.path() / "stand-in", options);
        }
    }

    void SetUp() override {
        const std::string why = TestDatabase::unavailable();
        if (why.empty()) return;
        if (std::getenv("HOLON_REQUIRE_POSTGRES")) FAIL() << why;
        GTEST_SKIP() << why;
    }

    std::unique_ptr<Store> open() {
        StoreOptions options;
        options.clock = [this] { return clock_.load(); };
        return database_.open(options);
    }
    std::filesystem::path data_dir() const { return database_.data_dir(); }
    std::int64_t query_int(const std::string& sql) const { return database_.query_int(sql); }
    void exec_sql(const std::string& sql) const { database_.exec(sql); }
    static constexpr bool postgres() { return TestDatabase::postgres; }
    Store& store() { return *store_; }
    void advance(Millis ms) { clock_ += ms; }
    Millis now() const { return clock_.load(); }

    TempDir dir_;  // scratch files of a test (backups, other data directories)
    TestDatabase database_;
    std::atomic<Millis> clock_{1'700'000'000'000};
    std::unique_ptr<Store> store_;
};

}  // namespace holon::store::testing
