// Issue 20 part 3: a REST batch on a database three hosts share is computed by all three, its
// journal and outputs in the batch folder they all mount (HOLON_BATCHES), and a host SIGKILLed
// half-way loses no point and duplicates none: the batch's outcomes table has every point once
// with the value its params give. Two deaths: a host running some of the points (its chunks are
// rescued after their 2 s leases and run elsewhere), and the host running the batch itself
// (another host claims the rescued batch and resumes it from the journal in the shared folder).
// Each rescue shows in the batch's events and in /metrics.
#include "durability_support.hpp"
#include "http_client.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace holon::test {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kPoints = 1000;

// Points of 30 ms each: 30 s of work for one lane (about 4 s on the three hosts), so that the
// batch is still running when a host dies.
json thousand_point_job(const std::string& model) {
    auto rows = json::array();
    for (int i = 0; i < kPoints; ++i) rows.push_back(2 + i % 7);
    return {{"version", "holon-batch/1"},
            {"name", "shared sweep"},
            {"inputs", {{"m", {{"model_id", model}}}}},
            {"steps",
             {{{"name", "sweep"},
               {"method", "fixture.echo.run"},
               {"input", "m"},
               {"params", {{"sleep_ms", 30}}},
               {"sweep", {{"grid", {{{"name", "rows"}, {"values", rows}}}}}},
               {"outputs", {{"table", "squares"}, {"time", "x"}}},
               {"outcomes", {{{"name", "area"}, {"variable", "x2"}, {"kind", "final"}}}}}}}};
}

// How many child runs of batches (chunks of points) each host's job engine finished.
int chunks_finished(const ServerProcess& host) {
    int n = 0;
    for (const auto& line : host.log_lines()) {
        auto doc = json::parse(line, nullptr, false);
        if (doc.is_object() && doc.value("msg", "") == "run finished" && doc.value("method", "") == "holon.batch-chunk" &&
            doc.value("state", "") == "succeeded")
            ++n;
    }
    return n;
}

enum class Victim { a_host_running_points, the_host_running_the_batch };

