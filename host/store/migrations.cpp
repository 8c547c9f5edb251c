#include "store/migrations.hpp"

#include "store/sql.hpp"
#include "store/store.hpp"

namespace holon::store {

namespace {

// Version 1: the whole first schema. Conventions: ids are opaque TEXT; timestamps are BIGINT
// milliseconds since the epoch, UTC; JSON documents are TEXT; flags are INTEGER 0/1. Child rows
// carry workspace_id themselves so that every query can filter on it directly.
const char* const schema_v1 = R"sql(
CREATE TABLE workspaces (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX workspaces_by_created ON workspaces (created_at, id);

CREATE TABLE tokens (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT REFERENCES workspaces (id) ON DELETE CASCADE,
    role           TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    secret_sha256  TEXT NOT NULL UNIQUE,
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT,
    revoked_at     BIGINT
);
CREATE INDEX tokens_by_workspace ON tokens (workspace_id, created_at, id);

CREATE TABLE models (
    id               TEXT PRIMARY KEY,
    workspace_id     TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    latest_revision  BIGINT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX models_by_workspace ON models (workspace_id, created_at, id);

CREATE TABLE model_revisions (
    model_id      TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    revision      BIGINT NOT NULL,
    workspace_id  TEXT NOT NULL,
    name          TEXT NOT NULL,
    format        TEXT NOT NULL,
    body          TEXT NOT NULL,
    bytes         BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    etag          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (model_id, revision)
);

CREATE TABLE runs (
    id                TEXT PRIMARY KEY,
    workspace_id      TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    method            TEXT NOT NULL,
    model_id          TEXT,
    model_revision    BIGINT,
    params_json       TEXT NOT NULL,
    limits_json       TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    progress          DOUBLE PRECISION NOT NULL,
    stage             TEXT NOT NULL,
    cancel_requested  INTEGER NOT NULL,
    attempts          INTEGER NOT NULL,
    max_attempts      INTEGER NOT NULL,
    lease_owner       TEXT,
    lease_expires_at  BIGINT,
    error_json        TEXT,
    created_at        BIGINT NOT NULL,
    started_at        BIGINT,
    finished_at       BIGINT,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX runs_by_workspace ON runs (workspace_id, created_at, id);
CREATE INDEX runs_by_state ON runs (state, created_at, id);

CREATE TABLE run_events (
    run_id        TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq           BIGINT NOT NULL,
    workspace_id  TEXT NOT NULL,
    type          TEXT NOT NULL,
    data_json     TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (run_id, seq)
);

CREATE TABLE run_results (
    run_id        TEXT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    workspace_id  TEXT NOT NULL,
    result_json   TEXT NOT NULL
);

CREATE TABLE run_tables (
    run_id        TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    workspace_id  TEXT NOT NULL,
    position      INTEGER NOT NULL,
    columns_json  TEXT NOT NULL,
    row_count     BIGINT NOT NULL,
    data          BLOB NOT NULL,
    PRIMARY KEY (run_id, name)
);

CREATE TABLE run_blobs (
    run_id        TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    workspace_id  TEXT NOT NULL,
    position      INTEGER NOT NULL,
    media_type    TEXT NOT NULL,
    bytes         BIGINT NOT NULL,
    data          BLOB NOT NULL,
    PRIMARY KEY (run_id, name)
);
)sql";

// Version 5, PostgreSQL only: every id column (and every column holding another table's id) in
// the "C" collation. Indexes on them are rebuilt by ALTER TYPE; foreign keys stay valid (text
// equality is the same under any deterministic collation).
const char* const ids_collate_c = R"sql(
ALTER TABLE workspaces ALTER COLUMN id TYPE TEXT COLLATE "C";
ALTER TABLE tokens ALTER COLUMN id TYPE TEXT COLLATE "C", ALTER COLUMN workspace_id TYPE TEXT COLLATE "C";
ALTER TABLE models ALTER COLUMN id TYPE TEXT COLLATE "C", ALTER COLUMN workspace_id TYPE TEXT COLLATE "C";
ALTER TABLE model_revisions ALTER COLUMN model_id TYPE TEXT COLLATE "C", ALTER COLUMN workspace_id TYPE TEXT COLLATE "C";
ALTER TABLE runs ALTER COLUMN id TYPE TEXT COLLATE "C", ALTER COLUMN workspace_id TYPE TEXT COLLATE "C",
    ALTER COLUMN model_id TYPE TEXT COLLATE "C", ALTER COLUMN parent_id TYPE TEXT COLLATE "C";
ALTER TABLE run_events ALTER COLUMN run_id TYPE TEXT COLLATE "C", ALTER COLUMN workspace_id TYPE TEXT COLLATE "C";
ALTER TABLE run_results ALTER COLUMN run_id TYPE TEXT COLLATE "C", ALTER COLUMN workspace_id TYPE TEXT COLLATE "C";
ALTER TABLE run_tables ALTER COLUMN run_id TYPE TEXT COLLATE "C", ALTER COLUMN workspace_id TYPE TEXT COLLATE "C";
ALTER TABLE run_blobs ALTER COLUMN run_id TYPE TEXT COLLATE "C", ALTER COLUMN workspace_id TYPE TEXT COLLATE "C";
)sql";

}  // namespace

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all = {
        {1, "initial schema", schema_v1},
        // NULL for tables stored before, and for tables whose columns have no display names/units.
        {2, "result table column labels and units",
         "ALTER TABLE run_tables ADD COLUMN labels_json TEXT;\n"
         "ALTER TABLE run_tables ADD COLUMN units_json TEXT;\n"},
        // /metrics counts rescues on every scrape: without this, a scan of every run event.
        {3, "index of rescue events",
         "CREATE INDEX run_events_rescued ON run_events (run_id) WHERE type = 'rescued';\n"},
        // Batches whose points every host claims: a chunk of points is a run with a parent.
        {4, "child runs",
         "ALTER TABLE runs ADD COLUMN parent_id TEXT REFERENCES runs (id) ON DELETE CASCADE;\n"
         "CREATE INDEX runs_by_parent ON runs (parent_id, created_at, id) WHERE parent_id IS NOT NULL;\n"},
        // Ids sort byte by byte on both engines. SQLite compares TEXT in binary already; PostgreSQL
        // used the database's collation, which is linguistic on most servers ('run_a' < 'run_B'
        // under en_US or ICU), so keyset cursors and "oldest first" ties ran in a different order
        // than on SQLite, and changed with the server's locale.
        {5, "binary collation of ids", "", ids_collate_c},
        // The rescues /metrics counts: of runs, and of batches' points (recorded on the batch,
        // which outlives its points' runs); replaces the index of migration 3.
        {6, "index of rescues of runs and of batches' points",
         "DROP INDEX run_events_rescued;\n"
         "CREATE INDEX run_events_rescues ON run_events (run_id) WHERE type IN ('rescued', 'points-rescued');\n"},
    };
    return all;
}

int applied_version(Connection& connection) {
    auto statement = connection.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    statement.step();
    return static_cast<int>(statement.column_int(0));
}

namespace {

// The scripts are written for both engines; PostgreSQL spells SQLite's BLOB as BYTEA.
std::string in_dialect(const std::string& sql, Dialect dialect) {
    if (dialect == Dialect::sqlite) return sql;
    std::string out = sql;
    for (std::size_t at = out.find(" BLOB "); at != std::string::npos; at = out.find(" BLOB ", at))
        out.replace(at, 6, " BYTEA ");
    return out;
}

}  // namespace

void migrate(Connection& connection, long long now_ms) {
    // One transaction for every step, and the engine's migration lock taken first (SQLite's
    // BEGIN IMMEDIATE is that lock; PostgreSQL takes an advisory lock), so that several processes
    // opening the same new database at once apply every migration exactly once.
    Transaction transaction(connection, Transaction::Kind::migration);
    connection.lock_for_migration();
    connection.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
    const int known = migrations().back().version;
    const int current = applied_version(connection);
    if (current > known)
        throw SchemaTooNew("database schema version " + std::to_string(current) +
                           " is newer than this Holon supports (" + std::to_string(known) +
                           "); upgrade Holon or restore an older backup");
    for (const Migration& migration : migrations()) {
        if (current >= migration.version) continue;
        const bool own_postgres_script = connection.dialect() == Dialect::postgres && !migration.postgres_sql.empty();
        const std::string& script = own_postgres_script ? migration.postgres_sql : migration.sql;
        if (!script.empty()) connection.exec(in_dialect(script, connection.dialect()));
        connection.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)")
            .bind_int(1, migration.version)
            .bind_text(2, migration.name)
            .bind_int(3, now_ms)
            .run();
    }
    transaction.commit();
}

}  // namespace holon::store

