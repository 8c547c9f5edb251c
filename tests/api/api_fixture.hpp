// One real server per test suite (a fresh data directory), and helpers to make workspaces,
// tokens, models and runs through the API itself.
#pragma once

#include "http_client.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

namespace holon::test {

inline std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::string example_model(const std::string& name = "sir-epidemic") {
    return read_text(std::string(HOLON_SOURCE_DIR) + "/schemas/examples/" + name + ".model.json");
}

// A sweep of the echo fixture: `points` runs, each sleeping sleep_ms and putting a 3-row table.
inline nlohmann::json echo_job(const std::string& model, int points, int sleep_ms) {
    auto values = nlohmann::json::array();
    for (int i = 0; i < points; ++i) values.push_back(sleep_ms + i % 2);
    return {{"version", "holon-batch/1"},
            {"name", "echo sweep"},
            {"inputs", {{"m", {{"model_id", model}}}}},
            {"steps",
             {{{"name", "sweep"},
               {"method", "fixture.echo.run"},
               {"input", "m"},
               {"params", {{"rows", 3}}},
               {"sweep", {{"grid", {{{"name", "sleep_ms"}, {"values", values}}}}}},
               {"outputs", {{"table", "squares"}, {"time", "x"}, {"variables", {"x2"}}}}}}}};
}

class ApiSuite : public ::testing::Test {
public:
    static void start_server(const std::string& name, std::map<std::string, std::string> env) {
        ServerOptions options;
        options.data_dir = fresh_dir(name);
        options.env = std::move(env);
        server_ = std::make_unique<ServerProcess>(options);
        server_->start();
        client_ = std::make_unique<HttpClient>(server_->port());
    }
    static void TearDownTestSuite() {
        if (server_) {
            EXPECT_EQ(server_->stop(), 0) << "holon serve must stop cleanly on SIGTERM";
        }
        server_.reset();
        client_.reset();
    }

protected:
    static const HttpClient& http() { return *client_; }
    static const std::string& admin() { return admin_secret; }

    // A new workspace; returns its id.
    static std::string make_workspace(const std::string& name = "ws") {
        auto r = http().post_json("/v1/workspaces", admin(), {{"name", name}});
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json().value("id", "");
    }
    static std::string make_token(const std::string& ws, const std::string& role) {
        auto r = http().post_json("/v1/workspaces/" + ws + "/tokens", admin(), {{"role", role}});
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json().value("token", "");
    }
    static std::string make_model(const std::string& ws, const std::string& token = admin_secret) {
        auto r = http().post("/v1/workspaces/" + ws + "/models", token, example_model());
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json().value("id", "");
    }
    static nlohmann::json make_run(const std::string& ws, const nlohmann::json& body, double wait = 0) {
        auto r = http().post_json("/v1/workspaces/" + ws + "/runs" + (wait > 0 ? "?wait=" + std::to_string(wait) : ""),
                                  admin(), body);
        EXPECT_TRUE(r.status == 200 || r.status == 202) << r.body;
        return r.json();
    }
    // Polls until the run is in a terminal state (or 60 s pass).
    static nlohmann::json wait_run(const std::string& ws, const std::string& run) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        nlohmann::json doc;
        while (std::chrono::steady_clock::now() < deadline) {
            doc = http().get("/v1/workspaces/" + ws + "/runs/" + run, admin()).json();
            const auto state = doc.value("state", "");
            if (state == "succeeded" || state == "failed" || state == "cancelled") return doc;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return doc;
    }

    static inline std::unique_ptr<ServerProcess> server_;
    static inline std::unique_ptr<HttpClient> client_;
};

}  // namespace holon::test
