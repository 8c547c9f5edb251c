#include "store/sqlite_pool.hpp"

#include "store/store.hpp"

#include <unistd.h>

namespace holon::store {

void configure_connection(SqliteConnection& connection) {
    // synchronous=FULL makes every COMMIT fsync the WAL: an acknowledged write survives power
    // loss, not only a process crash (NORMAL would only guarantee the latter in WAL mode).
    connection.exec("PRAGMA foreign_keys = ON");
    connection.exec("PRAGMA synchronous = FULL");
    connection.exec("PRAGMA temp_store = MEMORY");
}

SqlitePool::SqlitePool(std::filesystem::path file, int busy_timeout_ms, std::size_t max_readers)
    : file_(std::move(file)),
      busy_timeout_ms_(busy_timeout_ms),
      max_readers_(max_readers == 0 ? 1 : max_readers),
      owner_pid_(getpid()) {
    writer_ = std::make_unique<SqliteConnection>(file_, SqliteConnection::Mode::read_write_create, busy_timeout_ms_);
    // WAL is a property of the database file; setting it once from the writer is enough.
    const std::string mode = writer_->query_text("PRAGMA journal_mode = WAL");
    if (mode != "wal") throw StoreError("cannot switch " + file_.string() + " to WAL mode (got " + mode + ")");
    configure_connection(*writer_);
}

void SqlitePool::check_process() const {
    if (getpid() != owner_pid_)
        throw StoreError("store opened in process " + std::to_string(owner_pid_) +
                         " used in process " + std::to_string(getpid()) + " (connections do not survive fork)");
}

std::unique_ptr<SqliteConnection> SqlitePool::open_connection() const {
    auto connection = std::make_unique<SqliteConnection>(file_, SqliteConnection::Mode::read_write, busy_timeout_ms_);
    configure_connection(*connection);
    return connection;
}

class SqlitePool::WriteHolder final : public Lease::Holder {
public:
    explicit WriteHolder(SqlitePool& pool) : pool_(pool), lock_(pool.write_mutex_) {}
    Connection& connection() override { return *pool_.writer_; }

private:
    SqlitePool& pool_;
    std::unique_lock<std::mutex> lock_;
};

class SqlitePool::ReadHolder final : public Lease::Holder {
public:
    explicit ReadHolder(SqlitePool& pool) : pool_(pool) {
        std::unique_lock lock(pool_.read_mutex_);
        pool_.reader_returned_.wait(lock, [&] {
            return !pool_.idle_readers_.empty() || pool_.open_readers_ < pool_.max_readers_;
        });
        if (!pool_.idle_readers_.empty()) {
            connection_ = std::move(pool_.idle_readers_.back());
            pool_.idle_readers_.pop_back();
            return;
        }
        ++pool_.open_readers_;
        lock.unlock();
        try {
            connection_ = pool_.open_connection();
        } catch (...) {
            lock.lock();
            --pool_.open_readers_;
            pool_.reader_returned_.notify_one();
            throw;
        }
    }
    ~ReadHolder() override {
        {
            std::lock_guard lock(pool_.read_mutex_);
            pool_.idle_readers_.push_back(std::move(connection_));
        }
        pool_.reader_returned_.notify_one();
    }
    Connection& connection() override { return *connection_; }

private:
    SqlitePool& pool_;
    std::unique_ptr<SqliteConnection> connection_;
};

Pool::Lease SqlitePool::write() {
    check_process();
    return Lease(std::make_unique<WriteHolder>(*this));
}

Pool::Lease SqlitePool::read() {
    check_process();
    return Lease(std::make_unique<ReadHolder>(*this));
}

}  // namespace holon::store
