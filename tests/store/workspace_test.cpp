#include "store_fixture.hpp"

#include <set>

namespace holon::store::testing {
namespace {

using WorkspaceTest = StoreTest;

TEST_F(WorkspaceTest, CreateGetRenameDelete) {
    const Workspace created = store().create_workspace("Acme engagement");
    EXPECT_EQ(created.id.rfind("ws_", 0), 0u);
    EXPECT_EQ(created.created_at, now());

    const Workspace fetched = store().get_workspace(created.id);
    EXPECT_EQ(fetched.id, created.id);
    EXPECT_EQ(fetched.name, "Acme engagement");

    advance(5);
    const Workspace renamed = store().rename_workspace(created.id, "Acme (phase 2)");
    EXPECT_EQ(renamed.name, "Acme (phase 2)");
    EXPECT_EQ(renamed.updated_at, now());
    EXPECT_EQ(renamed.created_at, created.created_at);
    EXPECT_EQ(store().get_workspace(created.id).name, "Acme (phase 2)");

    store().delete_workspace(created.id);
    EXPECT_THROW(store().get_workspace(created.id), NotFound);
    EXPECT_THROW(store().delete_workspace(created.id), NotFound);
    EXPECT_THROW(store().rename_workspace(created.id, "x"), NotFound);
}

TEST_F(WorkspaceTest, RejectsEmptyNames) {
    EXPECT_THROW(store().create_workspace(""), InvalidArgument);
    const Workspace workspace = store().create_workspace("a");
    EXPECT_THROW(store().rename_workspace(workspace.id, ""), InvalidArgument);
}

TEST_F(WorkspaceTest, PaginationVisitsEveryWorkspaceOnce) {
    std::set<std::string> created;
    for (int i = 0; i < 23; ++i) {
        created.insert(store().create_workspace("w" + std::to_string(i)).id);
        if (i % 3 == 0) advance(1);  // several share a timestamp: the id breaks the tie
    }
    std::set<std::string> seen;
    std::vector<std::string> order;
    PageRequest request{5, ""};
    int pages = 0;
    do {
        const Page<Workspace> page = store().list_workspaces(request);
        EXPECT_LE(page.items.size(), 5u);
        for (const Workspace& workspace : page.items) {
            EXPECT_TRUE(seen.insert(workspace.id).second) << "duplicate " << workspace.id;
            order.push_back(workspace.id);
        }
        request.after = page.next;
        ++pages;
    } while (!request.after.empty());
    EXPECT_EQ(pages, 5);
    EXPECT_EQ(seen, created);

    // Rows inserted behind the cursor while paging do not shift later pages.
    const Page<Workspace> first = store().list_workspaces({10, ""});
    advance(1);
    const std::string late = store().create_workspace("late").id;
    const Page<Workspace> second = store().list_workspaces({100, first.next});
    EXPECT_EQ(second.items.front().id, order[10]);
    EXPECT_EQ(second.items.back().id, late);
    EXPECT_TRUE(second.next.empty());
}

TEST_F(WorkspaceTest, RejectsForgedCursors) {
    EXPECT_THROW(store().list_workspaces({10, "not a cursor!"}), InvalidArgument);
    EXPECT_THROW(store().list_workspaces({10, "bm9kb3Q"}), InvalidArgument);  // "nodot"
}

TEST_F(WorkspaceTest, DeleteCascadesToEverythingTheWorkspaceOwns) {
    const Workspace doomed = store().create_workspace("doomed");
    const Workspace kept = store().create_workspace("kept");
    const NewToken token = store().create_token(doomed.id, Role::editor, std::nullopt);
    const ModelRef model = store().create_model(doomed.id, {"m", "holon-model/1", "{}"});
    store().update_model(doomed.id, model.id, model.etag, {"m", "holon-model/1", "{\"v\":2}"});
    const holon::store::Run run = store().create_run(doomed.id, {"sd.simulate", model.id, std::nullopt, "{}", "{}", std::nullopt});
    ASSERT_TRUE(store().claim("host-1", 10'000));
    ASSERT_TRUE(store().finish(run.id, "host-1", 1,
                               {RunState::succeeded, "", {"{\"ok\":true}", {{"t", {"x"}, {{1.0}}}}, {{"b", "text/plain", "hi"}}}}));
    const ModelRef kept_model = store().create_model(kept.id, {"k", "holon-model/1", "{}"});

    store().delete_workspace(doomed.id);

    EXPECT_FALSE(store().authenticate(token.secret));
    for (const char* table : {"tokens", "runs", "run_events", "run_results", "run_tables", "run_blobs"})
        EXPECT_EQ(query_int(std::string("SELECT COUNT(*) FROM ") + table), 0) << table;
    EXPECT_EQ(query_int("SELECT COUNT(*) FROM models"), 1);
    EXPECT_EQ(query_int("SELECT COUNT(*) FROM model_revisions"), 1);
    EXPECT_EQ(store().get_model(kept.id, kept_model.id).name, "k");
}

}  // namespace
}  // namespace holon::store::testing
