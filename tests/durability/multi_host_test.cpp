// Issue 20's shared work: three real `holon serve --store postgresql://...` hosts on one fresh
// database (HOLON_TEST_POSTGRES names the server; .ci/postgres.sh starts one). Runs queued through
// any host are claimed by every host; one host is SIGKILLed while it holds runs, and after its
// 2 s leases expire the others' reapers return them to the queue: every run still ends succeeded
// exactly once, each rescue is a "rescued" event naming the dead host and counted in /metrics.
// Also: the database going away answers 503 problem+json, loses nothing acknowledged, and the
// host serves again when the database returns (the test's own database is closed to connections
// and its sessions terminated; the shared server other tests use keeps running).
#include "durability_support.hpp"
#include "http_client.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <fstream>
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

// The PostgreSQL server of the tests, or "" with the test skipped (failed where CI requires it).
ServerOptions host_options(const std::string& name, const std::string& store) {
    ServerOptions options;
    options.data_dir = fresh_dir(name);
    options.plugin_dirs = {HOLON_TEST_PLUGINS "/echo"};
    options.store = store;
    options.env = {{"HOLON_LEASE_SECONDS", "2"}, {"HOLON_WORKERS", "2"}, {"HOLON_LIMITS_RUNS_IN_FLIGHT", "100"}};
    return options;
}

