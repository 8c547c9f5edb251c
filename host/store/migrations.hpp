// Schema migrations, versioned in code. Each migration is an ordered SQL script in the subset
// that SQLite and PostgreSQL both accept; the one dialect word is BLOB, which the PostgreSQL
// backend spells BYTEA.
#pragma once

#include <string>
#include <vector>

namespace holon::store {

class Connection;

struct Migration {
    int version;
    std::string name;
    std::string sql;
    // When not empty, what PostgreSQL runs instead of `sql` (a step only one engine needs: `sql`
    // is then "" and the other engine only records the version).
    std::string postgres_sql = "";
};

// All migrations, in ascending version order starting at 1.
const std::vector<Migration>& migrations();

// Creates schema_migrations if needed and applies every missing migration, in one transaction
// under the engine's migration lock. Throws SchemaTooNew when the database has a version above the last migration.
// Running it again on an up-to-date database changes nothing.
void migrate(Connection& connection, long long now_ms);

// The highest applied version, 0 for an empty database.
int applied_version(Connection& connection);

}  // namespace holon::store
