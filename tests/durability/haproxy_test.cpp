// docs/examples/haproxy.cfg in front of three `holon serve --store postgresql://...` hosts (issue
// 20): the documented file itself, with only its four loopback ports replaced by free ones. Every
// host answers a share of the requests; a client that only knows the balancer creates, runs and
// reads; a killed host is taken out of the rotation by the /readyz check and nothing fails.
#include "http_client.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace holon::test {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t size = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
    ::close(fd);
    return ntohs(address.sin_port);
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

int requests_logged(const ServerProcess& host, const std::string& prefix) {
    int n = 0;
    for (const auto& line : host.log_lines()) {
        auto doc = json::parse(line, nullptr, false);
        if (doc.is_object() && doc.value("msg", "") == "request" && doc.value("path", "").rfind(prefix, 0) == 0) ++n;
    }
    return n;
}

TEST(Haproxy, TheDocumentedConfigurationBalancesThreeHostsAndSkipsADeadOne) {
    const char* server = std::getenv("HOLON_TEST_POSTGRES");
    if (!server || !*server) {
        if (std::getenv("HOLON_REQUIRE_POSTGRES")) FAIL() << "HOLON_TEST_POSTGRES is not set";
        GTEST_SKIP() << "HOLON_TEST_POSTGRES is not set (bash .ci/postgres.sh starts a server)";
    }
    if (::access(HOLON_HAPROXY, X_OK) != 0) {
        if (std::getenv("HOLON_REQUIRE_POSTGRES")) FAIL() << "haproxy is not installed (.ci/setup.sh installs it)";
        GTEST_SKIP() << "haproxy is not installed (apt-get install haproxy; .ci/setup.sh installs it)";
    }
    PostgresDatabase database(server, "haproxy");
    std::vector<std::unique_ptr<ServerProcess>> hosts;
    for (int i = 0; i < 3; ++i) {
        ServerOptions options;
        options.data_dir = fresh_dir("haproxy-" + std::to_string(i));
        options.plugin_dirs = {HOLON_TEST_PLUGINS "/echo"};
        options.store = database.uri();
        options.env = {{"HOLON_LEASE_SECONDS", "2"}};
        hosts.push_back(std::make_unique<ServerProcess>(options));
        hosts.back()->start();
    }

    std::string config = read_file(std::string(HOLON_SOURCE_DIR) + "/docs/examples/haproxy.cfg");
    ASSERT_NE(config.find("127.0.0.1:8080"), std::string::npos);
    const int front = free_port();
    replace_all(config, "127.0.0.1:8080", "127.0.0.1:" + std::to_string(front));
    for (int i = 0; i < 3; ++i)
        replace_all(config, "127.0.0.1:808" + std::to_string(i + 1), "127.0.0.1:" + std::to_string(hosts[static_cast<std::size_t>(i)]->port()));
    const auto file = fresh_dir("haproxy-config") / "haproxy.cfg";
    std::ofstream(file) << config;

    const pid_t haproxy = fork();
    ASSERT_GE(haproxy, 0);
    if (haproxy == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        execl(HOLON_HAPROXY, HOLON_HAPROXY, "-db", "-f", file.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    struct Stop {
        pid_t pid;
        ~Stop() {
            ::kill(pid, SIGTERM);
            waitpid(pid, nullptr, 0);
        }
    } stop{haproxy};

    HttpClient lb(front);
    const auto ready = Clock::now() + std::chrono::seconds(15);
    for (;;) {
        try {
            if (lb.get("/readyz", "").status == 200) break;
        } catch (const std::exception&) {
        }
        ASSERT_LT(Clock::now(), ready) << "haproxy did not answer within 15 s";
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }

    // A client that knows only the balancer.
    auto created = lb.post_json("/v1/workspaces", admin_secret, {{"name", "behind haproxy"}});
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string ws = created.json().value("id", "");
    auto token = lb.post_json("/v1/workspaces/" + ws + "/tokens", admin_secret, {{"role", "editor"}});
    ASSERT_EQ(token.status, 201) << token.body;
    const std::string editor = token.json().value("token", "");
    auto model = lb.post("/v1/workspaces/" + ws + "/models", editor, read_file(std::string(HOLON_SOURCE_DIR) + "/schemas/examples/sir-epidemic.model.json"));
    ASSERT_EQ(model.status, 201) << model.body;
    const std::string model_id = model.json().value("id", "");
    auto run_all = [&](int count) {
        std::vector<std::string> ids;
        for (int i = 0; i < count; ++i) {
            auto r = lb.post_json("/v1/workspaces/" + ws + "/runs", editor, {{"method", "fixture.echo.run"}, {"model", model_id}});
            EXPECT_EQ(r.status, 202) << r.body;
            ids.push_back(r.json().value("id", ""));
        }
        for (const auto& id : ids) {
            const auto deadline = Clock::now() + std::chrono::seconds(30);
            std::string state;
            while ((state = lb.get("/v1/workspaces/" + ws + "/runs/" + id, editor).json().value("state", "")) != "succeeded") {
                ASSERT_TRUE(state == "queued" || state == "running") << id << ": " << state;
                ASSERT_LT(Clock::now(), deadline) << id << " still " << state;
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        }
    };
    run_all(9);
    for (int i = 0; i < 3; ++i)
        EXPECT_GT(requests_logged(*hosts[static_cast<std::size_t>(i)], "/v1/"), 2) << "host " << i << " got no share";

    // Host 3 dies: after the health checks notice (two failed checks, 1 s apart), every request
    // through the balancer still succeeds.
    hosts[2]->kill_hard();
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    run_all(6);
    for (int i = 0; i < 20; ++i)
        EXPECT_EQ(lb.get("/v1/workspaces/" + ws + "/models/" + model_id, editor).status, 200);
}

}  // namespace
}  // namespace holon::test
