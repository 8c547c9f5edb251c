// The pool with well-behaved plugins: results, describe, ABI refusal, cancellation, nested
// invokes, the warm pool, and process / descriptor hygiene.
#include "runner_pool.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <thread>
#include <unistd.h>

namespace holon::runner {
namespace {

using nlohmann::json;
using test::fixture;
using Clock = std::chrono::steady_clock;

TaskRequest echo_request(json params) {
    TaskRequest request;
    request.plugin = fixture(HOLON_FIXTURE_ECHO);
    request.plugin.plugin_id = "fixture.echo";
    request.plugin.plugin_version = "1.0.0";
    request.method_id = "fixture.echo.run";
    request.model_json = R"({"schema":"holon-model/1","variables":[]})";
    request.params_json = params.dump();
    request.limits = test::small_limits();
    return request;
}

TEST(RunnerPool, EchoReturnsResultsTablesBlobsLogsAndProgress) {
    RunnerPool pool(test::pool_options());
    TaskRequest request = echo_request({{"rows", 2500}, {"blob", "hello"}, {"log", "echo says hi"}, {"progress_steps", 3}});
    request.tables.push_back(TableData{"inputs", {"a", "b"}, {{1, 2, 3}, {10, 20, 30}}});
    std::vector<double> fractions;
    std::vector<std::string> logged;
    TaskCallbacks callbacks;
    callbacks.on_progress = [&](double f, const std::string &) { fractions.push_back(f); };
    callbacks.on_log = [&](const LogLine &line) { logged.push_back(line.message); };

    TaskOutcome out = pool.run(request, callbacks);
    ASSERT_TRUE(out.ok()) << out.problem << ": " << out.message;
    json result = json::parse(out.result_json);
    EXPECT_EQ(result["params"]["rows"], 2500);
    EXPECT_EQ(result["model_bytes"], request.model_json.size());
    EXPECT_EQ(result["input_tables"][0]["name"], "inputs");
    EXPECT_EQ(result["input_tables"][0]["sums"], json::array({6.0, 60.0}));
    EXPECT_TRUE(result["cwd_is_scratch"].get<bool>());
    if (geteuid() == 0) {
        const UidRange range = uid_range_from_environment();
        EXPECT_GE(result["uid"].get<uid_t>(), range.first) << "a root host runs each plugin under a uid of its range";
        EXPECT_LT(result["uid"].get<uid_t>(), range.first + range.count);
    }

    ASSERT_EQ(out.tables.size(), 1u);
    const TableData &squares = out.tables[0];
    EXPECT_EQ(squares.name, "squares");
    EXPECT_EQ(squares.columns, (std::vector<std::string>{"x", "x2"}));
    ASSERT_EQ(squares.row_count(), 2500u) << "chunks of 1000 rows must be appended";
    EXPECT_EQ(squares.values[1][2499], 2499.0 * 2499.0);

    ASSERT_EQ(out.blobs.size(), 1u);
    EXPECT_EQ(out.blobs[0].name, "echo.txt");
    EXPECT_EQ(out.blobs[0].data, "hello");
    ASSERT_EQ(out.logs.size(), 1u);
    EXPECT_EQ(out.logs[0].message, "echo says hi");
    EXPECT_EQ(logged, std::vector<std::string>{"echo says hi"});
    ASSERT_FALSE(fractions.empty());
    EXPECT_EQ(fractions.back(), 1.0);
}

TEST(RunnerPool, EveryJobStartsInAnEmptyScratchDir) {
    RunnerPool pool(test::pool_options());
    TaskOutcome first = pool.run(echo_request({{"write_bytes", 1000}, {"make_tree", true}}));
    TaskOutcome second = pool.run(echo_request(json::object()));
    ASSERT_TRUE(first.ok()) << first.message;
    ASSERT_TRUE(second.ok()) << second.message;
    const json a = json::parse(first.result_json), b = json::parse(second.result_json);
    EXPECT_EQ(a["written_bytes"], 1000);
    EXPECT_EQ(a["made_tree"], true);
    EXPECT_EQ(a["scratch_entries"], 0);
    // The same pooled runner ran both jobs in its own folder; nothing of the first job is left.
    EXPECT_EQ(pool.spawned_count(), 1u);
    EXPECT_EQ(a["scratch_dir"], b["scratch_dir"]);
    EXPECT_EQ(b["scratch_entries"], 0);
    EXPECT_TRUE(std::filesystem::is_empty(b["scratch_dir"].get<std::string>()));
}

TEST(RunnerPool, PrestartedRunnersServeTheJobsThatFollow) {
    RunnerPool pool(test::pool_options());
    const TaskRequest request = echo_request(json::object());
    pool.prestart(request.plugin, request.limits, 5); // capped at max_idle_per_plugin (2)
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (pool.idle_count() < 2 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_EQ(pool.idle_count(), 2u);
    EXPECT_EQ(pool.spawned_count(), 2u);
    pool.prestart(request.plugin, request.limits, 2); // already there: nothing more starts
    TaskOutcome a, b;
    std::thread other([&] { a = pool.run(request); });
    b = pool.run(request);
    other.join();
    ASSERT_TRUE(a.ok()) << a.message;
    ASSERT_TRUE(b.ok()) << b.message;
    EXPECT_EQ(pool.spawned_count(), 2u);
}

TEST(RunnerPool, APoolClosedWhileRunnersStartLeavesNoProcessBehind) {
    const int children_before = test::count_children();
    {
        RunnerPool pool(test::pool_options());
        const TaskRequest request = echo_request(json::object());
        pool.prestart(request.plugin, request.limits, 2);
    }
    EXPECT_EQ(test::count_children(), children_before);
}

TEST(RunnerPool, ScratchDirIsRemovedWithThePool) {
    std::string dir;
    {
        RunnerPool pool(test::pool_options());
        TaskOutcome out = pool.run(echo_request({{"write_bytes", 10}}));
        ASSERT_TRUE(out.ok()) << out.message;
        dir = json::parse(out.result_json)["scratch_dir"];
        EXPECT_TRUE(std::filesystem::exists(dir));
    }
    EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST(RunnerPool, FileSizeLimitStopsLargeWrites) {
    RunnerPool pool(test::pool_options());
    TaskRequest request = echo_request({{"write_bytes", 2 << 20}});
    request.limits.file_bytes = 1 << 20;
    TaskOutcome out = pool.run(request);
    ASSERT_TRUE(out.ok()) << out.message;
    EXPECT_LT(json::parse(out.result_json)["written_bytes"].get<int64_t>(), 2 << 20);
}

TEST(RunnerPool, ThreadsWorkInsideTheSandbox) {
    RunnerPool pool(test::pool_options());
    TaskOutcome out = pool.run(echo_request({{"threads", 4}}));
    ASSERT_TRUE(out.ok()) << out.problem << ": " << out.message;
    EXPECT_EQ(json::parse(out.result_json)["threads_ran"], 4);
}

TEST(RunnerPool, PluginRefusingItsParamsIsInvalidParamsAndRunnerIsReused) {
    RunnerPool pool(test::pool_options());
    TaskOutcome out = pool.run(echo_request({{"fail", "params make no sense"}}));
    EXPECT_EQ(out.status, HOLON_ERR_INVALID_PARAMS);
    EXPECT_EQ(out.problem, "invalid-params");
    EXPECT_EQ(out.message, "params make no sense");
    EXPECT_EQ(pool.idle_count(), 1u);
    EXPECT_TRUE(pool.run(echo_request(json::object())).ok());
    EXPECT_EQ(pool.spawned_count(), 1u);
}

TEST(RunnerPool, ResultThatIsNotJsonIsInvalidResult) {
    RunnerPool pool(test::pool_options());
    TaskOutcome out = pool.run(echo_request({{"bad_json", true}}));
    EXPECT_FALSE(out.ok());
    EXPECT_EQ(out.problem, "invalid-result");
    EXPECT_TRUE(out.result_json.empty());
}

TEST(RunnerPool, PlainC99PluginRuns) {
    RunnerPool pool(test::pool_options());
    TaskRequest request;
    request.plugin = fixture(HOLON_FIXTURE_C99);
    request.method_id = "fixture.c99.sum";
    request.tables = {TableData{"a", {"x"}, {{1.5, 2.5}}}, TableData{"b", {"y", "z"}, {{1}, {4}}}};
    request.limits = test::small_limits();
    TaskOutcome out = pool.run(request);
    ASSERT_TRUE(out.ok()) << out.problem << ": " << out.message;
    EXPECT_EQ(json::parse(out.result_json)["sum"], 9.0);
    ASSERT_EQ(out.tables.size(), 1u);
    EXPECT_EQ(out.tables[0].values[0], std::vector<double>{9.0});
    ASSERT_EQ(out.logs.size(), 1u);
    EXPECT_EQ(out.logs[0].message, "summed in C");
}

TEST(RunnerPool, DescribeReturnsEntryAndDescriptors) {
    RunnerPool pool(test::pool_options());
    PluginDescription d = pool.describe(fixture(HOLON_FIXTURE_ECHO));
    EXPECT_EQ(d.plugin_id, "fixture.echo");
    EXPECT_EQ(d.plugin_version, "1.0.0");
    EXPECT_EQ(d.abi_major, static_cast<uint32_t>(HOLON_ABI_MAJOR));
    ASSERT_EQ(d.methods.size(), 1u);
    EXPECT_EQ(d.methods[0].id, "fixture.echo.run");
    EXPECT_EQ(d.methods[0].flags, HOLON_METHOD_FLAG_CONCURRENT);
    EXPECT_EQ(json::parse(d.methods[0].result_schema)["required"], json::array({"params"}));
    EXPECT_EQ(pool.idle_count(), 1u) << "a describing runner is kept warm for jobs";

    PluginDescription c = pool.describe(fixture(HOLON_FIXTURE_C99));
    ASSERT_EQ(c.methods.size(), 1u);
    EXPECT_EQ(c.methods[0].id, "fixture.c99.sum");
    EXPECT_EQ(c.methods[0].flags, HOLON_METHOD_FLAG_CONCURRENT | HOLON_METHOD_FLAG_NO_MODEL);
}

TEST(RunnerPool, AbiMajorTwoIsRefusedNamingBothVersions) {
    RunnerPool pool(test::pool_options());
    try {
        pool.describe(fixture(HOLON_FIXTURE_ABI2));
        FAIL() << "describe accepted an SDK major 2 plugin";
    } catch (const RunnerError &e) {
        EXPECT_EQ(e.problem(), "abi-mismatch");
        EXPECT_STREQ(e.what(), "plugin built for SDK major 2, host is 1");
    }
    TaskRequest request;
    request.plugin = fixture(HOLON_FIXTURE_ABI2);
    request.method_id = "fixture.abi2.run";
    TaskOutcome out = pool.run(request);
    EXPECT_EQ(out.problem, "abi-mismatch");
    EXPECT_EQ(out.message, "plugin built for SDK major 2, host is 1");
    EXPECT_EQ(pool.idle_count(), 0u);
}

TEST(RunnerPool, LoadFailuresAreReported) {
    RunnerPool pool(test::pool_options());
    TaskRequest missing = echo_request(json::object());
    missing.plugin = fixture("/nonexistent/fixture_missing.so");
    TaskOutcome out = pool.run(missing);
    EXPECT_EQ(out.problem, "plugin-load-failed");
    EXPECT_NE(out.message.find("/nonexistent/fixture_missing.so"), std::string::npos) << out.message;

    TaskRequest wrong_id = echo_request(json::object());
    wrong_id.plugin.plugin_id = "fixture.someone-else";
    out = pool.run(wrong_id);
    EXPECT_EQ(out.problem, "plugin-load-failed");
    EXPECT_NE(out.message.find("fixture.someone-else"), std::string::npos) << out.message;
}

TEST(RunnerPool, CancellationStopsACooperativeJobQuickly) {
    RunnerPool pool(test::pool_options());
    std::atomic<bool> cancel{false};
    TaskCallbacks callbacks;
    callbacks.cancel = &cancel;
    Clock::time_point cancelled_at;
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        cancelled_at = Clock::now();
        cancel = true;
    });
    TaskRequest request = echo_request({{"wait_for_cancel", true}});
    request.limits.wall_seconds = 10;
    TaskOutcome out = pool.run(request, callbacks);
    auto reaction = Clock::now() - cancelled_at;
    canceller.join();
    EXPECT_EQ(out.status, HOLON_ERR_CANCELLED);
    EXPECT_EQ(out.problem, "cancelled");
    EXPECT_LT(reaction, std::chrono::milliseconds(900)) << "the plugin polls every 5 ms; no kill was needed";
    EXPECT_EQ(pool.idle_count(), 0u) << "a cancelled runner is not reused";
}

TEST(RunnerPool, CancellationKillsAPluginThatIgnoresIt) {
    RunnerPool pool(test::pool_options());
    std::atomic<bool> cancel{false};
    TaskCallbacks callbacks;
    callbacks.cancel = &cancel;
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        cancel = true;
    });
    TaskRequest request;
    request.plugin = fixture(HOLON_FIXTURE_SLEEP_FOREVER);
    request.method_id = "fixture.sleep-forever.run";
    request.limits.wall_seconds = 10;
    TaskOutcome out = pool.run(request, callbacks);
    canceller.join();
    EXPECT_EQ(out.problem, "cancelled");
    EXPECT_EQ(out.status, HOLON_ERR_CANCELLED);
    EXPECT_LT(out.wall_seconds, 2.5);
    EXPECT_EQ(out.term_signal, SIGKILL);
}

