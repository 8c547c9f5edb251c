// Online backup and restore with SQLite's backup API: the copy is taken inside one read
// transaction, so it is a consistent snapshot even while a server keeps writing.
#include "store/migrations.hpp"
#include "store/sqlite_db.hpp"
#include "store/store.hpp"

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>

namespace holon::store {

namespace {

void fsync_path(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw StoreError("cannot open " + path.string() + " to sync it: " + std::strerror(errno));
    const int rc = ::fsync(fd);
    const int saved = errno;
    ::close(fd);
    if (rc != 0) throw StoreError("cannot sync " + path.string() + ": " + std::strerror(saved));
}

void remove_if_exists(const std::filesystem::path& path) {
    std::error_code error;
    std::filesystem::remove(path, error);
    if (error) throw StoreError("cannot remove " + path.string() + ": " + error.message());
}

// Copies every page of source into a new file at target, leaving it a single self-contained
// file (rollback journal mode) that passed PRAGMA integrity_check.
void copy_database(SqliteConnection& source, const std::filesystem::path& target) {
    remove_if_exists(target);
    try {
        // Created private first (0600) so that SQLite keeps the mode: a backup holds every tenant's data.
        const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) throw StoreError("cannot create " + target.string() + ": " + std::strerror(errno));
        ::close(fd);
        {
            SqliteConnection destination(target, SqliteConnection::Mode::read_write_create, 5000);
            sqlite3_backup* backup = sqlite3_backup_init(destination.handle(), "main", source.handle(), "main");
            if (!backup) throw StoreError(std::string("backup failed: ") + sqlite3_errmsg(destination.handle()));
            const int step = sqlite3_backup_step(backup, -1);
            const int finish = sqlite3_backup_finish(backup);
            if (step != SQLITE_DONE || finish != SQLITE_OK)
                throw StoreError(std::string("backup failed: ") + sqlite3_errmsg(destination.handle()));
            destination.query_text("PRAGMA journal_mode = DELETE");
            const std::string integrity = destination.query_text("PRAGMA integrity_check");
            if (integrity != "ok") throw StoreError("the copy failed PRAGMA integrity_check: " + integrity);
        }
        fsync_path(target);
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(target, ignored);
        throw;
    }
}

void check_backup_file(const std::filesystem::path& backup_file) {
    if (!std::filesystem::is_regular_file(backup_file)) throw StoreError("no backup file at " + backup_file.string());
    SqliteConnection backup(backup_file, SqliteConnection::Mode::read_only, 5000);
    const std::string integrity = backup.query_text("PRAGMA integrity_check");
    if (integrity != "ok") throw StoreError("backup " + backup_file.string() + " failed PRAGMA integrity_check: " + integrity);
    const std::string has_migrations =
        backup.query_text("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
    if (has_migrations != "1") throw StoreError(backup_file.string() + " is not a Holon database");
    const int version = applied_version(backup);
    if (version > latest_schema_version())
        throw SchemaTooNew("backup schema version " + std::to_string(version) + " is newer than this Holon supports (" +
                           std::to_string(latest_schema_version()) + ")");
}

}  // namespace

void backup(const std::filesystem::path& data_dir, const std::filesystem::path& out_file) {
    const std::filesystem::path source_file = database_path(data_dir);
    if (!std::filesystem::is_regular_file(source_file)) throw StoreError("no database at " + source_file.string());
    if (std::filesystem::exists(out_file)) throw StoreError(out_file.string() + " already exists");
    SqliteConnection source(source_file, SqliteConnection::Mode::read_write, 5000);
    std::filesystem::path partial = out_file;
    partial += ".partial";
    copy_database(source, partial);
    std::filesystem::rename(partial, out_file);
    const std::filesystem::path directory = std::filesystem::absolute(out_file).parent_path();
    fsync_path(directory);
}

void restore(const std::filesystem::path& backup_file, const std::filesystem::path& data_dir, bool force) {
    check_backup_file(backup_file);
    if (std::filesystem::exists(data_dir) && !std::filesystem::is_empty(data_dir) && !force)
        throw StoreError("data directory " + data_dir.string() + " is not empty; restore refuses to overwrite it unless forced");
    std::error_code error;
    std::filesystem::create_directories(data_dir, error);
    if (error) throw StoreError("cannot create data directory " + data_dir.string() + ": " + error.message());
    std::filesystem::permissions(data_dir, std::filesystem::perms::owner_all, error);

    const std::filesystem::path target = database_path(data_dir);
    std::filesystem::path staged = target;
    staged += ".restoring";
    {
        SqliteConnection source(backup_file, SqliteConnection::Mode::read_only, 5000);
        copy_database(source, staged);
    }
    // The old database's WAL would be replayed onto the restored file if it stayed behind.
    for (const char* suffix : {"-wal", "-shm", "-journal"}) {
        std::filesystem::path leftover = target;
        leftover += suffix;
        remove_if_exists(leftover);
    }
    std::filesystem::rename(staged, target);
    fsync_path(data_dir);
}

}  // namespace holon::store
