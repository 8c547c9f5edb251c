#include "store_fixture.hpp"

#include <set>

namespace holon::store::testing {
namespace {


class RunTest : public StoreTest {
protected:
    RunTest() : workspace_(store().create_workspace("w").id) {}

    Run queue(const std::string& method = "sd.simulate") {
        return store().create_run(workspace_, {method, std::nullopt, std::nullopt, R"({"steps":10})", "{}", std::nullopt});
    }

    std::vector<std::string> event_states(const std::string& run_id) {
        std::vector<std::string> states;
        for (const RunEvent& event : store().list_events(workspace_, run_id, 0, 100))
            if (event.type == "state") states.push_back(event.data_json);
        return states;
    }

    std::string workspace_;
};

TEST_F(RunTest, CreatedRunIsQueuedAndPinsTheModelRevision) {
    ModelRef model = store().create_model(workspace_, {"m", "holon-model/1", "{}"});
    model = store().update_model(workspace_, model.id, model.etag, {"m", "holon-model/1", "{\"v\":2}"});

    const Run run = store().create_run(workspace_, {"sd.simulate", model.id, std::nullopt, "{\"a\":1}", "{\"wall_seconds\":5}", std::nullopt});
    EXPECT_EQ(run.id.rfind("run_", 0), 0u);
    EXPECT_EQ(run.state, RunState::queued);
    EXPECT_EQ(run.model_revision, 2);
    EXPECT_EQ(run.max_attempts, 3);

    const Run fetched = store().get_run(workspace_, run.id);
    EXPECT_EQ(fetched.method, "sd.simulate");
    EXPECT_EQ(fetched.model_id, model.id);
    EXPECT_EQ(fetched.model_revision, 2);
    EXPECT_EQ(fetched.params_json, "{\"a\":1}");
    EXPECT_EQ(fetched.limits_json, "{\"wall_seconds\":5}");
    EXPECT_EQ(fetched.state, RunState::queued);
    EXPECT_EQ(fetched.attempts, 0);
    EXPECT_FALSE(fetched.started_at);
    EXPECT_EQ(fetched.created_at, now());

    const Run pinned = store().create_run(workspace_, {"sd.simulate", model.id, 1, "{}", "{}", 1});
    EXPECT_EQ(pinned.model_revision, 1);
    EXPECT_EQ(store().get_run(workspace_, pinned.id).max_attempts, 1);
}

TEST_F(RunTest, RejectsMissingModelsAndBadRequests) {
    const ModelRef model = store().create_model(workspace_, {"m", "holon-model/1", "{}"});
    EXPECT_THROW(store().create_run(workspace_, {"sd.simulate", "mdl_missing", std::nullopt, "{}", "{}", std::nullopt}), NotFound);
    EXPECT_THROW(store().create_run(workspace_, {"sd.simulate", model.id, 2, "{}", "{}", std::nullopt}), NotFound);
    EXPECT_THROW(store().create_run(workspace_, {"sd.simulate", std::nullopt, 1, "{}", "{}", std::nullopt}), InvalidArgument);
    EXPECT_THROW(store().create_run(workspace_, {"", std::nullopt, std::nullopt, "{}", "{}", std::nullopt}), InvalidArgument);
    EXPECT_THROW(store().create_run("ws_missing", {"sd.simulate", std::nullopt, std::nullopt, "{}", "{}", std::nullopt}), NotFound);
    EXPECT_THROW(store().get_run(workspace_, "run_missing"), NotFound);
}

TEST_F(RunTest, ListFiltersByStateAndPaginates) {
    std::set<std::string> all;
    for (int i = 0; i < 9; ++i) {
        all.insert(queue().id);
        advance(i % 2);
    }
    const auto claimed = store().claim("host", 60'000);
    ASSERT_TRUE(claimed);

    std::set<std::string> seen;
    PageRequest request{4, ""};
    do {
        const Page<Run> page = store().list_runs(workspace_, request);
        for (const Run& run : page.items) EXPECT_TRUE(seen.insert(run.id).second);
        request.after = page.next;
    } while (!request.after.empty());
    EXPECT_EQ(seen, all);

    const Page<Run> running = store().list_runs(workspace_, {}, RunState::running);
    ASSERT_EQ(running.items.size(), 1u);
    EXPECT_EQ(running.items[0].id, claimed->id);
    EXPECT_EQ(store().list_runs(workspace_, {}, RunState::queued).items.size(), 8u);
    EXPECT_EQ(store().list_runs(workspace_, {3, ""}, RunState::queued).next.empty(), false);
    EXPECT_EQ(store().count_in_flight(workspace_), 9);

    const std::string other = store().create_workspace("other").id;
    const Run cancelled = store().create_run(other, {"cld.loops", std::nullopt, std::nullopt, "{}", "{}", std::nullopt});
    store().request_cancel(other, cancelled.id);
    const auto counts = store().count_runs_by_state();
    EXPECT_EQ(counts.at(RunState::queued), 8);
    EXPECT_EQ(counts.at(RunState::running), 1);
    EXPECT_EQ(counts.at(RunState::cancelled), 1);
    EXPECT_EQ(counts.at(RunState::succeeded), 0);
    EXPECT_EQ(counts.at(RunState::failed), 0);
    EXPECT_EQ(store().count_in_flight(other), 0);
}

TEST_F(RunTest, CancellingAQueuedRunEndsIt) {
    const Run run = queue();
    const Run cancelled = store().request_cancel(workspace_, run.id);
    EXPECT_EQ(cancelled.state, RunState::cancelled);
    EXPECT_EQ(cancelled.finished_at, now());
    EXPECT_FALSE(store().claim("host", 1000));
    EXPECT_EQ(store().count_in_flight(workspace_), 0);
    EXPECT_EQ(event_states(run.id), (std::vector<std::string>{R"({"state":"queued"})", R"({"state":"cancelled"})"}));
}

TEST_F(RunTest, CancellingARunningRunAsksItsWorker) {
    const Run run = queue();
    ASSERT_TRUE(store().claim("host", 60'000));
    const Run requested = store().request_cancel(workspace_, run.id);
    EXPECT_EQ(requested.state, RunState::running);
    EXPECT_TRUE(requested.cancel_requested);
    EXPECT_TRUE(store().finish(run.id, "host", 1, {RunState::cancelled, "", {}}));
    const Run finished = store().get_run(workspace_, run.id);
    EXPECT_EQ(finished.state, RunState::cancelled);
    // Cancelling a finished run changes nothing.
    EXPECT_EQ(store().request_cancel(workspace_, run.id).state, RunState::cancelled);
    const auto events = store().list_events(workspace_, run.id, 0, 100);
    std::vector<std::string> types;
    for (const RunEvent& event : events) types.push_back(event.type);
    EXPECT_EQ(types, (std::vector<std::string>{"state", "state", "cancel-requested", "state"}));
}

TEST_F(RunTest, ProgressAndFinish) {
    const Run run = queue();
    ASSERT_TRUE(store().claim("host", 60'000));
    store().set_progress(run.id, 0.25, "integrating");
    Run current = store().get_run(workspace_, run.id);
    EXPECT_DOUBLE_EQ(current.progress, 0.25);
    EXPECT_EQ(current.stage, "integrating");
    store().set_progress(run.id, 7, "overshoot");
    EXPECT_DOUBLE_EQ(store().get_run(workspace_, run.id).progress, 1.0);
    EXPECT_THROW(store().set_progress("run_missing", 0.5, ""), NotFound);

    EXPECT_THROW(store().finish(run.id, "host", 1, {RunState::running, "", {}}), InvalidArgument);
    EXPECT_FALSE(store().finish(run.id, "another-host", 1, {RunState::succeeded, "", {}}));
    const std::string problem = R"({"type":"/problems/run-time-limit","title":"Run time limit","status":422})";
    advance(40);
    EXPECT_TRUE(store().finish(run.id, "host", 1, {RunState::failed, problem, {}}));
    EXPECT_FALSE(store().finish(run.id, "host", 1, {RunState::succeeded, "", {}}));
    current = store().get_run(workspace_, run.id);
    EXPECT_EQ(current.state, RunState::failed);
    EXPECT_EQ(current.error_json, problem);
    EXPECT_EQ(current.finished_at, now());
    EXPECT_FALSE(current.lease_owner);
    EXPECT_EQ(store().count_in_flight(workspace_), 0);
    // A finished run ignores late progress.
    store().set_progress(run.id, 0.5, "late");
    EXPECT_EQ(store().get_run(workspace_, run.id).stage, "overshoot");
}

TEST_F(RunTest, EventsHaveIncreasingIdsAndResumeAfterAnId) {
    const Run run = queue();
    const Run other = queue();
    EXPECT_EQ(store().append_event(run.id, "progress", R"({"fraction":0.1})"), 2);  // 1 is "queued"
    EXPECT_EQ(store().append_event(other.id, "progress", "{}"), 2);
    EXPECT_EQ(store().append_event(run.id, "progress", R"({"fraction":0.2})"), 3);
    EXPECT_EQ(store().append_event(run.id, "log", R"({"message":"hi"})"), 4);
    EXPECT_THROW(store().append_event("run_missing", "log", "{}"), NotFound);

    const auto resumed = store().list_events(workspace_, run.id, 2, 100);
    ASSERT_EQ(resumed.size(), 2u);
    EXPECT_EQ(resumed[0].id, 3);
    EXPECT_EQ(resumed[0].data_json, R"({"fraction":0.2})");
    EXPECT_EQ(resumed[1].id, 4);
    EXPECT_EQ(resumed[1].type, "log");
    EXPECT_EQ(store().list_events(workspace_, run.id, 0, 2).size(), 2u);
    EXPECT_TRUE(store().list_events(workspace_, run.id, 4, 100).empty());
}

}  // namespace
}  // namespace holon::store::testing
