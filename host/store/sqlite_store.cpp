#include "store/sqlite_store.hpp"

#include "store/migrations.hpp"

#include <algorithm>
#include <chrono>
#include <system_error>

namespace holon::store {

namespace {

std::filesystem::path prepared_database(const std::filesystem::path& data_dir) {
    std::error_code error;
    std::filesystem::create_directories(data_dir, error);
    if (error) throw StoreError("cannot create data directory " + data_dir.string() + ": " + error.message());
    return database_path(data_dir);
}

Millis system_now() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

SqliteStore::SqliteStore(const std::filesystem::path& data_dir, const StoreOptions& options)
    : options_(options),
      pool_(prepared_database(data_dir), options.busy_timeout_ms, options.max_readers),
      token_cache_(options.auth_cache_ms) {
    if (!options_.clock) options_.clock = system_now;
    if (options_.max_page_size == 0) options_.max_page_size = 1;
    if (options_.default_max_attempts < 1) options_.default_max_attempts = 1;
    auto db = pool_.write();
    migrate(*db, now());
}

Millis SqliteStore::now() const { return options_.clock(); }

std::size_t SqliteStore::page_limit(const PageRequest& page) const {
    return std::clamp<std::size_t>(page.limit, 1, options_.max_page_size);
}

std::string SqliteStore::integrity_check() {
    auto db = pool_.read();
    return db->query_text("PRAGMA integrity_check");
}

int SqliteStore::schema_version() {
    auto db = pool_.read();
    return applied_version(*db);
}

std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& data_dir, const StoreOptions& options) {
    return std::make_unique<SqliteStore>(data_dir, options);
}

int latest_schema_version() { return migrations().back().version; }

}  // namespace holon::store