// The events of a finished run, read from its server-sent event stream (which ends once the run
// is terminal and every event is sent).
std::vector<std::pair<std::string, json>> run_events(const HttpClient& http, const std::string& ws,
                                                     const std::string& token, const std::string& run) {
    auto r = http.get("/v1/workspaces/" + ws + "/runs/" + run + "/events", token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::pair<std::string, json>> events;
    std::istringstream in(r.body);
    std::string line, type;
    while (std::getline(in, line)) {
        if (line.rfind("event: ", 0) == 0) type = line.substr(7);
        if (line.rfind("data: ", 0) == 0) events.emplace_back(type, json::parse(line.substr(6)));
    }
    return events;
}

// Run id -> how many times a host logged it finished with `state`.
void count_finished(const ServerProcess& host, const std::string& state, std::map<std::string, int>& out) {
    for (const auto& line : host.log_lines()) {
        auto doc = json::parse(line, nullptr, false);
        if (doc.is_object() && doc.value("msg", "") == "run finished" && doc.value("state", "") == state)
            ++out[doc.value("run", "")];
    }
}

TEST(MultiHost, ThreeHostsShareTheQueueAndARunOfAKilledHostFinishesElsewhereOnce) {
    REQUIRE_POSTGRES();
    PostgresDatabase database(postgres_server(), "multihost");
    std::vector<std::unique_ptr<ServerProcess>> hosts;
    for (int i = 0; i < 3; ++i) {
        hosts.push_back(std::make_unique<ServerProcess>(host_options("multihost-" + std::to_string(i), database.uri())));
        hosts.back()->start();
    }
    auto http = [&](int i) { return HttpClient(hosts[static_cast<std::size_t>(i)]->port()); };

    // Workspace, token and model created through host 0 are seen by the others: one database.
    auto created = http(0).post_json("/v1/workspaces", admin_secret, {{"name", "shared"}});
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string ws = created.json().value("id", "");
    auto token = http(1).post_json("/v1/workspaces/" + ws + "/tokens", admin_secret, {{"role", "editor"}});
    ASSERT_EQ(token.status, 201) << token.body;
    const std::string editor = token.json().value("token", "");
    auto model = http(2).post("/v1/workspaces/" + ws + "/models", editor, small_model("shared model"));
    ASSERT_EQ(model.status, 201) << model.body;
    const std::string model_id = model.json().value("id", "");

    // 60 runs of 300 ms queued round-robin through the three hosts (2 workers each: ~3 s of work).
    constexpr int runs = 60;
    std::vector<std::string> ids;
    std::map<std::string, int> queued_on;
    for (int i = 0; i < runs; ++i) {
        auto r = http(i % 3).post_json("/v1/workspaces/" + ws + "/runs", editor,
                                       {{"method", "fixture.echo.run"}, {"model", model_id},
                                        {"params", {{"sleep_ms", 300}, {"n", i}}}});
        ASSERT_EQ(r.status, 202) << r.body;
        ids.push_back(r.json().value("id", ""));
        queued_on[ids.back()] = i % 3;
    }

    // Kill host 2 once it has finished a run (it claims) and while runs are still queued: with
    // two workers busy on 300 ms runs it holds leases at that moment; the rescue events prove it.
    ServerProcess& victim = *hosts[2];
    const std::string victim_pid = std::to_string(victim.pid());
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    for (;;) {
        std::map<std::string, int> finished;
        count_finished(victim, "succeeded", finished);
        if (!finished.empty()) break;
        ASSERT_LT(Clock::now(), deadline) << "host 2 finished no run within 20 s";
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::map<std::string, int> finished_by_victim;
    count_finished(victim, "succeeded", finished_by_victim);
    victim.kill_hard();
    count_finished(victim, "succeeded", finished_by_victim);

    // A run queued and cancelled through different hosts after the kill.
    auto waiting = http(0).post_json("/v1/workspaces/" + ws + "/runs", editor,
                                     {{"method", "fixture.echo.run"}, {"model", model_id},
                                      {"params", {{"wait_for_cancel", true}}}});
    ASSERT_EQ(waiting.status, 202) << waiting.body;
    const std::string waiting_id = waiting.json().value("id", "");

    // Every run ends; the survivors took over the dead host's leases after they expired.
    const auto all_done = Clock::now() + std::chrono::seconds(40);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        for (;;) {
            auto r = http(static_cast<int>(i % 2)).get("/v1/workspaces/" + ws + "/runs/" + ids[i], editor);
            ASSERT_EQ(r.status, 200) << r.body;
            const std::string state = r.json().value("state", "");
            if (state != "queued" && state != "running") {
                EXPECT_EQ(state, "succeeded") << ids[i] << ": " << r.body;
                break;
            }
            ASSERT_LT(Clock::now(), all_done) << "run " << ids[i] << " still " << state << " after 40 s";
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }

    // Exactly one terminal state event per run; rescued runs name the dead host's lease owner.
    int rescued = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        int terminal = 0;
        for (const auto& [type, data] : run_events(http(static_cast<int>(i % 2)), ws, editor, ids[i])) {
            if (type == "state" && data.value("state", "") != "queued" && data.value("state", "") != "running") {
                ++terminal;
                EXPECT_EQ(data.value("state", ""), "succeeded") << ids[i];
            }
            if (type == "rescued") {
                ++rescued;
                EXPECT_NE(data.value("previous_owner", "").find(":" + victim_pid + ":"), std::string::npos)
                    << ids[i] << " rescued from " << data.dump() << ", not from the killed host (pid " << victim_pid
                    << ")";
                EXPECT_EQ(data.value("state", ""), "queued") << data.dump();
                EXPECT_FALSE(finished_by_victim.count(ids[i])) << ids[i] << " finished by the dead host and rescued";
            }
        }
        EXPECT_EQ(terminal, 1) << "run " << ids[i] << " has " << terminal << " terminal state events";
    }
    EXPECT_GT(rescued, 0) << "the killed host held no run";

    // No run finished twice, and the work was shared: each surviving host ran some runs, including
    // some that were queued through another host.
    std::map<std::string, int> by_host[2];
    count_finished(*hosts[0], "succeeded", by_host[0]);
    count_finished(*hosts[1], "succeeded", by_host[1]);
    for (int h = 0; h < 2; ++h) {
        EXPECT_FALSE(by_host[h].empty()) << "host " << h << " ran no run";
        int from_others = 0;
        for (const auto& [id, count] : by_host[h]) {
            EXPECT_EQ(count, 1) << id << " finished twice by host " << h;
            EXPECT_EQ(by_host[1 - h].count(id) + finished_by_victim.count(id), 0u) << id << " finished by two hosts";
            if (queued_on.count(id) && queued_on[id] != h) ++from_others;
        }
        EXPECT_GT(from_others, 0) << "host " << h << " ran only runs queued through itself";
    }

    // Cancel through host 1 a run queued through host 0, whichever host runs it; its events read
    // through either host end with the cancelled state.
    const auto cancel_deadline = Clock::now() + std::chrono::seconds(10);
    while (http(1).get("/v1/workspaces/" + ws + "/runs/" + waiting_id, editor).json().value("state", "") != "running") {
        ASSERT_LT(Clock::now(), cancel_deadline) << "the waiting run never started";
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    auto cancel = http(1).post_json("/v1/workspaces/" + ws + "/runs/" + waiting_id + "/cancel", editor, json::object());
    ASSERT_TRUE(cancel.status == 200 || cancel.status == 202) << cancel.status << " " << cancel.body;
    std::string state;
    for (;;) {
        state = http(0).get("/v1/workspaces/" + ws + "/runs/" + waiting_id, editor).json().value("state", "");
        if (state != "running" && state != "queued") break;
        ASSERT_LT(Clock::now(), cancel_deadline + std::chrono::seconds(10)) << "cancel not honoured";
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(state, "cancelled");
    for (int h = 0; h < 2; ++h) {
        const auto events = run_events(http(h), ws, editor, waiting_id);
        ASSERT_FALSE(events.empty());
        EXPECT_EQ(events.back().first, "state");
        EXPECT_EQ(events.back().second.value("state", ""), "cancelled") << "read through host " << h;
    }

    // The killed host comes back (a new process, a new owner) and joins; /metrics of every host
    // counts the rescues (one figure for the whole database).
    victim.start();
    for (int h = 0; h < 3; ++h)
        EXPECT_EQ(metric(http(h), "holon_runs_rescued_total"), rescued) << "host " << h;
}

// Draining a host: SIGTERM stops it claiming, lets its runs finish for HOLON_DRAIN_SECONDS (3 s
// in these tests), then gives the rest back to the queue at once (released, not left to expire: the
// 60 s lease would make a rescue come far later and leave a "rescued" event). Another host finishes
// them.
TEST(MultiHost, SigtermReleasesTheRunsAHostHoldsToTheOtherHosts) {
    REQUIRE_POSTGRES();
    PostgresDatabase database(postgres_server(), "drain");
    auto options = [&](const std::string& name) {
        auto o = host_options(name, database.uri());
        o.env["HOLON_LEASE_SECONDS"] = "60";
        return o;
    };
    ServerProcess draining(options("drain-a"));
    draining.start();
    HttpClient a(draining.port());
    auto created = a.post_json("/v1/workspaces", admin_secret, {{"name", "drain"}});
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string ws = created.json().value("id", "");
    const std::string editor =
        a.post_json("/v1/workspaces/" + ws + "/tokens", admin_secret, {{"role", "editor"}}).json().value("token", "");
    auto model = a.post("/v1/workspaces/" + ws + "/models", editor, small_model("drain"));
    ASSERT_EQ(model.status, 201) << model.body;
    std::vector<std::string> ids;
    for (int i = 0; i < 2; ++i) {
        auto r = a.post_json("/v1/workspaces/" + ws + "/runs", editor,
                             {{"method", "fixture.echo.run"}, {"model", model.json().value("id", "")},
                              {"params", {{"sleep_ms", 8000}}}});
        ASSERT_EQ(r.status, 202) << r.body;
        ids.push_back(r.json().value("id", ""));
    }
    // Both run on host A (two workers, the only host) before host B starts.
    const auto deadline = Clock::now() + std::chrono::seconds(15);
    for (const auto& id : ids)
        while (a.get("/v1/workspaces/" + ws + "/runs/" + id, editor).json().value("state", "") != "running") {
            ASSERT_LT(Clock::now(), deadline) << id << " never started on host A";
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    ServerProcess other(options("drain-b"));
    other.start();
    HttpClient b(other.port());

    EXPECT_EQ(draining.stop(), 0) << "SIGTERM must stop the host cleanly";
    std::map<std::string, int> finished_by_a;
    count_finished(draining, "succeeded", finished_by_a);
    EXPECT_TRUE(finished_by_a.empty()) << "8 s runs cannot finish within the 3 s drain";

    for (const auto& id : ids) {
        std::string state;
        const auto done = Clock::now() + std::chrono::seconds(30);
        while ((state = b.get("/v1/workspaces/" + ws + "/runs/" + id, editor).json().value("state", "")) != "succeeded") {
            ASSERT_NE(state, "failed");
            ASSERT_LT(Clock::now(), done) << id << " still " << state << " on host B";
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        int queued = 0;
        for (const auto& [type, data] : run_events(b, ws, editor, id)) {
            EXPECT_NE(type, "rescued") << id << " was rescued after its lease expired instead of released";
            if (type == "state" && data.value("state", "") == "queued") ++queued;
        }
        EXPECT_EQ(queued, 2) << id << ": queued when created and again when host A released it";
    }
    std::map<std::string, int> finished_by_b;
    count_finished(other, "succeeded", finished_by_b);
    EXPECT_EQ(finished_by_b.size(), 2u);
}

// The database refuses connections (ALLOW_CONNECTIONS false, sessions terminated) under a serving
// host: requests get 503 problem+json, nothing acknowledged before is lost, and once the database
// accepts connections again the same host serves reads and writes without a restart.
TEST(MultiHost, AnUnreachableDatabaseAnswers503AndTheHostRecoversWhenItReturns) {
    REQUIRE_POSTGRES();
    PostgresDatabase database(postgres_server(), "outage");
    ServerProcess host(host_options("outage", database.uri()));
    host.start();
    HttpClient http(host.port());

    auto created = http.post_json("/v1/workspaces", admin_secret, {{"name", "outage"}});
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string ws = created.json().value("id", "");
    auto token = http.post_json("/v1/workspaces/" + ws + "/tokens", admin_secret, {{"role", "editor"}});
    ASSERT_EQ(token.status, 201) << token.body;
    const std::string editor = token.json().value("token", "");
    std::vector<std::string> models;
    for (int i = 0; i < 5; ++i) {
        auto m = http.post("/v1/workspaces/" + ws + "/models", editor, small_model("before " + std::to_string(i)));
        ASSERT_EQ(m.status, 201) << m.body;
        models.push_back(m.json().value("id", ""));
    }

    const std::string name = database.name();
    database.psql("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false", true);
    database.psql("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" + name + "'", true);

    auto read = http.get("/v1/workspaces/" + ws + "/models/" + models[0], editor);
    EXPECT_EQ(read.status, 503) << read.body;
    EXPECT_EQ(read.content_type(), "application/problem+json");
    auto write = http.post("/v1/workspaces/" + ws + "/models", editor, small_model("during"));
    EXPECT_EQ(write.status, 503) << write.body;
    EXPECT_EQ(write.content_type(), "application/problem+json");
    EXPECT_EQ(http.get("/livez", "").status, 200) << "the process itself is alive";

    database.psql("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true", true);
    const auto deadline = Clock::now() + std::chrono::seconds(15);
    HttpResponse again;
    for (;;) {
        again = http.get("/v1/workspaces/" + ws + "/models?limit=100", editor);
        if (again.status == 200) break;
        ASSERT_LT(Clock::now(), deadline) << "still " << again.status << " 15 s after the database returned: " << again.body;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::set<std::string> listed;
    const json page = again.json();
    for (const auto& item : page.at("items")) listed.insert(item.value("id", ""));
    for (const auto& id : models) EXPECT_TRUE(listed.count(id)) << "acknowledged model " << id << " lost";
    EXPECT_EQ(listed.size(), models.size()) << "the write refused with 503 was stored: " << again.body;
    auto after = http.post("/v1/workspaces/" + ws + "/models", editor, small_model("after"));
    EXPECT_EQ(after.status, 201) << after.body;

    // Runs are claimed again too: the job engine and the queue listener reconnected.
    auto run = http.post_json("/v1/workspaces/" + ws + "/runs", editor,
                              {{"method", "fixture.echo.run"}, {"model", models[0]}, {"params", json::object()}});
    ASSERT_EQ(run.status, 202) << run.body;
    const std::string run_id = run.json().value("id", "");
    const auto run_deadline = Clock::now() + std::chrono::seconds(15);
    std::string state;
    while ((state = http.get("/v1/workspaces/" + ws + "/runs/" + run_id, editor).json().value("state", "")) !=
           "succeeded") {
        ASSERT_LT(Clock::now(), run_deadline) << "run still " << state << " after the database returned";
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

}  // namespace
}  // namespace holon::test
