// A fresh data directory per test, a controllable clock, and a store opened on both.
#pragma once

#include "store/store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>

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

class StoreTest : public ::testing::Test {
protected:
    // The store's Run, not testing::Test::Run(), inside test bodies.
    using Run = holon::store::Run;

    StoreTest() { store_ = open(); }

    std::unique_ptr<Store> open() {
        StoreOptions options;
        options.clock = [this] { return clock_.load(); };
        return open_sqlite_store(data_dir(), options);
    }
    std::filesystem::path data_dir() const { return dir_.path() / "data"; }
    Store& store() { return *store_; }
    void advance(Millis ms) { clock_ += ms; }
    Millis now() const { return clock_.load(); }

    TempDir dir_;
    std::atomic<Millis> clock_{1'700'000'000'000};
    std::unique_ptr<Store> store_;
};

}  // namespace holon::store::testing
