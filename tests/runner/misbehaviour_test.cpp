// Every misbehaving fixture fails its own job with its own problem id, within its limit plus one
// second, while well-behaved jobs keep succeeding beside it.
#include "runner_pool.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

namespace holon::runner {
namespace {

struct Case {
    const char *name;
    const char *library;
    const char *method;
    const char *problem;
    int32_t status;
    const char *message_part; // must appear in the outcome's message
    // The limit that should stop it (seconds allowed = this + 1). Crashes and refusals have no time
    // limit of their own; they must beat the wall clock, or they would be misreported by it.
    double limit_seconds;
    Limits limits;
    bool cpu_bound = false;   // limit_seconds bounds CPU time: on a loaded machine wall time is longer
};

// Names the case in test output instead of dumping its bytes.
void PrintTo(const Case &c, std::ostream *out) { *out << c.name; }

Limits with_wall(double wall) {
    Limits l = test::small_limits();
    l.wall_seconds = wall;
    return l;
}

std::vector<Case> cases() {
    Limits small = test::small_limits();
    std::vector<Case> all = {
        {"segfault", HOLON_FIXTURE_SEGFAULT, "fixture.segfault.run", "crashed", HOLON_ERR_FAILED, "SIGSEGV",
         small.wall_seconds, small},
        {"abort", HOLON_FIXTURE_ABORT, "fixture.abort.run", "crashed", HOLON_ERR_FAILED, "SIGABRT",
         small.wall_seconds, small},
        {"throw_std", HOLON_FIXTURE_THROW_STD, "fixture.throw-std.run", "method-failed", HOLON_ERR_INTERNAL,
         "the widget exploded", small.wall_seconds, small},
        {"throw_other", HOLON_FIXTURE_THROW_OTHER, "fixture.throw-other.run", "method-failed", HOLON_ERR_INTERNAL,
         "unknown type", small.wall_seconds, small},
        // The wall limit is well above the CPU limit so that only the CPU limit can stop it.
        {"busy_loop", HOLON_FIXTURE_BUSY_LOOP, "fixture.busy-loop.run", "cpu-time-limit", HOLON_ERR_FAILED, "CPU",
         small.cpu_seconds, with_wall(10), true},
        {"sleep_forever", HOLON_FIXTURE_SLEEP_FOREVER, "fixture.sleep-forever.run", "wall-clock-limit",
         HOLON_ERR_FAILED, "wall-clock", small.wall_seconds, small},
        {"fork_bomb", HOLON_FIXTURE_FORK_BOMB, "fixture.fork-bomb.run", "forbidden-syscall", HOLON_ERR_FAILED,
         "SIGSYS", small.wall_seconds, small},
        {"open_socket", HOLON_FIXTURE_OPEN_SOCKET, "fixture.open-socket.run", "forbidden-syscall", HOLON_ERR_FAILED,
         "SIGSYS", small.wall_seconds, small},
        // Copying 8 MB chunks is paced by page faults on a loaded VM; it gets time, and must still
        // end by the output limit, not the wall clock.
        {"huge_output", HOLON_FIXTURE_HUGE_OUTPUT, "fixture.huge-output.run", "result-too-large",
         HOLON_ERR_RESULT_TOO_LARGE, "output limit", 7, with_wall(8)},
    };
#ifndef HOLON_TEST_NO_MEMORY_LIMIT
    // Page faults are slow in small VMs (about 100 MB/s here), so this one gets a smaller address
    // space and time to fill it; it must still end by the memory limit, not the wall clock.
    Limits memory = with_wall(8);
    memory.memory_bytes = uint64_t{256} << 20;
    all.push_back({"alloc_huge", HOLON_FIXTURE_ALLOC_HUGE, "fixture.alloc-huge.run", "memory-limit",
                   HOLON_ERR_OUT_OF_MEMORY, "out of memory", 7, memory});
#endif
    return all;
}

TaskRequest request_for(const Case &c) {
    TaskRequest request;
    request.plugin = test::fixture(c.library);
    request.method_id = c.method;
    request.limits = c.limits;
    return request;
}

void expect_failure(const Case &c, const TaskOutcome &out) {
    EXPECT_EQ(out.problem, c.problem) << c.name << ": " << out.message;
    EXPECT_EQ(out.status, c.status) << c.name;
    EXPECT_NE(out.message.find(c.message_part), std::string::npos) << c.name << ": " << out.message;
    EXPECT_LT(c.cpu_bound ? out.cpu_seconds : out.wall_seconds, c.limit_seconds + 1.0) << c.name;
    EXPECT_LE(out.tables.empty() ? 0u : out.tables[0].values[0].size() * sizeof(double), c.limits.output_bytes)
        << c.name << ": more results were accepted than the output limit";
}

TaskRequest echo_request() {
    TaskRequest request;
    request.plugin = test::fixture(HOLON_FIXTURE_ECHO);
    request.method_id = "fixture.echo.run";
    request.params_json = R"({"rows":100,"tag":"bystander"})";
    request.limits = test::small_limits();
    return request;
}

class Misbehaviour : public ::testing::TestWithParam<Case> {};

TEST_P(Misbehaviour, FailsWithItsOwnProblemWithinItsLimit) {
    RunnerPool pool(test::pool_options());
    const Case &c = GetParam();
    expect_failure(c, pool.run(request_for(c)));
    if (c.problem != std::string("method-failed")) {
        EXPECT_EQ(pool.idle_count(), 0u) << "a runner that failed by " << c.problem << " must not be reused";
    }
    EXPECT_EQ(test::count_zombie_children(), 0);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Misbehaviour, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case> &info) { return std::string(info.param.name); });

// All misbehaving fixtures at once, while echo jobs run in other threads: each failure stays in
// its own job, and the host keeps serving.
TEST(MisbehaviourTogether, EveryFailureStaysInItsJobWhileEchoKeepsSucceeding) {
    const int fds_before = test::count_open_fds();
    const int children_before = test::count_children();
    {
        RunnerPool pool(test::pool_options());
        const std::vector<Case> all = cases();
        std::vector<TaskOutcome> outcomes(all.size());
        std::atomic<int> misbehaving_left{static_cast<int>(all.size())};
        std::atomic<int> echo_ok{0}, echo_failed{0};
        std::vector<std::string> echo_failures;
        std::mutex echo_mutex;

        std::vector<std::thread> threads;
        for (size_t i = 0; i < all.size(); ++i)
            threads.emplace_back([&, i] {
                outcomes[i] = pool.run(request_for(all[i]));
                --misbehaving_left;
            });
        for (int e = 0; e < 2; ++e)
            threads.emplace_back([&] {
                while (misbehaving_left > 0) {
                    TaskOutcome out = pool.run(echo_request());
                    bool ok = out.ok() && nlohmann::json::parse(out.result_json)["params"]["tag"] == "bystander" &&
                              out.tables.size() == 1 && out.tables[0].row_count() == 100;
                    (ok ? echo_ok : echo_failed)++;
                    if (!ok) {
                        std::lock_guard lock(echo_mutex);
                        echo_failures.push_back(out.problem + ": " + out.message);
                    }
                }
            });
        for (auto &t : threads) t.join();

        for (size_t i = 0; i < all.size(); ++i) expect_failure(all[i], outcomes[i]);
        EXPECT_GE(echo_ok, 2);
        EXPECT_EQ(echo_failed, 0) << (echo_failures.empty() ? "" : echo_failures.front());
        EXPECT_EQ(test::count_zombie_children(), 0);
    }
    EXPECT_EQ(test::count_zombie_children(), 0);
    EXPECT_EQ(test::count_children(), children_before);
    EXPECT_EQ(test::count_open_fds(), fds_before);
}

} // namespace
} // namespace holon::runner
