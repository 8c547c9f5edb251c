// Child runs (issue 20 part 3): the chunks of a batch's points are runs with a parent, which any
// host claims like other runs, which the batch that queued them may claim by id, and which are
// neither listed nor counted against the workspace's runs in flight.
#include "store_fixture.hpp"

namespace holon::store::testing {
namespace {

class ChildRunsTest : public StoreTest {
protected:
    ChildRunsTest() : workspace_(store().create_workspace("w").id) {}

    Run queue(std::optional<std::string> parent = std::nullopt, std::string method = "sd.simulate") {
        NewRun run;
        run.method = std::move(method);
        run.parent_id = std::move(parent);
        return store().create_run(workspace_, run);
    }

    std::string workspace_;
};

TEST_F(ChildRunsTest, ChildrenAreNeitherListedNorCountedInFlight) {
    const Run batch = queue(std::nullopt, "holon.batch");
    advance(1);
    const Run a = queue(batch.id, "holon.batch-chunk");
    advance(1);  // oldest first: runs queued in the same millisecond come in id order
    const Run b = queue(batch.id, "holon.batch-chunk");
    EXPECT_EQ(a.parent_id, batch.id);
    EXPECT_EQ(store().get_run(workspace_, a.id).parent_id, batch.id);
    EXPECT_FALSE(store().get_run(workspace_, batch.id).parent_id);

    const auto listed = store().list_runs(workspace_, {});
    ASSERT_EQ(listed.items.size(), 1u);
    EXPECT_EQ(listed.items[0].id, batch.id);
    EXPECT_EQ(store().count_in_flight(workspace_), 1);
    EXPECT_EQ(store().count_runs_by_state()[RunState::queued], 1);

    const auto children = store().list_child_runs(batch.id);
    ASSERT_EQ(children.size(), 2u);
    EXPECT_EQ(children[0].id, a.id);
    EXPECT_EQ(children[1].id, b.id);
    const auto states = store().child_run_states(batch.id);
    ASSERT_EQ(states.size(), 2u);
    EXPECT_EQ(states[0].first, a.id);
    EXPECT_EQ(states[0].second, RunState::queued);
    EXPECT_TRUE(store().list_child_runs(a.id).empty());
}

TEST_F(ChildRunsTest, AParentMustBeARunOfTheSameWorkspace) {
    const Run batch = queue(std::nullopt, "holon.batch");
    const std::string other = store().create_workspace("other").id;
    NewRun child;
    child.method = "holon.batch-chunk";
    child.parent_id = batch.id;
    EXPECT_THROW(store().create_run(other, child), NotFound);
    child.parent_id = "run_unknown";
    EXPECT_THROW(store().create_run(workspace_, child), NotFound);
}

TEST_F(ChildRunsTest, ARunIsClaimedByIdOnlyWhileQueued) {
    const Run batch = queue(std::nullopt, "holon.batch");
    advance(1);
    const Run chunk = queue(batch.id, "holon.batch-chunk");
    const auto mine = store().claim_run(chunk.id, "host-a", 1000);
    ASSERT_TRUE(mine);
    EXPECT_EQ(mine->id, chunk.id);
    EXPECT_EQ(mine->state, RunState::running);
    EXPECT_EQ(mine->attempts, 1);
    EXPECT_EQ(mine->lease_owner, "host-a");
    EXPECT_FALSE(store().claim_run(chunk.id, "host-b", 1000));  // taken
    EXPECT_FALSE(store().claim_run("run_unknown", "host-b", 1000));
    // The ordinary claim skips it and takes the batch (the oldest queued run).
    const auto next = store().claim("host-b", 1000);
    ASSERT_TRUE(next);
    EXPECT_EQ(next->id, batch.id);
    EXPECT_FALSE(store().claim("host-b", 1000));
    EXPECT_EQ(store().child_run_states(batch.id)[0].second, RunState::running);
}

TEST_F(ChildRunsTest, AnyHostClaimsChildrenAndTheyGoWithTheirParent) {
    const Run batch = queue(std::nullopt, "holon.batch");
    ASSERT_TRUE(store().claim("coordinator", 1000));
    const Run chunk = queue(batch.id, "holon.batch-chunk");
    const auto claimed = store().claim("helper", 1000);
    ASSERT_TRUE(claimed);
    EXPECT_EQ(claimed->id, chunk.id);
    RunOutcome done;
    done.outputs.result_json = R"({"points":[]})";
    ASSERT_TRUE(store().finish(chunk.id, "helper", 1, done));
    ASSERT_TRUE(store().finish(batch.id, "coordinator", 1, RunOutcome{}));
    store().delete_run(workspace_, batch.id);
    EXPECT_THROW(store().get_run(workspace_, chunk.id), NotFound);
}

}  // namespace
}  // namespace holon::store::testing