// The batch on three hosts; `victim` is SIGKILLed once every host has finished some points.
void share_and_kill(Victim victim) {
    PostgresDatabase database(postgres_server(), "batchhosts");
    const auto shared = fresh_dir("batchhosts-shared");
    std::vector<std::unique_ptr<ServerProcess>> hosts;
    for (int i = 0; i < 3; ++i) {
        ServerOptions options;
        options.data_dir = fresh_dir("batchhosts-" + std::to_string(i));
        options.plugin_dirs = {HOLON_TEST_PLUGINS "/echo"};
        options.store = database.uri();
        options.env = {{"HOLON_LEASE_SECONDS", "2"},
                       {"HOLON_WORKERS", "2"},
                       {"HOLON_BATCH_JOBS", "2"},
                       {"HOLON_BATCHES", shared.string()}};
        hosts.push_back(std::make_unique<ServerProcess>(options));
        hosts.back()->start();
    }
    auto http = [&](int i) { return HttpClient(hosts[static_cast<std::size_t>(i)]->port()); };

    auto created = http(0).post_json("/v1/workspaces", admin_secret, {{"name", "shared"}});
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string ws = created.json().value("id", "");
    auto model = http(1).post("/v1/workspaces/" + ws + "/models", admin_secret, small_model("swept"));
    ASSERT_EQ(model.status, 201) << model.body;
    const std::string model_id = model.json().value("id", "");
    auto posted = http(2).post_json("/v1/workspaces/" + ws + "/batches", admin_secret, thousand_point_job(model_id));
    ASSERT_EQ(posted.status, 202) << posted.body;
    const std::string batch = posted.json().value("id", "");
    const std::string path = "/v1/workspaces/" + ws + "/batches/" + batch;

    // Every host computes some of the points: each has finished a chunk before one of them dies.
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (Clock::now() < deadline &&
           !(chunks_finished(*hosts[0]) > 0 && chunks_finished(*hosts[1]) > 0 && chunks_finished(*hosts[2]) > 0))
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    for (int i = 0; i < 3; ++i) EXPECT_GT(chunks_finished(*hosts[static_cast<std::size_t>(i)]), 0) << "host " << i;
    auto half_way = http(0).get(path, admin_secret).json();
    ASSERT_EQ(half_way.value("state", ""), "running") << half_way.dump();
    EXPECT_LT(half_way["points"].value("done", 0), kPoints);

    // The victim holds leases when it dies: the batch's own, or points (its engine's workers claim
    // chunks as fast as they come).
    std::size_t dead = 1;
    if (victim == Victim::the_host_running_the_batch) {
        const std::string owner = database.psql("SELECT lease_owner FROM runs WHERE id = '" + batch + "'");
        for (std::size_t i = 0; i < hosts.size(); ++i)
            if (owner.find(":" + std::to_string(hosts[i]->pid()) + ":") != std::string::npos) dead = i;
        ASSERT_NE(owner.find(":" + std::to_string(hosts[dead]->pid()) + ":"), std::string::npos) << owner;
    } else {
        const std::string coordinator = database.psql("SELECT lease_owner FROM runs WHERE id = '" + batch + "'");
        if (coordinator.find(":" + std::to_string(hosts[dead]->pid()) + ":") != std::string::npos) dead = 2;
    }
    const std::string leases_of_victim = "SELECT COUNT(*) FROM runs WHERE state = 'running' AND lease_owner LIKE '%:" +
                                         std::to_string(hosts[dead]->pid()) + ":%'";
    for (int tries = 0; tries < 1000 && database.psql(leases_of_victim) == "0"; ++tries)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    hosts[dead]->kill_hard();
    EXPECT_NE(database.psql(leases_of_victim), "0") << "host " << dead << " held no lease when it was killed";
    const int alive = dead == 0 ? 1 : 0, other = dead == 2 ? 1 : 2;
    auto http_alive = [&](int i) { return HttpClient(hosts[static_cast<std::size_t>(i)]->port()); };

    json done;
    const auto end = Clock::now() + std::chrono::seconds(120);
    while (Clock::now() < end) {
        done = http_alive(alive).get(path, admin_secret).json();
        const std::string state = done.value("state", "");
        if (state == "succeeded" || state == "failed" || state == "cancelled") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_EQ(done.value("state", ""), "succeeded") << done.dump();
    EXPECT_EQ(done["points"], (json{{"total", kPoints}, {"done", kPoints}, {"succeeded", kPoints}, {"failed", 0}}));

    // The outputs, read through the other surviving host: every point once, with its own value.
    auto table = http_alive(other).get(path + "/file?path=steps/sweep/outcomes.csv", admin_secret);
    ASSERT_EQ(table.status, 200) << table.body;
    std::istringstream rows(table.body);
    std::string line;
    std::getline(rows, line);
    EXPECT_EQ(line.substr(0, line.find(",problem")), "point,status,area") << line;
    std::map<int, int> seen;
    while (std::getline(rows, line)) {
        if (line.empty()) continue;
        std::istringstream cells(line);
        std::string point, status, area;
        std::getline(cells, point, ',');
        std::getline(cells, status, ',');
        std::getline(cells, area, ',');
        const int i = std::stoi(point);
        ++seen[i];
        EXPECT_EQ(status, "ok") << line;
        const int side = 1 + i % 7;
        EXPECT_EQ(std::stod(area), side * side) << line;
    }
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(kPoints));
    for (const auto& [point, count] : seen) EXPECT_EQ(count, 1) << "point " << point;

    // The journal, in the shared folder, records each point once too.
    auto journal = http_alive(alive).get(path + "/file?path=journal.jsonl", admin_secret);
    ASSERT_EQ(journal.status, 200);
    std::istringstream lines(journal.body);
    std::map<std::int64_t, int> recorded;
    while (std::getline(lines, line)) {
        auto doc = json::parse(line, nullptr, false);
        if (doc.is_object() && doc.contains("point")) ++recorded[doc["point"].get<std::int64_t>()];
    }
    EXPECT_EQ(recorded.size(), static_cast<std::size_t>(kPoints));
    for (const auto& [point, count] : recorded) EXPECT_EQ(count, 1) << "point " << point << " journalled twice";

    // The death is on record: a rescued lease in /metrics, and in the batch's own events (the
    // batch itself rescued, or some of its points).
    EXPECT_GE(metric(http_alive(alive), "holon_runs_rescued_total"), 1);
    auto events = http_alive(other).get("/v1/workspaces/" + ws + "/runs/" + batch + "/events", admin_secret);
    ASSERT_EQ(events.status, 200);
    EXPECT_TRUE(events.body.find("event: rescued") != std::string::npos ||
                events.body.find("event: points-rescued") != std::string::npos)
        << events.body.substr(0, 3000);

    // The points' runs are gone with the batch finished (deleted as their results were read, the
    // rest when the batch ended), and the workspace lists the batch alone.
    EXPECT_EQ(database.psql("SELECT COUNT(*) FROM runs WHERE parent_id IS NOT NULL"), "0");
    auto runs = http_alive(alive).get("/v1/workspaces/" + ws + "/runs", admin_secret).json();
    ASSERT_EQ(runs["items"].size(), 1u) << runs.dump();
    EXPECT_EQ(runs["items"][0].value("id", ""), batch);
    if (victim == Victim::the_host_running_the_batch) {
        EXPECT_NE(events.body.find("event: rescued"), std::string::npos) << "the batch itself was rescued";
    }
}

TEST(BatchHosts, AHostRunningPointsDiesAndEveryPointIsStillInTheOutputsOnce) {
    REQUIRE_POSTGRES();
    share_and_kill(Victim::a_host_running_points);
}

TEST(BatchHosts, TheHostRunningTheBatchDiesAndAnotherResumesItFromTheSharedFolderWithEveryPointOnce) {
    REQUIRE_POSTGRES();
    share_and_kill(Victim::the_host_running_the_batch);
}

}  // namespace
}  // namespace holon::test