TEST(RunnerPool, NestedInvokeRoundTripsThroughTheHost) {
    RunnerPool pool(test::pool_options());
    std::vector<InvokeRequest> seen;
    TaskCallbacks callbacks;
    callbacks.on_invoke = [&](const InvokeRequest &nested) {
        seen.push_back(nested);
        TaskRequest request = echo_request(json::parse(nested.params_json));
        request.method_id = nested.method_id;
        request.model_json = nested.model_json;
        TaskCallbacks nested_callbacks;
        nested_callbacks.cancel = nested.cancel;
        return pool.run(request, nested_callbacks);
    };
    TaskRequest request = echo_request({{"invoke", {{"method", "fixture.echo.run"}, {"params", {{"rows", 3}, {"tag", "inner"}}}}}});
    TaskOutcome out = pool.run(request, callbacks);
    ASSERT_TRUE(out.ok()) << out.problem << ": " << out.message;
    json result = json::parse(out.result_json);
    EXPECT_EQ(result["nested_status"], HOLON_OK);
    EXPECT_EQ(result["nested"]["params"]["tag"], "inner");
    EXPECT_EQ(result["nested_tables"], 1);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].method_id, "fixture.echo.run");
    EXPECT_EQ(seen[0].model_json, request.model_json) << "no model given means the caller's model";
    EXPECT_EQ(pool.spawned_count(), 2u) << "the nested run needs its own runner while the caller waits";
}

