#include "store_fixture.hpp"

namespace holon::store::testing {
namespace {

using MigrationTest = StoreTest;

TEST_F(MigrationTest, FreshDatabaseIsAtTheLatestVersion) {
    EXPECT_EQ(store().schema_version(), latest_schema_version());
    EXPECT_EQ(query_int("SELECT COUNT(*) FROM schema_migrations"), latest_schema_version());
}

TEST_F(MigrationTest, ReopeningChangesNothing) {
    const std::string workspace = store().create_workspace("w").id;
    store_.reset();
    store_ = open();
    store_.reset();
    store_ = open();
    EXPECT_EQ(query_int("SELECT COUNT(*) FROM schema_migrations"), latest_schema_version());
    EXPECT_EQ(store().get_workspace(workspace).name, "w");
}

TEST_F(MigrationTest, UsesWalAndForeignKeys) {
    if (!postgres()) {
        EXPECT_EQ(query_int("SELECT COUNT(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
    }
    // A foreign key violation is refused by the store's own connections.
    const std::string workspace = store().create_workspace("w").id;
    EXPECT_THROW(store().create_model("ws_nope", {"m", "holon-model/1", "{}"}), NotFound);
    EXPECT_EQ(query_int("SELECT COUNT(*) FROM models"), 0);
}

TEST_F(MigrationTest, RefusesADatabaseFromANewerHolon) {
    store_.reset();
    const int newer = latest_schema_version() + 1;
    exec_sql("INSERT INTO schema_migrations (version, name, applied_at) VALUES (" +
                                            std::to_string(newer) + ", 'from the future', 0)");
    try {
        open();
        FAIL() << "opened a database with a newer schema";
    } catch (const SchemaTooNew& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find("schema version " + std::to_string(newer)), std::string::npos) << message;
        EXPECT_NE(message.find("newer"), std::string::npos) << message;
    }

    // Nor does restore accept a backup of it (SQLite: PostgreSQL's backups are its own).
    if (postgres()) return;
    exec_sql("PRAGMA wal_checkpoint(TRUNCATE)");
    EXPECT_THROW(restore(database_path(data_dir()), dir_.path() / "restored"), SchemaTooNew);
}

}  // namespace
}  // namespace holon::store::testing
