// What the durability tests share: the PostgreSQL server they run hosts on (HOLON_TEST_POSTGRES;
// .ci/postgres.sh starts a throwaway one), a small model to write, and a /metrics sample.
#pragma once

#include "http_client.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace holon::test {

// The PostgreSQL server of the tests, or "".
inline std::string postgres_server() {
    const char* value = std::getenv("HOLON_TEST_POSTGRES");
    return value ? value : "";
}

// Skips the test without a PostgreSQL server, or fails it where CI requires one.
#define REQUIRE_POSTGRES()                                                                              \
    do {                                                                                                \
        if (::holon::test::postgres_server().empty()) {                                                 \
            if (std::getenv("HOLON_REQUIRE_POSTGRES")) FAIL() << "HOLON_TEST_POSTGRES is not set";      \
            GTEST_SKIP() << "HOLON_TEST_POSTGRES is not set (bash .ci/postgres.sh starts a server)";    \
        }                                                                                               \
    } while (0)

// The SIR example model of schemas/examples under another name.
inline std::string small_model(const std::string& name) {
    std::ifstream in(std::string(HOLON_SOURCE_DIR) + "/schemas/examples/sir-epidemic.model.json");
    std::stringstream text;
    text << in.rdbuf();
    auto doc = nlohmann::json::parse(text.str());
    doc["name"] = name;
    return doc.dump();
}

// A sample of the host's /metrics by name (without labels), or -1 with a test failure.
inline double metric(const HttpClient& http, const std::string& name) {
    auto r = http.get("/metrics", "");
    EXPECT_EQ(r.status, 200);
    std::istringstream in(r.body);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
    ADD_FAILURE() << name << " is not in /metrics:\n" << r.body;
    return -1;
}

}  // namespace holon::test
