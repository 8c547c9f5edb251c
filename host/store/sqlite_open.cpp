// Opening the embedded SQLite store: the database file in the data directory, private to the
// server's user, through a single-writer pool.
#include "store/sql_store.hpp"
#include "store/sqlite_pool.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace holon::store {

namespace {
// Data at rest is for the server's own user only (folder 0700, database files 0600): plugin
// runners run under other uids and must not read other workspaces' models from the file. A folder
// of ours with looser modes is tightened; a folder of another user is refused, since its owner
// could read everything in it. SQLite gives the WAL and SHM files the database file's mode.
std::filesystem::path prepared_database(const std::filesystem::path& data_dir) {
    std::error_code error;
    std::filesystem::create_directories(data_dir, error);
    if (error) throw StoreError("cannot create data directory " + data_dir.string() + ": " + error.message());
    struct stat folder{};
    if (::stat(data_dir.c_str(), &folder) != 0)
        throw StoreError("cannot inspect data directory " + data_dir.string() + ": " + std::strerror(errno));
    if (folder.st_uid != ::geteuid())
        throw StoreError("data directory " + data_dir.string() + " belongs to uid " + std::to_string(folder.st_uid) +
                         ", not to the user the server runs as (uid " + std::to_string(::geteuid()) +
                         "); give it to that user (chown) or choose another folder");
    if ((folder.st_mode & 07777) != 0700 && ::chmod(data_dir.c_str(), 0700) != 0)
        throw StoreError("cannot make data directory " + data_dir.string() + " private (0700): " + std::strerror(errno));
    const auto database = database_path(data_dir);
    const int fd = ::open(database.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        const std::string file = database.string() + suffix;
        struct stat st{};
        if (::stat(file.c_str(), &st) == 0 && (st.st_mode & 077) != 0 && ::chmod(file.c_str(), 0600) != 0)
            throw StoreError("cannot make " + file + " private (0600): " + std::strerror(errno));
    }
    return database;
}

Millis system_now() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& data_dir, const StoreOptions& options) {
    StoreOptions effective = options;
    if (!effective.clock) effective.clock = system_now;
    auto pool = std::make_unique<SqlitePool>(prepared_database(data_dir), options.busy_timeout_ms, options.max_readers);
    return std::make_unique<SqlStore>(std::move(pool), effective);
}

}  // namespace holon::store