TEST(RunnerPool, NestedInvokeWithoutCallbackIsUnsupported) {
    RunnerPool pool(test::pool_options());
    TaskOutcome out = pool.run(echo_request({{"invoke", {{"method", "fixture.echo.run"}}}}));
    ASSERT_TRUE(out.ok()) << out.message;
    json result = json::parse(out.result_json);
    EXPECT_EQ(result["nested_status"], HOLON_ERR_UNSUPPORTED);
    EXPECT_TRUE(result["nested"].is_null());
}

TEST(RunnerPool, WarmPoolReusesRunnersButNeverACrashedOne) {
    RunnerPool pool(test::pool_options());
    ASSERT_TRUE(pool.run(echo_request(json::object())).ok());
    ASSERT_TRUE(pool.run(echo_request(json::object())).ok());
    EXPECT_EQ(pool.spawned_count(), 1u);
    EXPECT_EQ(pool.idle_count(), 1u);

    TaskRequest crash;
    crash.plugin = fixture(HOLON_FIXTURE_SEGFAULT);
    crash.method_id = "fixture.segfault.run";
    crash.limits = test::small_limits();
    EXPECT_EQ(pool.run(crash).problem, "crashed");
    EXPECT_EQ(pool.run(crash).problem, "crashed");
    EXPECT_EQ(pool.spawned_count(), 3u) << "each crash needs a fresh runner";
    EXPECT_EQ(pool.idle_count(), 1u) << "only the echo runner is idle";

    TaskRequest slow = echo_request({{"sleep_ms", 3000}});
    slow.limits.wall_seconds = 0.3;
    EXPECT_EQ(pool.run(slow).problem, "wall-clock-limit");
    EXPECT_EQ(pool.idle_count(), 0u) << "the echo runner that hit its limit was killed";
    EXPECT_TRUE(pool.run(echo_request(json::object())).ok());
    EXPECT_EQ(pool.spawned_count(), 4u);
}

