// `holon store migrate --from sqlite:DATA_DIR --to postgresql://...` (issue 20): an installation
// with workspaces, tokens, models with revisions, runs with events, results, tables and files is
// copied into a fresh PostgreSQL database; a server on that database then answers every read
// exactly as the SQLite server does, and the same token secrets authenticate. A second migrate
// into the now non-empty database is refused, as is a source that is not a Holon data directory.
#include "durability_support.hpp"
#include "http_client.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdlib>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <vector>

namespace holon::test {
namespace {

using json = nlohmann::json;

// Runs `holon` with the arguments (each single-quoted for the shell); returns exit code and output.
std::pair<int, std::string> holon(const std::vector<std::string>& args) {
    std::string command = HOLON_BINARY;
    for (const auto& a : args) command += " '" + a + "'";
    command += " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    std::string out;
    std::array<char, 4096> buf{};
    while (std::size_t n = fread(buf.data(), 1, buf.size(), pipe)) out.append(buf.data(), n);
    const int status = pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

json wait_run(const HttpClient& http, const std::string& ws, const std::string& token, const std::string& run) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    json doc;
    while (std::chrono::steady_clock::now() < deadline) {
        doc = http.get("/v1/workspaces/" + ws + "/runs/" + run, token).json();
        const auto state = doc.value("state", "");
        if (state == "succeeded" || state == "failed" || state == "cancelled") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return doc;
}

TEST(StoreMigrate, ASqliteInstallationServesTheSameFromPostgresql) {
    REQUIRE_POSTGRES();
    ServerOptions sqlite_options;
    sqlite_options.data_dir = fresh_dir("migrate-sqlite");
    sqlite_options.plugin_dirs = {HOLON_TEST_PLUGINS "/echo"};
    sqlite_options.store = "";
    ServerProcess sqlite_host(sqlite_options);
    sqlite_host.start();

    // An installation with something in every table.
    std::string ws, editor, viewer, model;
    std::vector<std::string> runs;
    {
        HttpClient http(sqlite_host.port());
        auto created = http.post_json("/v1/workspaces", admin_secret, {{"name", "before the move"}});
        ASSERT_EQ(created.status, 201) << created.body;
        ws = created.json().value("id", "");
        editor = http.post_json("/v1/workspaces/" + ws + "/tokens", admin_secret, {{"role", "editor"}}).json().value("token", "");
        viewer = http.post_json("/v1/workspaces/" + ws + "/tokens", admin_secret, {{"role", "viewer"}}).json().value("token", "");
        ASSERT_FALSE(editor.empty());
        auto m = http.post("/v1/workspaces/" + ws + "/models", editor, small_model("first"));
        ASSERT_EQ(m.status, 201) << m.body;
        model = m.json().value("id", "");
        auto updated = http.put("/v1/workspaces/" + ws + "/models/" + model, editor, small_model("second"), m.header("etag"));
        ASSERT_EQ(updated.status, 200) << updated.body;
        for (const json& params : {json{{"rows", 25}, {"labelled", true}, {"blob", "hello from SQLite"}, {"progress_steps", 3}},
                                   json{{"fail", "on purpose"}}}) {
            auto r = http.post_json("/v1/workspaces/" + ws + "/runs", editor,
                                    {{"method", "fixture.echo.run"}, {"model", model}, {"params", params}});
            ASSERT_EQ(r.status, 202) << r.body;
            runs.push_back(r.json().value("id", ""));
            wait_run(http, ws, editor, runs.back());
        }
    }
    ASSERT_EQ(sqlite_host.stop(), 0);

    PostgresDatabase database(postgres_server(), "migrate");
    const std::string from = "sqlite:" + sqlite_options.data_dir.string();
    auto [code, out] = holon({"store", "migrate", "--from", from, "--to", database.uri()});
    ASSERT_EQ(code, 0) << out;
    EXPECT_NE(out.find("copied and verified"), std::string::npos) << out;
    EXPECT_NE(out.find("model_revisions"), std::string::npos) << out;
    EXPECT_EQ(database.psql("SELECT COUNT(*) FROM model_revisions WHERE model_id = '" + model + "'"), "2");
    EXPECT_EQ(database.psql("SELECT COUNT(*) FROM runs"), "2");

    // Refused: a target that holds data, a source that is no Holon data directory, a bad --to.
    auto [again, again_out] = holon({"store", "migrate", "--from", from, "--to", database.uri()});
    EXPECT_EQ(again, 2) << again_out;
    EXPECT_NE(again_out.find("already holds data"), std::string::npos) << again_out;
    auto [empty, empty_out] = holon({"store", "migrate", "--from", "sqlite:" + fresh_dir("migrate-none").string(),
                                     "--to", database.uri()});
    EXPECT_EQ(empty, 2) << empty_out;
    EXPECT_NE(empty_out.find("no Holon database"), std::string::npos) << empty_out;
    auto [bad_to, bad_to_out] = holon({"store", "migrate", "--from", from, "--to", "/tmp/x.db"});
    EXPECT_EQ(bad_to, 2) << bad_to_out;
    EXPECT_EQ(database.psql("SELECT COUNT(*) FROM runs"), "2") << "a refused migrate changed the target";

    // The SQLite server again, and a server on the PostgreSQL copy (another data folder): every
    // read answers the same, with the same token secrets.
    sqlite_host.start();
    ServerOptions pg_options;
    pg_options.data_dir = fresh_dir("migrate-pg");
    pg_options.plugin_dirs = {HOLON_TEST_PLUGINS "/echo"};
    pg_options.store = database.uri();
    ServerProcess pg_host(pg_options);
    pg_host.start();
    HttpClient a(sqlite_host.port()), b(pg_host.port());

    const std::string base = "/v1/workspaces/" + ws;
    std::vector<std::pair<std::string, std::string>> reads = {
        {base, viewer},
        {base + "/models?limit=10", viewer},
        {base + "/models/" + model, viewer},
        {base + "/models/" + model + "/revisions?limit=10", viewer},
        {base + "/runs?limit=10", editor},
        {base + "/tokens?limit=10", admin_secret},
    };
    for (const auto& run : runs) {
        reads.emplace_back(base + "/runs/" + run, viewer);
        reads.emplace_back(base + "/runs/" + run + "/events", viewer);
    }
    reads.emplace_back(base + "/runs/" + runs[0] + "/result", viewer);
    reads.emplace_back(base + "/runs/" + runs[0] + "/tables", viewer);
    reads.emplace_back(base + "/runs/" + runs[0] + "/tables/squares", viewer);
    reads.emplace_back(base + "/runs/" + runs[0] + "/files/echo.txt", viewer);
    for (const auto& [path, token] : reads) {
        auto from_sqlite = a.get(path, token);
        auto from_pg = b.get(path, token);
        EXPECT_EQ(from_sqlite.status, 200) << path << ": " << from_sqlite.body;
        EXPECT_EQ(from_pg.status, from_sqlite.status) << path << ": " << from_pg.body;
        EXPECT_EQ(from_pg.body, from_sqlite.body) << path;
        EXPECT_EQ(from_pg.header("etag"), from_sqlite.header("etag")) << path;
    }
    EXPECT_EQ(b.get(base + "/runs/" + runs[0] + "/files/echo.txt", viewer).body, "hello from SQLite");
    EXPECT_EQ(b.get(base + "/models/" + model, viewer).json().value("name", ""), "second");

    // The copy is a working store: the model takes a new revision and runs run there.
    auto current = b.get(base + "/models/" + model, editor);
    auto third = b.put(base + "/models/" + model, editor, small_model("third"), current.header("etag"));
    EXPECT_EQ(third.status, 200) << third.body;
    EXPECT_EQ(third.json().value("revision", 0), 3);
    auto r = b.post_json(base + "/runs", editor, {{"method", "fixture.echo.run"}, {"model", model}});
    ASSERT_EQ(r.status, 202) << r.body;
    EXPECT_EQ(wait_run(b, ws, editor, r.json().value("id", "")).value("state", ""), "succeeded");
}


// docs/operations.md's PostgreSQL backup procedure, exactly: pg_dump while a host serves, then
// pg_restore into a new empty database; a host on the restored copy serves the same.
TEST(PgDump, ADumpTakenWhileServingRestoresIntoAnEmptyDatabase) {
    REQUIRE_POSTGRES();
    PostgresDatabase original(postgres_server(), "dump");
    ServerOptions options;
    options.data_dir = fresh_dir("dump-original");
    options.plugin_dirs = {HOLON_TEST_PLUGINS "/echo"};
    options.store = original.uri();
    ServerProcess host(options);
    host.start();
    HttpClient http(host.port());
    auto created = http.post_json("/v1/workspaces", admin_secret, {{"name", "dumped"}});
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string ws = created.json().value("id", "");
    const std::string editor =
        http.post_json("/v1/workspaces/" + ws + "/tokens", admin_secret, {{"role", "editor"}}).json().value("token", "");
    auto m = http.post("/v1/workspaces/" + ws + "/models", editor, small_model("dumped model"));
    ASSERT_EQ(m.status, 201) << m.body;
    const std::string model = m.json().value("id", "");
    auto r = http.post_json("/v1/workspaces/" + ws + "/runs", editor,
                            {{"method", "fixture.echo.run"}, {"model", model}, {"params", {{"rows", 10}, {"blob", "dumped"}}}});
    ASSERT_EQ(r.status, 202) << r.body;
    const std::string run = r.json().value("id", "");
    ASSERT_EQ(wait_run(http, ws, editor, run).value("state", ""), "succeeded");

    const auto dump = fresh_dir("dump-file") / "holon.dump";
    const std::string dump_command = "pg_dump --format=custom --file='" + dump.string() + "' '" + original.uri() + "' 2>&1";
    ASSERT_EQ(std::system(dump_command.c_str()), 0) << dump_command;
    ASSERT_EQ(host.stop(), 0);

    PostgresDatabase restored(postgres_server(), "restored");
    const std::string restore_command =
        "pg_restore --no-owner --exit-on-error --dbname='" + restored.uri() + "' '" + dump.string() + "' 2>&1";
    ASSERT_EQ(std::system(restore_command.c_str()), 0) << restore_command;

    host.start();
    ServerOptions copy_options = options;
    copy_options.data_dir = fresh_dir("dump-restored");
    copy_options.store = restored.uri();
    ServerProcess copy(copy_options);
    copy.start();
    HttpClient a(host.port()), b(copy.port());
    const std::string base = "/v1/workspaces/" + ws;
    for (const std::string& path : {base + "/models/" + model, base + "/runs/" + run, base + "/runs/" + run + "/events",
                                    base + "/runs/" + run + "/tables/squares", base + "/runs/" + run + "/files/echo.txt"}) {
        auto x = a.get(path, editor), y = b.get(path, editor);
        EXPECT_EQ(x.status, 200) << path << ": " << x.body;
        EXPECT_EQ(y.status, 200) << path << ": " << y.body;
        EXPECT_EQ(x.body, y.body) << path;
    }
    // The restored database takes new work.
    auto again = b.post_json(base + "/runs", editor, {{"method", "fixture.echo.run"}, {"model", model}});
    ASSERT_EQ(again.status, 202) << again.body;
    EXPECT_EQ(wait_run(b, ws, editor, again.json().value("id", "")).value("state", ""), "succeeded");
}

}  // namespace
}  // namespace holon::test
