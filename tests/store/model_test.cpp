#include "store_fixture.hpp"

#include <regex>
#include <set>
#include <thread>

namespace holon::store::testing {
namespace {

class ModelTest : public StoreTest {
protected:
    ModelTest() : workspace_(store().create_workspace("w").id) {}
    std::string workspace_;
};

TEST_F(ModelTest, CreateGivesRevisionOneWithAStrongEtag) {
    const ModelRef ref = store().create_model(workspace_, {"Bass diffusion", "holon-model/1", R"({"variables":[]})"});
    EXPECT_EQ(ref.id.rfind("mdl_", 0), 0u);
    EXPECT_EQ(ref.revision, 1);
    EXPECT_TRUE(std::regex_match(ref.etag, std::regex(R"("r1-[0-9a-f]{16}")"))) << ref.etag;

    const ModelRevision model = store().get_model(workspace_, ref.id);
    EXPECT_EQ(model.name, "Bass diffusion");
    EXPECT_EQ(model.format, "holon-model/1");
    EXPECT_EQ(model.body, R"({"variables":[]})");
    EXPECT_EQ(model.bytes, 16);
    EXPECT_EQ(model.etag, ref.etag);
    EXPECT_EQ(model.revision, 1);
    EXPECT_EQ(model.workspace_id, workspace_);
}

TEST_F(ModelTest, UpdatesCreateImmutableRevisions) {
    const ModelRef first = store().create_model(workspace_, {"m", "holon-model/1", "one"});
    advance(10);
    const ModelRef second = store().update_model(workspace_, first.id, first.etag, {"m2", "holon-model/1", "two"});
    EXPECT_EQ(second.revision, 2);
    EXPECT_NE(second.etag, first.etag);

    EXPECT_EQ(store().get_model(workspace_, first.id).body, "two");
    EXPECT_EQ(store().get_model(workspace_, first.id).name, "m2");
    const ModelRevision old = store().get_model(workspace_, first.id, 1);
    EXPECT_EQ(old.body, "one");
    EXPECT_EQ(old.name, "m");
    EXPECT_EQ(old.etag, first.etag);
    EXPECT_THROW(store().get_model(workspace_, first.id, 3), NotFound);

    // The same body again is still a new revision with its own tag.
    const ModelRef third = store().update_model(workspace_, first.id, second.etag, {"m2", "holon-model/1", "two"});
    EXPECT_EQ(third.revision, 3);
    EXPECT_NE(third.etag, second.etag);
    EXPECT_EQ(third.etag.substr(4), second.etag.substr(4));  // same content hash

    const Page<RevisionInfo> revisions = store().list_revisions(workspace_, first.id, {});
    ASSERT_EQ(revisions.items.size(), 3u);
    EXPECT_EQ(revisions.items[0].revision, 1);
    EXPECT_EQ(revisions.items[0].bytes, 3);
    EXPECT_EQ(revisions.items[1].created_at, revisions.items[0].created_at + 10);
    EXPECT_EQ(revisions.items[2].etag, third.etag);

    const ModelSummary summary = store().list_models(workspace_, {}).items.at(0);
    EXPECT_EQ(summary.latest_revision, 3);
    EXPECT_EQ(summary.etag, third.etag);
    EXPECT_EQ(summary.created_at + 10, summary.updated_at);
}

TEST_F(ModelTest, StaleEtagIsAConflict) {
    const ModelRef first = store().create_model(workspace_, {"m", "holon-model/1", "one"});
    const ModelRef second = store().update_model(workspace_, first.id, first.etag, {"m", "holon-model/1", "two"});
    EXPECT_THROW(store().update_model(workspace_, first.id, first.etag, {"m", "holon-model/1", "three"}), Conflict);
    EXPECT_THROW(store().update_model(workspace_, first.id, "W/" + second.etag, {"m", "holon-model/1", "x"}), Conflict);
    EXPECT_EQ(store().get_model(workspace_, first.id).revision, 2);

    // An unquoted tag is the same tag.
    const std::string bare = second.etag.substr(1, second.etag.size() - 2);
    EXPECT_EQ(store().update_model(workspace_, first.id, bare, {"m", "holon-model/1", "three"}).revision, 3);
    EXPECT_THROW(store().update_model(workspace_, "mdl_missing", bare, {"m", "holon-model/1", "x"}), NotFound);
}

TEST_F(ModelTest, ConcurrentUpdatesWithOneEtagLetExactlyOneWin) {
    const ModelRef first = store().create_model(workspace_, {"m", "holon-model/1", "one"});
    std::atomic<int> wins = 0, conflicts = 0;
    std::vector<std::thread> writers;
    for (int i = 0; i < 4; ++i) {
        writers.emplace_back([&, i] {
            try {
                store().update_model(workspace_, first.id, first.etag, {"m", "holon-model/1", "writer " + std::to_string(i)});
                ++wins;
            } catch (const Conflict&) {
                ++conflicts;
            }
        });
    }
    for (auto& writer : writers) writer.join();
    EXPECT_EQ(wins, 1);
    EXPECT_EQ(conflicts, 3);
    EXPECT_EQ(store().get_model(workspace_, first.id).revision, 2);
}

TEST_F(ModelTest, ListPaginatesModelsAndRevisions) {
    std::set<std::string> created;
    for (int i = 0; i < 12; ++i) created.insert(store().create_model(workspace_, {"m", "holon-model/1", "{}"}).id);
    std::set<std::string> seen;
    PageRequest request{5, ""};
    do {
        const Page<ModelSummary> page = store().list_models(workspace_, request);
        for (const ModelSummary& model : page.items) EXPECT_TRUE(seen.insert(model.id).second);
        request.after = page.next;
    } while (!request.after.empty());
    EXPECT_EQ(seen, created);

    ModelRef ref = store().create_model(workspace_, {"r", "holon-model/1", "0"});
    for (int i = 1; i < 7; ++i) ref = store().update_model(workspace_, ref.id, ref.etag, {"r", "holon-model/1", std::to_string(i)});
    std::vector<std::int64_t> revisions;
    request = {2, ""};
    do {
        const Page<RevisionInfo> page = store().list_revisions(workspace_, ref.id, request);
        for (const RevisionInfo& revision : page.items) revisions.push_back(revision.revision);
        request.after = page.next;
    } while (!request.after.empty());
    EXPECT_EQ(revisions, (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7}));
}

TEST_F(ModelTest, DeleteRemovesTheModelAndItsRevisions) {
    const ModelRef first = store().create_model(workspace_, {"m", "holon-model/1", "one"});
    store().update_model(workspace_, first.id, first.etag, {"m", "holon-model/1", "two"});
    store().delete_model(workspace_, first.id);
    EXPECT_THROW(store().get_model(workspace_, first.id), NotFound);
    EXPECT_THROW(store().get_model(workspace_, first.id, 1), NotFound);
    EXPECT_THROW(store().list_revisions(workspace_, first.id, {}), NotFound);
    EXPECT_THROW(store().delete_model(workspace_, first.id), NotFound);
    EXPECT_EQ(query_int("SELECT COUNT(*) FROM model_revisions"), 0);
}

TEST_F(ModelTest, RejectsUnknownWorkspaceAndEmptyFormat) {
    EXPECT_THROW(store().create_model("ws_missing", {"m", "holon-model/1", "{}"}), NotFound);
    EXPECT_THROW(store().create_model(workspace_, {"m", "", "{}"}), InvalidArgument);
    EXPECT_THROW(store().list_models("ws_missing", {}), NotFound);
}

}  // namespace
}  // namespace holon::store::testing
