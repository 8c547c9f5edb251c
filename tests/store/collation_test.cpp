// Ids sort byte by byte on both engines (migration 5): pages of workspaces and runs whose ids
// differ only in case come in the same order on SQLite and on PostgreSQL, whatever the server's
// default collation (the tests' cluster of .ci/postgres.sh uses ICU's en-US, under which
// 'ws_a' < 'ws_B'). Also: migration 5 applies to a database holding rows (ids in the server's
// collation, foreign keys between them).
#include "store_fixture.hpp"

#include "store/migrations.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace holon::store::testing {
namespace {

class CollationTest : public StoreTest {
protected:
    // Ids chosen so that byte order (A B a b) and linguistic order (a A b B) differ.
    const std::vector<std::string> suffixes_ = {"b", "A", "a", "B"};
    const std::vector<std::string> byte_order_ = {"A", "B", "a", "b"};

    void insert_rows() {
        for (const auto& s : suffixes_)
            exec_sql("INSERT INTO workspaces (id, name, created_at, updated_at) VALUES ('ws_" + s + "', 'w', 5, 5)");
        for (const auto& s : suffixes_)
            exec_sql("INSERT INTO runs (id, workspace_id, method, params_json, limits_json, state, progress, stage,"
                     " cancel_requested, attempts, max_attempts, created_at, updated_at)"
                     " VALUES ('run_" + s + "', 'ws_a', 'sd.simulate', '{}', '{}', 'queued', 0, '', 0, 0, 3, 7, 7)");
    }

    static std::vector<std::string> with_prefix(const std::string& prefix, const std::vector<std::string>& suffixes) {
        std::vector<std::string> out;
        for (const auto& s : suffixes) out.push_back(prefix + s);
        return out;
    }

    // Every page of one item, through the keyset cursor.
    std::vector<std::string> workspace_pages() {
        std::vector<std::string> ids;
        std::string after;
        do {
            const auto page = store().list_workspaces({1, after});
            for (const auto& w : page.items) ids.push_back(w.id);
            after = page.next;
        } while (!after.empty() && ids.size() < 10);
        return ids;
    }
    std::vector<std::string> run_pages() {
        std::vector<std::string> ids;
        std::string after;
        do {
            const auto page = store().list_runs("ws_a", {1, after});
            for (const auto& r : page.items) ids.push_back(r.id);
            after = page.next;
        } while (!after.empty() && ids.size() < 10);
        return ids;
    }
};

TEST_F(CollationTest, PagesOfIdsDifferingOnlyInCaseComeInByteOrder) {
    insert_rows();
    EXPECT_EQ(workspace_pages(), with_prefix("ws_", byte_order_));
    EXPECT_EQ(run_pages(), with_prefix("run_", byte_order_));
    // Claims take runs created at the same moment in the same order.
    std::vector<std::string> claimed;
    while (const auto run = store().claim("host", 60'000)) claimed.push_back(run->id);
    EXPECT_EQ(claimed, with_prefix("run_", byte_order_));
}

TEST_F(CollationTest, TheMigrationAppliesToADatabaseWithRows) {
    insert_rows();
    const auto five = std::find_if(migrations().begin(), migrations().end(), [](const Migration& m) { return m.version == 5; });
    ASSERT_NE(five, migrations().end());
    EXPECT_EQ(five->sql, "") << "SQLite compares text byte by byte already";
    store_.reset();
    if (postgres()) {
        // As before version 5: the ids in the database's own collation. Then what migrate() runs.
        std::string undo = five->postgres_sql;
        for (auto at = undo.find("COLLATE \"C\""); at != std::string::npos; at = undo.find("COLLATE \"C\"", at))
            undo.replace(at, 11, "COLLATE \"default\"");
        exec_sql(undo);
        EXPECT_GT(query_int("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema()"
                            " AND (column_name = 'id' OR column_name LIKE '%\\_id') AND collation_name IS NULL"),
                  0);
        exec_sql(five->postgres_sql);
    }
    store_ = open();
    if (postgres()) {
        EXPECT_EQ(query_int("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema()"
                            " AND (column_name = 'id' OR column_name LIKE '%\\_id') AND data_type = 'text'"
                            " AND collation_name IS DISTINCT FROM 'C'"),
                  0);
    }
    EXPECT_EQ(workspace_pages(), with_prefix("ws_", byte_order_));
    EXPECT_EQ(run_pages(), with_prefix("run_", byte_order_));
    // The foreign keys still hold: deleting a workspace takes its runs with it.
    store().delete_workspace("ws_a");
    EXPECT_EQ(query_int("SELECT COUNT(*) FROM runs"), 0);
}

}  // namespace
}  // namespace holon::store::testing
