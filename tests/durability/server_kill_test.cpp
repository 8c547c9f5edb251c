// Issue 3's durability acceptance: a client writes models, model revisions, runs and tokens while
// the real server is killed with SIGKILL at random moments, ten times. After every restart each
// write the server acknowledged (answered 2xx) must be there, and SQLite's integrity check must
// say "ok". Writes that were in flight when the server died may or may not be there: the client
// never heard back, so nothing was promised.
#include "durability_support.hpp"
#include "http_client.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace holon::test {
namespace {

using json = nlohmann::json;

// What the server acknowledged so far. Guarded by `mutex`: two writer threads add to it.
struct Acknowledged {
    std::mutex mutex;
    std::map<std::string, std::pair<long long, std::string>> models;  // id -> (revision, name)
    std::vector<std::string> runs;
    std::vector<std::string> tokens;  // secrets
    std::atomic<int> writes{0};
};

std::string integrity_check(const std::filesystem::path& db) {
    sqlite3* handle = nullptr;
    if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        std::string message = handle ? sqlite3_errmsg(handle) : "out of memory";
        sqlite3_close(handle);
        return "cannot open: " + message;
    }
    sqlite3_busy_timeout(handle, 10000);
    std::string result;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(handle, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK) {
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            if (!result.empty()) result += "; ";
            result += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
        }
    } else {
        result = std::string("cannot prepare: ") + sqlite3_errmsg(handle);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(handle);
    return result;
}

// Creates models and then updates each once with If-Match, until the server stops answering.
void write_models(const HttpClient& http, const std::string& ws, const std::string& token, Acknowledged& ack,
                  const std::atomic<bool>& stop, int round) {
    for (int i = 0; !stop; ++i) {
        const std::string name = "r" + std::to_string(round) + "-m" + std::to_string(i);
        try {
            auto created = http.post("/v1/workspaces/" + ws + "/models", token, small_model(name));
            if (created.status != 201) return;
            const std::string id = created.json().value("id", "");
            {
                std::lock_guard lock(ack.mutex);
                ack.models[id] = {created.json().value("revision", 0LL), name};
            }
            ++ack.writes;
            const std::string renamed = name + "-v2";
            auto updated = http.put("/v1/workspaces/" + ws + "/models/" + id, token, small_model(renamed),
                                    created.header("etag"));
            if (updated.status != 200) return;
            {
                std::lock_guard lock(ack.mutex);
                ack.models[id] = {updated.json().value("revision", 0LL), renamed};
            }
            ++ack.writes;
        } catch (const std::exception&) {
            return;  // the server died under us: this request was never acknowledged
        }
    }
}

// Queues runs of the echo fixture on a model, and creates tokens, until the server stops answering.
void write_runs_and_tokens(const HttpClient& http, const std::string& ws, const std::string& token,
                           const std::string& model, Acknowledged& ack, const std::atomic<bool>& stop) {
    for (int i = 0; !stop; ++i) {
        try {
            auto run = http.post_json("/v1/workspaces/" + ws + "/runs", token,
                                      {{"method", "fixture.echo.run"}, {"model", model}});
            if (run.status != 202 && run.status != 200) return;
            {
                std::lock_guard lock(ack.mutex);
                ack.runs.push_back(run.json().value("id", ""));
            }
            ++ack.writes;
            if (i % 4 != 0) continue;
            auto created = http.post_json("/v1/workspaces/" + ws + "/tokens", admin_secret, {{"role", "viewer"}});
            if (created.status != 201) return;
            {
                std::lock_guard lock(ack.mutex);
                ack.tokens.push_back(created.json().value("token", ""));
            }
            ++ack.writes;
        } catch (const std::exception&) {
            return;
        }
    }
}

