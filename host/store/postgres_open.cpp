// Opening the PostgreSQL store that several hosts share, and choosing the store from the server's
// configuration.
#include "store/postgres_db.hpp"
#include "store/retrying_store.hpp"
#include "store/sql_store.hpp"

#include <chrono>
#include <ctime>

namespace holon::store {

namespace {

// Time since boot, suspended time included (CLOCK_BOOTTIME): never stepped, unlike the wall clock.
Millis boot_now() {
    timespec t{};
    ::clock_gettime(CLOCK_BOOTTIME, &t);
    return static_cast<Millis>(t.tv_sec) * 1000 + t.tv_nsec / 1'000'000;
}

// The database server's clock minus this machine's boot clock, measured once: leases written by
// every host then use one clock, whatever each machine's own clock says. Not the wall clock: one
// stepped later (NTP after a suspend, an operator's `date -s`) would move this host's "now" and
// make it take the live leases of other hosts for expired ones.
Millis database_clock_offset(Pool& pool) {
    auto db = pool.read();
    const Millis before = boot_now();
    auto row = db->prepare("SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)");
    row.step();
    const Millis server = row.column_int(0);
    const Millis after = boot_now();
    return server - (before + after) / 2;
}

}  // namespace

bool is_postgres_location(const std::string& location) {
    return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

std::unique_ptr<Store> open_postgres_store(const std::string& conninfo, const StoreOptions& options) {
    auto pool = std::make_unique<PostgresPool>(conninfo, options.schema, options.max_connections);
    StoreOptions effective = options;
    if (!effective.clock) {
        const Millis offset = database_clock_offset(*pool);
        effective.clock = [offset] { return boot_now() + offset; };
    }
    // Two hosts starting at once both run the migrations; the loser of a race tries again and
    // then finds them applied.
    std::unique_ptr<Store> store;
    for (int attempt = 1;; ++attempt) {
        try {
            store = std::make_unique<SqlStore>(std::move(pool), effective);
            break;
        } catch (const RetryableConflict&) {
            if (attempt >= 5) throw;
            pool = std::make_unique<PostgresPool>(conninfo, options.schema, options.max_connections);
        }
    }
    return std::make_unique<RetryingStore>(std::move(store));
}

std::unique_ptr<Store> open_store(const std::string& location, const std::filesystem::path& data_dir,
                                  const StoreOptions& options) {
    if (is_postgres_location(location)) return open_postgres_store(location, options);
    return open_sqlite_store(data_dir, options);
}

}  // namespace holon::store
