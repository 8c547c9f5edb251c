// Workspace B must see none of workspace A's rows: every workspace-scoped call with A's ids and
// B's workspace answers NotFound, lists exclude A's rows, and A's rows stay unchanged.
#include "store_fixture.hpp"

namespace holon::store::testing {
namespace {

class TenancyTest : public StoreTest {
protected:
    TenancyTest() {
        a_ = store().create_workspace("client A").id;
        b_ = store().create_workspace("client B").id;
        token_ = store().create_token(a_, Role::admin, std::nullopt);
        model_ = store().create_model(a_, {"A's model", "holon-model/1", R"({"secret":"A"})"});
        run_ = store().create_run(a_, {"sd.simulate", model_.id, std::nullopt, "{}", "{}", std::nullopt}).id;
        finished_run_ = store().create_run(a_, {"sd.simulate", std::nullopt, std::nullopt, "{}", "{}", std::nullopt}).id;
        const auto claimed = store().claim("host", 60'000);  // run_, the older one
        const auto second = store().claim("host", 60'000);
        EXPECT_TRUE(claimed && second);
        EXPECT_TRUE(store().finish(second->id, "host", second->attempts,
                                   {RunState::succeeded, "", {"{}", {{"t", {"x"}, {{1}}}}, {{"b", "text/plain", "x"}}}}));
        if (second->id != finished_run_) std::swap(run_, finished_run_);
        store().create_model(b_, {"B's model", "holon-model/1", "{}"});
    }

    std::string a_, b_;
    NewToken token_;
    ModelRef model_;
    std::string run_, finished_run_;
};

TEST_F(TenancyTest, ModelsOfAnotherWorkspaceDoNotExist) {
    EXPECT_THROW(store().get_model(b_, model_.id), NotFound);
    EXPECT_THROW(store().get_model(b_, model_.id, 1), NotFound);
    EXPECT_THROW(store().update_model(b_, model_.id, model_.etag, {"x", "holon-model/1", "{}"}), NotFound);
    EXPECT_THROW(store().delete_model(b_, model_.id), NotFound);
    EXPECT_THROW(store().list_revisions(b_, model_.id, {}), NotFound);
    for (const ModelSummary& model : store().list_models(b_, {1000, ""}).items) EXPECT_NE(model.id, model_.id);
    EXPECT_EQ(store().list_models(b_, {1000, ""}).items.size(), 1u);
    EXPECT_THROW(store().create_run(b_, {"sd.simulate", model_.id, std::nullopt, "{}", "{}", std::nullopt}), NotFound);
    EXPECT_THROW(store().create_run(b_, {"sd.simulate", model_.id, 1, "{}", "{}", std::nullopt}), NotFound);

    const ModelRevision untouched = store().get_model(a_, model_.id);
    EXPECT_EQ(untouched.revision, 1);
    EXPECT_EQ(untouched.body, R"({"secret":"A"})");
}

TEST_F(TenancyTest, RunsOfAnotherWorkspaceDoNotExist) {
    for (const std::string& run : {run_, finished_run_}) {
        EXPECT_THROW(store().get_run(b_, run), NotFound);
        EXPECT_THROW(store().request_cancel(b_, run), NotFound);
        EXPECT_THROW(store().list_events(b_, run, 0, 100), NotFound);
        EXPECT_THROW(store().get_outputs(b_, run), NotFound);
    }
    EXPECT_THROW(store().get_result_table(b_, finished_run_, "t"), NotFound);
    EXPECT_THROW(store().get_result_blob(b_, finished_run_, "b"), NotFound);
    EXPECT_TRUE(store().list_runs(b_, {}).items.empty());
    EXPECT_TRUE(store().list_runs(b_, {}, RunState::running).items.empty());
    EXPECT_EQ(store().count_in_flight(b_), 0);

    EXPECT_FALSE(store().get_run(a_, run_).cancel_requested);
    EXPECT_EQ(store().list_runs(a_, {}).items.size(), 2u);
    EXPECT_EQ(store().get_result_table(a_, finished_run_, "t").values[0][0], 1);
}

TEST_F(TenancyTest, TokensOfAnotherWorkspaceDoNotExist) {
    EXPECT_THROW(store().get_token(b_, token_.id), NotFound);
    EXPECT_THROW(store().revoke_token(b_, token_.id), NotFound);
    EXPECT_THROW(store().get_token("", token_.id), NotFound);  // nor are they global tokens
    EXPECT_THROW(store().revoke_token("", token_.id), NotFound);
    EXPECT_TRUE(store().list_tokens(b_, {}).items.empty());
    EXPECT_TRUE(store().list_tokens("", {}).items.empty());
    EXPECT_TRUE(store().authenticate(token_.secret));
}

TEST_F(TenancyTest, DeletingAnotherWorkspaceLeavesThisOneAlone) {
    store().delete_workspace(b_);
    EXPECT_EQ(store().get_model(a_, model_.id).revision, 1);
    EXPECT_EQ(store().list_runs(a_, {}).items.size(), 2u);
    EXPECT_TRUE(store().authenticate(token_.secret));
}

}  // namespace
}  // namespace holon::store::testing