TEST(RunnerPool, IdleRunnersAreCappedPerPlugin) {
    PoolOptions options = test::pool_options();
    options.max_idle_per_plugin = 1;
    RunnerPool pool(options);
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 3; ++i)
        threads.emplace_back([&] { ok += pool.run(echo_request({{"sleep_ms", 200}})).ok() ? 1 : 0; });
    for (auto &t : threads) t.join();
    EXPECT_EQ(ok, 3);
    EXPECT_EQ(pool.spawned_count(), 3u);
    EXPECT_EQ(pool.idle_count(), 1u);
}

// Warm runners are kept per workspace, so the total is capped as well: the longest idle goes.
TEST(RunnerPool, IdleRunnersAreCappedOverAllWorkspaces) {
    PoolOptions options = test::pool_options();
    options.max_idle = 2;
    RunnerPool pool(options);
    for (const char *workspace : {"a", "b", "c"}) {
        TaskRequest request = echo_request(json::object());
        request.workspace = workspace;
        ASSERT_TRUE(pool.run(request).ok());
    }
    EXPECT_EQ(pool.spawned_count(), 3u);
    EXPECT_EQ(pool.idle_count(), 2u);
    TaskRequest again = echo_request(json::object());
    again.workspace = "c";
    ASSERT_TRUE(pool.run(again).ok());
    EXPECT_EQ(pool.spawned_count(), 3u) << "c's runner was idle the shortest and is still warm";
    again.workspace = "a";
    ASSERT_TRUE(pool.run(again).ok());
    EXPECT_EQ(pool.spawned_count(), 4u) << "a's runner was idle the longest and made room";
    EXPECT_EQ(pool.idle_count(), 2u);
}

