// `systemctl reload holon` (SIGHUP): the server re-reads its configuration file and serves again
// with it; a file with an error is refused and the server keeps serving as it was. Observed
// through limits.page_size, the default number of items a list returns.
#include "http_client.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <chrono>
#include <fstream>
#include <thread>

namespace holon::test {
namespace {

void write_config(const std::filesystem::path& file, const std::string& text) {
    std::ofstream(file) << text;
}

size_t listed_models(const HttpClient& http, const std::string& ws) {
    auto r = http.get("/v1/workspaces/" + ws + "/models", admin_secret);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["items"].size();
}

bool logged(const ServerProcess& server, const std::string& message) {
    const auto lines = server.log_lines();
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& l) { return l.find("\"" + message + "\"") != std::string::npos; });
}

TEST(Reload, SighupAppliesTheChangedFileAndRefusesABadOne) {
    const auto dir = fresh_dir("reload");
    const auto config = dir / "holon.yaml";
    write_config(config, "limits:\n  page_size: 2\n");
    ServerOptions options;
    options.data_dir = dir / "data";
    options.extra_args = {"--config", config.string()};
    ServerProcess server(options);
    server.start();

    HttpClient http(server.port());
    auto ws = http.post_json("/v1/workspaces", admin_secret, {{"name", "reload"}}).json()["id"].get<std::string>();
    std::ifstream in(std::string(HOLON_SOURCE_DIR) + "/schemas/examples/sir-epidemic.model.json");
    const std::string model((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (int i = 0; i < 4; ++i)
        ASSERT_EQ(http.post("/v1/workspaces/" + ws + "/models", admin_secret, model).status, 201);
    EXPECT_EQ(listed_models(http, ws), 2u);

    // A changed file: the server drains, serves again (here on a new loopback port, since the
    // test listens on port 0) and lists three by default; the data is the same.
    write_config(config, "limits:\n  page_size: 3\n");
    server.signal(SIGHUP);
    HttpClient reloaded(server.wait_listening(2));
    EXPECT_TRUE(logged(server, "reloading"));
    EXPECT_EQ(listed_models(reloaded, ws), 3u);

    // A file with an error: logged and refused; the server keeps serving where it was, as it was.
    write_config(config, "workers: 0\n");
    server.signal(SIGHUP);
    for (int i = 0; i < 300 && !logged(server, "reload refused, still serving with the previous settings"); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_TRUE(logged(server, "reload refused, still serving with the previous settings"));
    EXPECT_EQ(listed_models(reloaded, ws), 3u);
    EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace holon::test