// Every acknowledged write is readable, with at least the acknowledged revision.
void expect_everything_acknowledged_is_there(const HttpClient& http, const std::string& ws, const std::string& token,
                                             Acknowledged& ack, int kill) {
    std::lock_guard lock(ack.mutex);
    for (const auto& [id, revision_and_name] : ack.models) {
        auto r = http.get("/v1/workspaces/" + ws + "/models/" + id, token);
        ASSERT_EQ(r.status, 200) << "after kill " << kill << ": acknowledged model " << id << " is gone";
        const auto body = r.json();
        auto revisions = http.get("/v1/workspaces/" + ws + "/models/" + id + "/revisions?limit=100", token);
        ASSERT_EQ(revisions.status, 200) << revisions.body;
        long long newest = 0;
        const auto listed = revisions.json();
        for (const auto& item : listed.at("items")) newest = std::max(newest, item.value("revision", 0LL));
        EXPECT_GE(newest, revision_and_name.first) << "after kill " << kill << ": model " << id
                                                   << " lost an acknowledged revision: " << revisions.body;
        if (newest == revision_and_name.first) {
            EXPECT_EQ(body.value("name", ""), revision_and_name.second)
                << "after kill " << kill << ": model " << id << " does not hold its acknowledged content";
        }
    }
    for (const auto& id : ack.runs) {
        auto r = http.get("/v1/workspaces/" + ws + "/runs/" + id, token);
        ASSERT_EQ(r.status, 200) << "after kill " << kill << ": acknowledged run " << id << " is gone";
    }
    for (const auto& secret : ack.tokens) {
        auto r = http.get("/v1/workspaces/" + ws, secret);
        ASSERT_EQ(r.status, 200) << "after kill " << kill << ": an acknowledged token no longer authenticates";
    }
}

TEST(ServerDurability, EveryAcknowledgedWriteSurvivesTenSigkills) {
    const unsigned seed = std::random_device{}();
    SCOPED_TRACE("random seed " + std::to_string(seed));
    std::mt19937 random(seed);

    ServerOptions options;
    options.data_dir = fresh_dir("durability");
    options.plugin_dirs = {HOLON_TEST_PLUGINS "/echo"};
    ServerProcess server(options);
    server.start();

    std::string ws, editor, model;
    {
        HttpClient http(server.port());
        auto created = http.post_json("/v1/workspaces", admin_secret, {{"name", "durability"}});
        ASSERT_EQ(created.status, 201) << created.body;
        ws = created.json().value("id", "");
        auto token = http.post_json("/v1/workspaces/" + ws + "/tokens", admin_secret, {{"role", "editor"}});
        ASSERT_EQ(token.status, 201) << token.body;
        editor = token.json().value("token", "");
        auto m = http.post("/v1/workspaces/" + ws + "/models", editor, small_model("run target"));
        ASSERT_EQ(m.status, 201) << m.body;
        model = m.json().value("id", "");
    }

    Acknowledged ack;
    constexpr int kills = 10;
    for (int kill = 1; kill <= kills; ++kill) {
        HttpClient http(server.port());
        std::atomic<bool> stop{false};
        const int before = ack.writes;
        std::thread models([&] { write_models(http, ws, editor, ack, stop, kill); });
        std::thread runs([&] { write_runs_and_tokens(http, ws, editor, model, ack, stop); });
        // At least 100 acknowledged writes a round (so 1,000+ in all), then a random moment more.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        while (ack.writes - before < 100 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 400)(random)));
        server.kill_hard();
        stop = true;
        models.join();
        runs.join();
        ASSERT_GE(ack.writes - before, 100) << "round " << kill << " acknowledged too few writes";

        server.start();
        HttpClient after(server.port());
        expect_everything_acknowledged_is_there(after, ws, editor, ack, kill);
        if (HasFatalFailure()) return;
        // On PostgreSQL (HOLON_TEST_STORE_POSTGRES=1) the server keeps its own integrity; the
        // acknowledged writes above are the check.
        if (server.store().empty()) {
            EXPECT_EQ(integrity_check(options.data_dir / "holon.db"), "ok") << "after kill " << kill;
        }
    }
    EXPECT_GE(ack.writes, 1000);
    std::cout << "acknowledged writes: " << ack.writes << " (models " << ack.models.size() << ", runs "
              << ack.runs.size() << ", tokens " << ack.tokens.size() << ") across " << kills << " SIGKILLs\n";
    EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace holon::test