TEST(RunnerPool, NoZombiesAndNoDescriptorLeaks) {
    const int fds_before = test::count_open_fds();
    const int children_before = test::count_children();
    {
        RunnerPool pool(test::pool_options());
        EXPECT_TRUE(pool.run(echo_request(json::object())).ok());
        TaskRequest crash;
        crash.plugin = fixture(HOLON_FIXTURE_ABORT);
        crash.method_id = "fixture.abort.run";
        crash.limits = test::small_limits();
        EXPECT_EQ(pool.run(crash).problem, "crashed");
        EXPECT_EQ(test::count_zombie_children(), 0);
        EXPECT_EQ(pool.idle_count(), 1u);
    }
    EXPECT_EQ(test::count_zombie_children(), 0);
    EXPECT_EQ(test::count_children(), children_before);
    EXPECT_EQ(test::count_open_fds(), fds_before);
}

// Not a pass/fail check: prints what a cold start and a warm job cost on this machine.
TEST(RunnerPool, ReportsSpawnAndWarmLatency) {
    RunnerPool pool(test::pool_options());
    auto t0 = Clock::now();
    ASSERT_TRUE(pool.run(echo_request(json::object())).ok());
    double cold_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    constexpr int kWarmRuns = 50;
    t0 = Clock::now();
    for (int i = 0; i < kWarmRuns; ++i) ASSERT_TRUE(pool.run(echo_request(json::object())).ok());
    double warm_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count() / kWarmRuns;
    EXPECT_EQ(pool.spawned_count(), 1u);
    std::cout << "[latency] cold job (spawn + sandbox + load + run): " << cold_ms << " ms; warm job: " << warm_ms
              << " ms\n";
    RecordProperty("cold_job_ms", std::to_string(cold_ms));
    RecordProperty("warm_job_ms", std::to_string(warm_ms));
}

} // namespace
} // namespace holon::runner

namespace holon::runner {
namespace {

TEST(RunnerPool, RemovesTheRunnerFoldersOfHostsThatDied) {
    const auto root = std::filesystem::temp_directory_path() / ("holon-scratch-sweep-" + std::to_string(getpid()));
    std::filesystem::remove_all(root);
    // 999999999 is above any Linux pid_max, so no process has it: a host that is gone.
    const auto dead = root / "runner-999999999-1234-1";
    const auto mine = root / ("runner-" + std::to_string(getpid()) + "-1234-1");
    const auto other = root / "notes";
    for (const auto &dir : {dead, mine, other}) std::filesystem::create_directories(dir / "job-1");
    PoolOptions options = test::pool_options();
    options.scratch_root = root.string();
    RunnerPool pool(options);
    EXPECT_FALSE(std::filesystem::exists(dead)) << "a dead host's runner folder is removed";
    EXPECT_TRUE(std::filesystem::exists(mine)) << "a live host's runner folder is kept";
    EXPECT_TRUE(std::filesystem::exists(other)) << "anything else in the root is left alone";
    std::filesystem::remove_all(root);
}

} // namespace
} // namespace holon::runner
