// The connections of a SQLite store: a single writer (SQLite allows one writer at a time, so
// writes queue on a mutex instead of spinning on SQLITE_BUSY) and a pool of readers, which in WAL
// mode read a consistent snapshot without blocking the writer.
#pragma once

#include "store/sqlite_db.hpp"

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>
#include <sys/types.h>

namespace holon::store {

class SqlitePool final : public Pool {
public:
    SqlitePool(std::filesystem::path file, int busy_timeout_ms, std::size_t max_readers);

    // Exclusive use of the writer connection for the lifetime of the lease.
    Lease write() override;
    // A reader connection, returned to the pool when the lease dies.
    Lease read() override;

private:
    class WriteHolder;
    class ReadHolder;

    // SQLite connections must not be used in a forked child; fail loudly instead of corrupting.
    void check_process() const;
    std::unique_ptr<SqliteConnection> open_connection() const;

    std::filesystem::path file_;
    int busy_timeout_ms_;
    std::size_t max_readers_;
    pid_t owner_pid_;

    std::mutex write_mutex_;
    std::unique_ptr<SqliteConnection> writer_;

    std::mutex read_mutex_;
    std::condition_variable reader_returned_;
    std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;
    std::size_t open_readers_ = 0;
};

// Per-connection settings every Holon connection uses (synchronous=FULL, foreign keys).
void configure_connection(SqliteConnection& connection);

}  // namespace holon::store
