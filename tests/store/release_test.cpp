// Store::release: a draining server gives a run back to the queue without using up an attempt.
#include "store_fixture.hpp"

namespace holon::store::testing {
namespace {

class ReleaseTest : public StoreTest {
protected:
    ReleaseTest() : workspace_(store().create_workspace("w").id) {}

    Run queue(int max_attempts) {
        return store().create_run(workspace_, {"sd.simulate", std::nullopt, std::nullopt, "{}", "{}", max_attempts});
    }

    std::string workspace_;
};

TEST_F(ReleaseTest, AReleasedRunIsQueuedAgainWithoutCountingTheAttempt) {
    const Run run = queue(1);
    ASSERT_TRUE(store().claim("a", 1000));
    store().set_progress(run.id, 0.5, "half way");
    advance(10);
    EXPECT_FALSE(store().release(run.id, "b", 1));  // not b's run
    ASSERT_TRUE(store().release(run.id, "a", 1));

    const Run released = store().get_run(workspace_, run.id);
    EXPECT_EQ(released.state, RunState::queued);
    EXPECT_EQ(released.attempts, 0);
    EXPECT_EQ(released.progress, 0);
    EXPECT_EQ(released.stage, "");
    EXPECT_FALSE(released.lease_owner);
    EXPECT_FALSE(released.lease_expires_at);
    EXPECT_FALSE(released.finished_at);
    EXPECT_FALSE(store().release(run.id, "a", 1));  // no longer held

    // Claimable at once (no lease to wait for), and with max_attempts 1 it still gets its one
    // attempt: a crash now fails it, as if the release had never happened.
    const auto again = store().claim("b", 1000);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->id, run.id);
    EXPECT_EQ(again->attempts, 1);
    const auto report = store().recover_after_crash(RecoveryScope::all_running);
    EXPECT_EQ(report.failed, std::vector<std::string>{run.id});
}

TEST_F(ReleaseTest, ReleasingManyTimesNeverExhaustsTheAttempts) {
    const Run run = queue(2);
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(store().claim("a", 1000));
        ASSERT_TRUE(store().release(run.id, "a", 1));
    }
    EXPECT_EQ(store().get_run(workspace_, run.id).attempts, 0);
    EXPECT_EQ(store().get_run(workspace_, run.id).state, RunState::queued);
}

TEST_F(ReleaseTest, ARunWhoseCancelWasRequestedEndsCancelled) {
    const Run run = queue(3);
    ASSERT_TRUE(store().claim("a", 1000));
    store().request_cancel(workspace_, run.id);
    ASSERT_TRUE(store().release(run.id, "a", 1));
    const Run after = store().get_run(workspace_, run.id);
    EXPECT_EQ(after.state, RunState::cancelled);
    EXPECT_TRUE(after.finished_at);
    EXPECT_FALSE(store().claim("a", 1000));
}

TEST_F(ReleaseTest, ReleaseRecordsAStateEventAndIgnoresUnknownOrFinishedRuns) {
    const Run run = queue(3);
    ASSERT_TRUE(store().claim("a", 1000));
    ASSERT_TRUE(store().release(run.id, "a", 1));
    const auto events = store().list_events(workspace_, run.id, 0, 100);
    ASSERT_EQ(events.size(), 3u);  // queued, running, queued
    EXPECT_EQ(events.back().type, "state");
    EXPECT_NE(events.back().data_json.find("queued"), std::string::npos);

    EXPECT_FALSE(store().release("run_missing", "a", 1));
    ASSERT_TRUE(store().claim("a", 1000));
    ASSERT_TRUE(store().finish(run.id, "a", 1, RunOutcome{}));
    EXPECT_FALSE(store().release(run.id, "a", 1));
    EXPECT_EQ(store().get_run(workspace_, run.id).state, RunState::succeeded);
}

}  // namespace
}  // namespace holon::store::testing
