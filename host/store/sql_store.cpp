#include "store/sql_store.hpp"

#include "store/migrations.hpp"

#include <algorithm>

namespace holon::store {

SqlStore::SqlStore(std::unique_ptr<Pool> pool, const StoreOptions& options)
    : options_(options), pool_(std::move(pool)), token_cache_(options.auth_cache_ms) {
    if (options_.max_page_size == 0) options_.max_page_size = 1;
    if (options_.default_max_attempts < 1) options_.default_max_attempts = 1;
    auto db = pool_->write();
    migrate(*db, now());
}

Millis SqlStore::now() const { return options_.clock(); }

std::size_t SqlStore::page_limit(const PageRequest& page) const {
    return std::clamp<std::size_t>(page.limit, 1, options_.max_page_size);
}

std::string SqlStore::integrity_check() {
    auto db = pool_->read();
    return db->integrity_check();
}

int SqlStore::schema_version() {
    auto db = pool_->read();
    return applied_version(*db);
}

int latest_schema_version() { return migrations().back().version; }

}  // namespace holon::store
