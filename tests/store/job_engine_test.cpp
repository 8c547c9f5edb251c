// The job engine with host methods (no runner processes): a run stopped by a draining engine is
// released to the queue without counting an attempt and runs at once on the next engine, without
// waiting for its lease to expire.
#include "jobs/job_engine.hpp"
#include "store_fixture.hpp"

#include <holon/holon_plugin.h>

#include <chrono>
#include <mutex>
#include <vector>
#include <thread>

namespace holon::store::testing {
namespace {

using namespace std::chrono_literals;

runner::TaskOutcome cancelled_outcome() { return execution::host_failure(HOLON_ERR_CANCELLED, "cancelled", "stopped"); }

// Runs until cancelled.
runner::TaskOutcome block_until_cancelled(const store::Run&, jobs::HostRunContext& context) {
    context.progress(0.25, "blocking", "");
    while (!context.cancel->load()) std::this_thread::sleep_for(2ms);
    return cancelled_outcome();
}

runner::TaskOutcome succeed(const store::Run&, jobs::HostRunContext&) {
    runner::TaskOutcome outcome;
    outcome.result_json = R"({"done":true})";
    return outcome;
}

class JobEngineTest : public ::testing::Test {
protected:
    JobEngineTest()
        : store_(open_sqlite_store(dir_.path() / "data")),
          pool_(runner::PoolOptions{}),
          executor_(registry_, pool_),
          workspace_(store_->create_workspace("w").id) {}

    std::unique_ptr<jobs::JobEngine> engine(const std::string& owner, jobs::HostMethod method) {
        jobs::EngineOptions options;
        options.owner = owner;
        options.workers = 1;
        options.lease_ms = 600'000;  // far longer than the test: only release() can free the run
        options.supervise_every = 20ms;
        options.idle_poll = 20ms;
        options.host_methods["test.method"] = std::move(method);
        return std::make_unique<jobs::JobEngine>(*store_, executor_, options);
    }

    store::Run queue(int max_attempts = 1) {
        return store_->create_run(workspace_, {"test.method", std::nullopt, std::nullopt, "{}", "{}", max_attempts});
    }

    store::Run wait_for_state(const std::string& run_id, RunState state) {
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        store::Run run = store_->get_run(workspace_, run_id);
        while (run.state != state && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(5ms);
            run = store_->get_run(workspace_, run_id);
        }
        return run;
    }

    TempDir dir_;
    std::unique_ptr<Store> store_;
    registry::Registry registry_;
    runner::RunnerPool pool_;
    execution::Executor executor_;
    std::string workspace_;
};

TEST_F(JobEngineTest, ARunStoppedByADrainingEngineIsReleasedWithoutUsingAnAttempt) {
    const auto run = queue(1);
    auto first = engine("host-a", block_until_cancelled);
    first->start();
    ASSERT_EQ(wait_for_state(run.id, RunState::running).state, RunState::running);
    first->stop(50ms);  // the run does not end within the grace: it is stopped and released
    EXPECT_EQ(first->stats().released, 1u);
    EXPECT_EQ(first->stats().cancelled, 0u);

    const auto released = store_->get_run(workspace_, run.id);
    EXPECT_EQ(released.state, RunState::queued);
    EXPECT_EQ(released.attempts, 0);
    EXPECT_FALSE(released.lease_owner);

    // The next engine takes it at once although the first lease would have lasted ten minutes,
    // and max_attempts 1 is still enough for it to run.
    auto second = engine("host-b", succeed);
    second->start();
    const auto done = second->wait_for_end(workspace_, run.id, std::chrono::milliseconds(20'000));
    second->stop(1s);
    EXPECT_EQ(done.state, RunState::succeeded);
    EXPECT_EQ(done.attempts, 1);
    EXPECT_EQ(store_->get_outputs(workspace_, run.id).result_json, R"({"done":true})");
}

TEST_F(JobEngineTest, ARunThatEndsWithinTheGraceIsFinishedNotReleased) {
    const auto run = queue();
    auto e = engine("host-a", [](const store::Run& r, jobs::HostRunContext& c) {
        std::this_thread::sleep_for(100ms);
        return succeed(r, c);
    });
    e->start();
    ASSERT_EQ(wait_for_state(run.id, RunState::running).state, RunState::running);
    e->stop(10s);
    EXPECT_EQ(e->stats().released, 0u);
    EXPECT_EQ(store_->get_run(workspace_, run.id).state, RunState::succeeded);
}

TEST_F(JobEngineTest, ACancelRequestedBeforeTheStopStillEndsCancelled) {
    const auto run = queue(3);
    auto e = engine("host-a", [](const store::Run&, jobs::HostRunContext& c) {
        // Ignores the cancel for a while, so that the stop arrives while the request is pending.
        std::this_thread::sleep_for(300ms);
        while (!c.cancel->load()) std::this_thread::sleep_for(2ms);
        return cancelled_outcome();
    });
    e->start();
    ASSERT_EQ(wait_for_state(run.id, RunState::running).state, RunState::running);
    store_->request_cancel(workspace_, run.id);
    e->stop(10ms);
    const auto after = store_->get_run(workspace_, run.id);
    EXPECT_EQ(after.state, RunState::cancelled);
    EXPECT_TRUE(after.finished_at);
}

TEST_F(JobEngineTest, HostMethodsReportProgressAsRunProgressAndEvents) {
    const auto run = queue();
    auto e = engine("host-a", block_until_cancelled);
    e->start();
    ASSERT_EQ(wait_for_state(run.id, RunState::running).state, RunState::running);
    // The stage is written before the event: wait for both.
    auto progress_event = [&] {
        for (const auto& ev : store_->list_events(workspace_, run.id, 0, 100))
            if (ev.type == "progress") return true;
        return false;
    };
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!progress_event() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
    EXPECT_TRUE(progress_event());
    const auto running = store_->get_run(workspace_, run.id);
    EXPECT_EQ(running.stage, "blocking");
    EXPECT_DOUBLE_EQ(running.progress, 0.25);
    store_->request_cancel(workspace_, run.id);
    e->cancel(run.id);
    EXPECT_EQ(e->wait_for_end(workspace_, run.id, std::chrono::milliseconds(10'000)).state, RunState::cancelled);
    e->stop(1s);
}

// Issue 14, finding 13: the supervisor renewed the lease of a run the worker had just finished and
// logged "lease lost" (level error) for about one successful run in five.
TEST_F(JobEngineTest, RunsThatFinishWhileTheSupervisorRenewsAreNotReportedAsLostLeases) {
    std::mutex mutex;
    std::vector<std::string> errors;
    jobs::EngineOptions options;
    options.owner = "host-a";
    options.workers = 2;
    options.supervise_every = 1ms;  // renewals race every finish
    options.idle_poll = 5ms;
    options.host_methods["test.method"] = [](const store::Run& r, jobs::HostRunContext& c) {
        std::this_thread::sleep_for(2ms);
        return succeed(r, c);
    };
    options.on_error = [&](const std::string& run, const std::string& message) {
        std::lock_guard lock(mutex);
        errors.push_back(run + ": " + message);
    };
    jobs::JobEngine e(*store_, executor_, options);
    std::vector<store::Run> runs;
    for (int i = 0; i < 150; ++i) runs.push_back(queue());
    e.start();
    for (const auto& run : runs) EXPECT_EQ(e.wait_for_end(workspace_, run.id, 20s).state, RunState::succeeded);
    e.stop(1s);
    std::lock_guard lock(mutex);
    EXPECT_TRUE(errors.empty()) << errors.size() << " errors, first: " << errors.front();
}

}  // namespace
}  // namespace holon::store::testing
