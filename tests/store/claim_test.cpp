#include "store_fixture.hpp"

#include <algorithm>
#include <thread>

namespace holon::store::testing {
namespace {


class ClaimTest : public StoreTest {
protected:
    ClaimTest() : workspace_(store().create_workspace("w").id) {}

    Run queue(std::optional<int> max_attempts = std::nullopt) {
        return store().create_run(workspace_, {"sd.simulate", std::nullopt, std::nullopt, "{}", "{}", max_attempts});
    }

    std::string workspace_;
};

TEST_F(ClaimTest, ClaimsTheOldestQueuedRunWithALease) {
    EXPECT_FALSE(store().claim("host", 1000));
    const Run first = queue();
    advance(1);
    const Run second = queue();

    const auto claimed = store().claim("host", 1000);
    ASSERT_TRUE(claimed);
    EXPECT_EQ(claimed->id, first.id);
    EXPECT_EQ(claimed->state, RunState::running);
    EXPECT_EQ(claimed->attempts, 1);
    EXPECT_EQ(claimed->lease_owner, "host");
    EXPECT_EQ(claimed->lease_expires_at, now() + 1000);
    EXPECT_EQ(claimed->started_at, now());
    EXPECT_EQ(store().claim("host", 1000)->id, second.id);
    EXPECT_FALSE(store().claim("host", 1000));
    EXPECT_THROW(store().claim("", 1000), InvalidArgument);
    EXPECT_THROW(store().claim("host", 0), InvalidArgument);
}

TEST_F(ClaimTest, RenewingKeepsTheLease) {
    const Run run = queue();
    ASSERT_TRUE(store().claim("a", 1000));
    advance(900);
    EXPECT_TRUE(store().renew_lease(run.id, "a", 1, 1000));
    EXPECT_FALSE(store().renew_lease(run.id, "b", 1, 1000));
    advance(900);  // past the first lease, inside the renewed one
    EXPECT_FALSE(store().claim("b", 1000));
    EXPECT_EQ(store().get_run(workspace_, run.id).lease_expires_at, now() + 100);
}

TEST_F(ClaimTest, TwoThreadsNeverClaimTheSameRun) {
    constexpr int runs = 150;
    std::vector<std::string> queued;
    for (int i = 0; i < runs; ++i) queued.push_back(queue().id);

    std::vector<std::string> claimed_by[2];
    std::vector<std::thread> workers;
    for (int w = 0; w < 2; ++w) {
        workers.emplace_back([&, w] {
            const std::string owner = "host-" + std::to_string(w);
            while (const auto run = store().claim(owner, 60'000)) {
                claimed_by[w].push_back(run->id);
                store().finish(run->id, owner, run->attempts, {RunState::succeeded, "", {}});
            }
        });
    }
    for (auto& worker : workers) worker.join();

    std::vector<std::string> all = claimed_by[0];
    all.insert(all.end(), claimed_by[1].begin(), claimed_by[1].end());
    std::sort(all.begin(), all.end());
    EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end()) << "a run was claimed twice";
    std::sort(queued.begin(), queued.end());
    EXPECT_EQ(all, queued);
    for (const Run& run : store().list_runs(workspace_, {1000, ""}).items) {
        EXPECT_EQ(run.state, RunState::succeeded);
        EXPECT_EQ(run.attempts, 1);
    }
}

TEST_F(ClaimTest, AnExpiredLeaseIsClaimedAgain) {
    const Run run = queue();
    ASSERT_TRUE(store().claim("dead-host", 1000));
    advance(999);
    EXPECT_FALSE(store().claim("other", 1000));
    advance(2);
    const auto reclaimed = store().claim("other", 1000);
    ASSERT_TRUE(reclaimed);
    EXPECT_EQ(reclaimed->id, run.id);
    EXPECT_EQ(reclaimed->attempts, 2);
    EXPECT_EQ(reclaimed->lease_owner, "other");

    // The old owner has lost the run: it can neither renew nor finish it.
    EXPECT_FALSE(store().renew_lease(run.id, "dead-host", 1, 1000));
    EXPECT_FALSE(store().finish(run.id, "dead-host", 1, {RunState::succeeded, "", {"{}", {}, {}}}));
    EXPECT_TRUE(store().finish(run.id, "other", reclaimed->attempts, {RunState::succeeded, "", {}}));
}

// Fencing is by claim, not only by host: a host whose worker hung past its lease may claim the
// same run again (the rescue put it back in the queue). The hung worker's attempt then holds
// nothing: it cannot renew, release or finish the run; only the current attempt can.
TEST_F(ClaimTest, AStaleAttemptOfTheSameHostCannotRenewReleaseOrFinish) {
    const Run run = queue();
    const auto first = store().claim("host", 1000);
    ASSERT_TRUE(first);
    ASSERT_EQ(first->attempts, 1);
    advance(1001);
    const auto second = store().claim("host", 1000);  // rescued and claimed again by the same host
    ASSERT_TRUE(second);
    ASSERT_EQ(second->id, run.id);
    ASSERT_EQ(second->attempts, 2);

    EXPECT_FALSE(store().renew_lease(run.id, "host", first->attempts, 60'000));
    EXPECT_FALSE(store().release(run.id, "host", first->attempts));
    RunOutputs stale_outputs{R"({"from":"the stale attempt"})", {{"t", {"x"}, {{1}}}}, {}};
    EXPECT_FALSE(store().finish(run.id, "host", first->attempts, {RunState::failed, R"({"title":"stale"})", stale_outputs}));
    // None of them changed anything: still the second attempt's, with its own lease and no outputs.
    const Run held = store().get_run(workspace_, run.id);
    EXPECT_EQ(held.state, RunState::running);
    EXPECT_EQ(held.attempts, 2);
    EXPECT_EQ(held.lease_owner, "host");
    EXPECT_EQ(held.lease_expires_at, now() + 1000);
    EXPECT_EQ(store().get_outputs(workspace_, run.id).result_json, "");
    EXPECT_EQ(query_int("SELECT COUNT(*) FROM run_tables"), 0);

    EXPECT_TRUE(store().renew_lease(run.id, "host", second->attempts, 60'000));
    EXPECT_TRUE(store().finish(run.id, "host", second->attempts, {RunState::succeeded, "", {R"({"ok":true})", {}, {}}}));
    const Run done = store().get_run(workspace_, run.id);
    EXPECT_EQ(done.state, RunState::succeeded);
    EXPECT_EQ(store().get_outputs(workspace_, run.id).result_json, R"({"ok":true})");
    // Once finished, no attempt holds it.
    EXPECT_FALSE(store().finish(run.id, "host", second->attempts, {RunState::failed, "", {}}));
}

// Only the attempt number the claim returned fits the fence, not a later or an earlier one.
TEST_F(ClaimTest, AnAttemptOtherThanTheClaimsIsRefused) {
    const Run run = queue();
    const auto claimed = store().claim("host", 1000);
    ASSERT_TRUE(claimed);
    EXPECT_FALSE(store().finish(run.id, "host", claimed->attempts + 1, {RunState::succeeded, "", {}}));
    EXPECT_FALSE(store().renew_lease(run.id, "host", 0, 1000));
    EXPECT_TRUE(store().finish(run.id, "host", claimed->attempts, {RunState::succeeded, "", {}}));
}

TEST_F(ClaimTest, ARescueIsOnRecordAndCounted) {
    const Run run = queue();
    EXPECT_EQ(store().count_rescues(), 0);
    ASSERT_TRUE(store().claim("dead-host", 1000));
    advance(1001);
    ASSERT_TRUE(store().claim("other", 1000));
    EXPECT_EQ(store().count_rescues(), 1);
    std::vector<std::string> types;
    std::string rescue;
    for (const RunEvent& event : store().list_events(workspace_, run.id, 0, 100)) {
        types.push_back(event.type == "state" ? event.data_json : event.type);
        if (event.type == "rescued") rescue = event.data_json;
    }
    EXPECT_EQ(types, (std::vector<std::string>{"{\"state\":\"queued\"}", "{\"state\":\"running\"}", "rescued",
                                               "{\"state\":\"queued\"}", "{\"state\":\"running\"}"}));
    EXPECT_NE(rescue.find("\"previous_owner\":\"dead-host\""), std::string::npos) << rescue;
    EXPECT_NE(rescue.find("\"attempts\":1"), std::string::npos) << rescue;
}

TEST_F(ClaimTest, AnExpiredLeaseWithoutAttemptsLeftFails) {
    const Run run = queue(1);
    ASSERT_TRUE(store().claim("dead-host", 1000));
    advance(1001);
    EXPECT_FALSE(store().claim("other", 1000));
    const Run failed = store().get_run(workspace_, run.id);
    EXPECT_EQ(failed.state, RunState::failed);
    EXPECT_NE(failed.error_json.find("\"/problems/host-crashed\""), std::string::npos) << failed.error_json;
    EXPECT_EQ(failed.finished_at, now());
}

TEST_F(ClaimTest, RecoveryAfterACrashRequeuesFailsOrCancels) {
    const Run retry = queue(3);
    advance(1);  // claims go oldest first
    const Run exhausted = queue(1);
    advance(1);
    const Run cancel = queue(3);
    advance(1);
    const Run untouched = queue(3);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(store().claim("dead-host", 60'000));
    store().request_cancel(workspace_, cancel.id);
    store().set_progress(retry.id, 0.5, "half");

    // The host restarts with a fresh store on the same files.
    store_.reset();
    store_ = open();
    const RecoveryReport report = store().recover_after_crash(RecoveryScope::all_running);
    EXPECT_EQ(report.requeued, std::vector<std::string>{retry.id});
    EXPECT_EQ(report.failed, std::vector<std::string>{exhausted.id});
    EXPECT_EQ(report.cancelled, std::vector<std::string>{cancel.id});

    const Run requeued = store().get_run(workspace_, retry.id);
    EXPECT_EQ(requeued.state, RunState::queued);
    EXPECT_DOUBLE_EQ(requeued.progress, 0);
    EXPECT_FALSE(requeued.lease_owner);
    EXPECT_EQ(store().get_run(workspace_, exhausted.id).state, RunState::failed);
    EXPECT_NE(store().get_run(workspace_, exhausted.id).error_json.find("/problems/host-crashed"), std::string::npos);
    EXPECT_EQ(store().get_run(workspace_, cancel.id).state, RunState::cancelled);
    EXPECT_EQ(store().get_run(workspace_, untouched.id).state, RunState::queued);
    EXPECT_TRUE(store().list_runs(workspace_, {}, RunState::running).items.empty());

    // The re-queued run is the oldest queued one, so it is picked up first.
    const auto next = store().claim("new-host", 1000);
    ASSERT_TRUE(next);
    EXPECT_EQ(next->id, retry.id);
    EXPECT_EQ(next->attempts, 2);
}

TEST_F(ClaimTest, RecoveryOfExpiredLeasesLeavesLiveLeasesAlone) {
    const Run stale = queue();
    ASSERT_TRUE(store().claim("dead-host", 1000));
    advance(500);
    const Run live = queue();
    ASSERT_TRUE(store().claim("live-host", 5000));
    advance(600);
    const RecoveryReport report = store().recover_after_crash(RecoveryScope::expired_leases);
    EXPECT_EQ(report.requeued, std::vector<std::string>{stale.id});
    EXPECT_EQ(store().get_run(workspace_, live.id).state, RunState::running);
}

}  // namespace
}  // namespace holon::store::testing
