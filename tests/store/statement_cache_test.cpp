// PostgreSQL only: the store prepares each statement once per connection. A schema change made
// by another host (a newer Holon's migration) can make the server refuse a prepared statement
// ("cached plan must not change result type"); the store then prepares it again and the call
// succeeds instead of failing until the host restarts.
#include "store_fixture.hpp"

namespace holon::store::testing {
namespace {

using StatementCacheTest = StoreTest;

TEST_F(StatementCacheTest, AStatementPreparedBeforeASchemaChangeIsPreparedAgain) {
    const Workspace created = store().create_workspace("before");
    ASSERT_EQ(store().list_workspaces({10, ""}).items.size(), 1u);  // prepared on a pooled connection
    // What a migration of another host could do: a column of the result changes its type.
    exec_sql("ALTER TABLE workspaces ALTER COLUMN name TYPE VARCHAR(200)");
    for (int i = 0; i < 3; ++i) {  // whichever pooled connection each call gets
        const auto page = store().list_workspaces({10, ""});
        ASSERT_EQ(page.items.size(), 1u);
        EXPECT_EQ(page.items[0].id, created.id);
        EXPECT_EQ(page.items[0].name, "before");
    }
    EXPECT_EQ(store().get_workspace(created.id).name, "before");
}

}  // namespace
}  // namespace holon::store::testing
