// The real `holon` binary, run as a user would, against the fixture plugins and the example models.
#include "cli_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;
using holon::test::line_count;
using holon::test::ProcessResult;
using holon::test::run_process;
using nlohmann::json;

namespace {

const std::string holon_bin = HOLON_BIN;
const fs::path fixtures = HOLON_TEST_PLUGINS;
const fs::path source_dir = HOLON_SOURCE_DIR;
const fs::path example_model = source_dir / "schemas/examples/health-social-care-delays.model.json";

// Only the fixtures: the build tree's own plugins are found too, which is fine for these tests.
ProcessResult holon_cli(const std::vector<std::string> &args, std::map<std::string, std::string> env = {}) {
    if (!env.count("HOLON_PLUGIN_PATH")) env["HOLON_PLUGIN_PATH"] = fixtures.string();
    return run_process(holon_bin, args, env);
}

std::string slurp(const fs::path &p) {
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

class TempDir {
public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "holon-cli-XXXXXX").string();
        path_ = mkdtemp(tmpl.data());
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path &path() const { return path_; }

private:
    fs::path path_;
};

// A failure message is exactly one line on stderr, starting with "holon: ".
void expect_one_line_error(const ProcessResult &r, int exit_code, const std::string &must_contain) {
    EXPECT_EQ(r.exit_code, exit_code) << r.err;
    EXPECT_EQ(line_count(r.err), 1u) << r.err;
    EXPECT_EQ(r.err.rfind("holon: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(must_contain), std::string::npos) << "expected '" << must_contain << "' in: " << r.err;
}

} // namespace

TEST(Cli, VersionNamesProductAndSdk) {
    auto r = holon_cli({"--version"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("holon 0."), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("SDK 1.1"), std::string::npos) << r.out;
}

TEST(Cli, UnknownOptionIsBadUsage) {
    expect_one_line_error(holon_cli({"plugins", "--no-such-option"}), 2, "--no-such-option");
}

TEST(Cli, PluginsJsonListsEveryPluginWithMethodsAndSchemas) {
    auto r = holon_cli({"plugins", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json list = json::parse(r.out);
    ASSERT_TRUE(list.is_array());
    std::set<std::string> ids;
    for (const auto &p : list) {
        ids.insert(p.at("id").get<std::string>());
        for (const char *key : {"id", "version", "abi", "path", "methods"}) EXPECT_TRUE(p.contains(key)) << key;
        if (p.contains("error")) continue;
        // Built with the current SDK, except the ABI test's plugin frozen at 1.0.
        EXPECT_EQ(p.at("abi"), p.at("id") == "abi_frozen" ? "1.0" : "1.1");
        EXPECT_TRUE(fs::is_directory(p.at("path").get<std::string>()));
        for (const auto &m : p.at("methods")) {
            for (const char *key : {"id", "name", "description", "params_schema", "result_schema"})
                EXPECT_TRUE(m.contains(key)) << key;
            EXPECT_TRUE(m.at("params_schema").is_object());
            EXPECT_TRUE(m.at("result_schema").is_object());
        }
    }
    EXPECT_TRUE(ids.count("fixture.echo"));
    EXPECT_TRUE(ids.count("fixture.c99"));
    // The plugin built for SDK 2 is listed as unusable, with the reason.
    bool saw_abi2 = false;
    for (const auto &p : list) {
        if (p.at("path").get<std::string>().find("abi2") == std::string::npos) continue;
        saw_abi2 = true;
        ASSERT_TRUE(p.contains("error"));
        EXPECT_TRUE(p.at("methods").empty());
    }
    EXPECT_TRUE(saw_abi2);
}

TEST(Cli, PluginPathOptionAddsAFolder) {
    TempDir empty;
    auto r = holon_cli({"plugins", "--json", "--plugin-path", (fixtures / "echo").string()},
                   {{"HOLON_PLUGIN_PATH", empty.path().string()}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    bool found = false;
    for (const auto &p : json::parse(r.out)) found = found || p.at("id") == "fixture.echo";
    EXPECT_TRUE(found);
}

TEST(Cli, RunPrintsResultAndWritesOutputs) {
    TempDir out;
    auto r = holon_cli({"run", "fixture.echo.run", "--model", example_model.string(), "--params",
                    R"({"rows": 5, "blob": "hello"})", "--out", out.path().string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json result = json::parse(slurp(out.path() / "result.json"));
    EXPECT_EQ(result.at("params").at("rows"), 5);
    EXPECT_GT(result.at("model_bytes").get<int>(), 100);
    EXPECT_EQ(slurp(out.path() / "squares.csv"), "x,x2\n0,0\n1,1\n2,4\n3,9\n4,16\n");
    EXPECT_EQ(slurp(out.path() / "echo.txt"), "hello");
    EXPECT_NE(r.out.find("squares.csv"), std::string::npos);

    auto printed = holon_cli({"run", "fixture.echo.run", "--model", example_model.string(), "--quiet"});
    ASSERT_EQ(printed.exit_code, 0) << printed.err;
    EXPECT_EQ(json::parse(printed.out).at("params"), json::object());
}

TEST(Cli, ParamsFromAFile) {
    TempDir t;
    std::ofstream(t.path() / "params.json") << R"({"log": "from a file"})";
    auto r = holon_cli({"run", "fixture.echo.run", "--model", example_model.string(), "--params",
                    "@" + (t.path() / "params.json").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(json::parse(r.out).at("params").at("log"), "from a file");
}

TEST(Cli, MalformedParamsAreBadInputWithPosition) {
    expect_one_line_error(holon_cli({"run", "fixture.echo.run", "--model", example_model.string(), "--params", "{\"a\": }"}),
                          2, "line 1");
}

TEST(Cli, UnknownMethodIsBadInput) {
    expect_one_line_error(holon_cli({"run", "no.such.method", "--model", example_model.string()}), 2, "no.such.method");
}

TEST(Cli, MissingModelIsBadInput) {
    expect_one_line_error(holon_cli({"run", "fixture.echo.run"}), 2, "needs a model");
    expect_one_line_error(holon_cli({"run", "fixture.echo.run", "--model", "/no/such/model.json"}), 2, "/no/such/model.json");
}

TEST(Cli, ParamsThePluginRefusesAreBadInput) {
    expect_one_line_error(holon_cli({"run", "fixture.echo.run", "--model", example_model.string(), "--params",
                                     R"({"fail": "no such thing"})"}),
                          2, "(invalid-params): no such thing");
}

TEST(Cli, ParamsThePluginRefusesNameThePluginsPath) {
#if HOLON_TEST_HAVE_SSM
    // ssm.check refuses an unknown activity model with holon::fail_params("/models/0", ...).
    auto r = holon_cli({"run", "ssm.check", "--model", (source_dir / "docs/examples/prison-inquiry.model.json").string(),
                        "--params", R"({"models": ["am-nope"]})"});
    expect_one_line_error(r, 2, "ssm.check failed (invalid-params): unknown activity model 'am-nope' (at params /models/0)");
#else
    GTEST_SKIP() << "the ssm plugin is not part of this build";
#endif
}

TEST(Cli, InvalidModelIsBadInputNamingThePath) {
    const fs::path bad = source_dir / "schemas/examples/invalid/dangling-link.model.json";
    auto r = holon_cli({"run", "fixture.echo.run", "--model", bad.string()});
    expect_one_line_error(r, 2, "dangling-link.model.json");
    EXPECT_NE(r.err.find("/links/"), std::string::npos) << r.err;
}

TEST(Cli, CrashingPluginFailsTheRunWithExitOne) {
    auto r = holon_cli({"run", "fixture.segfault.run", "--model", example_model.string()});
    expect_one_line_error(r, 1, "crashed");
    EXPECT_NE(r.err.find("SIGSEGV"), std::string::npos) << r.err;
}

TEST(Cli, TimeoutOptionLimitsTheRun) {
    auto r = holon_cli({"run", "fixture.sleep-forever.run", "--model", example_model.string(), "--timeout", "1"});
    expect_one_line_error(r, 1, "wall-clock-limit");
}

TEST(Cli, PlainCPluginRuns) {
    auto r = holon_cli({"run", "fixture.c99.sum", "--model", example_model.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(r.out.empty());
}

TEST(Cli, ModelValidateAcceptsEveryExample) {
    int seen = 0;
    for (const auto &e : fs::directory_iterator(source_dir / "schemas/examples")) {
        if (!e.is_regular_file() || e.path().extension() != ".json") continue;
        ++seen;
        auto r = holon_cli({"model", "validate", e.path().string()});
        EXPECT_EQ(r.exit_code, 0) << e.path() << ": " << r.err;
        EXPECT_NE(r.out.find("valid holon-model/1"), std::string::npos) << r.out;
        EXPECT_NE(r.out.find("sha256:"), std::string::npos) << r.out;
    }
    EXPECT_GE(seen, 3);
}

TEST(Cli, ModelValidateRejectsEveryBrokenExampleWithItsPath) {
    int seen = 0;
    for (const auto &e : fs::directory_iterator(source_dir / "schemas/examples/invalid")) {
        if (e.path().extension() != ".json") continue;
        ++seen;
        auto expected_file = e.path();
        expected_file.replace_extension("").replace_extension(".expected");
        std::istringstream expected(slurp(expected_file));
        auto r = holon_cli({"model", "validate", e.path().string()});
        EXPECT_EQ(r.exit_code, 2) << e.path();
        EXPECT_EQ(line_count(r.err), 1u) << r.err;
        bool named = false;
        for (std::string path; std::getline(expected, path);)
            if (!path.empty()) named = named || r.err.find(path + ":") != std::string::npos;
        EXPECT_TRUE(named) << e.path() << ": " << r.err;
    }
    EXPECT_GE(seen, 3);
}

TEST(Cli, ModelValidateGivesLineAndColumnForMalformedJson) {
    TempDir t;
    const auto file = t.path() / "broken.model.json";
    std::ofstream(file) << "{\n  \"format\": \"holon-model/1\",\n  \"id\": \n}\n";
    expect_one_line_error(holon_cli({"model", "validate", file.string()}), 2, "broken.model.json:4:");
}

TEST(Cli, ModelValidateNamesTheMissingImporter) {
    TempDir t;
    const auto file = t.path() / "map.unknownformat";
    std::ofstream(file) << "whatever";
    expect_one_line_error(holon_cli({"model", "validate", file.string()}), 2, "no plugin imports '.unknownformat'");
}

TEST(Cli, PluginCheckPassesAWellBehavedPlugin) {
    for (const char *name : {"echo", "c99"}) {
        auto r = holon_cli({"plugin", "check", (fixtures / name).string()});
        EXPECT_EQ(r.exit_code, 0) << name << "\n" << r.out << r.err;
        EXPECT_NE(r.out.find(" 0 failed"), std::string::npos) << r.out;
        EXPECT_EQ(r.out.find("FAIL"), std::string::npos) << r.out;
    }
}

TEST(Cli, PluginCheckFailsMisbehavingPlugins) {
    for (const char *name : {"segfault", "fork_bomb", "abi2"}) {
        auto r = holon_cli({"plugin", "check", (fixtures / name).string()});
        EXPECT_EQ(r.exit_code, 1) << name << "\n" << r.out << r.err;
        EXPECT_NE(r.out.find("FAIL"), std::string::npos) << r.out;
    }
    auto abi2 = holon_cli({"plugin", "check", (fixtures / "abi2").string()});
    EXPECT_NE(abi2.out.find("2.0"), std::string::npos) << abi2.out;
}

TEST(Cli, PluginCheckNeedsAPluginFolder) {
    TempDir t;
    expect_one_line_error(holon_cli({"plugin", "check", t.path().string()}), 2, "not a plugin folder");
}

namespace {

TEST(Cli, ServeTakesTlsCertificateAndKeyFromFlags) {
    const ProcessResult shown = holon_cli({"serve", "--tls-cert", "/etc/holon/server.pem", "--tls-key",
                                           "/etc/holon/server.key", "--print-config"});
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_NE(shown.out.find("/etc/holon/server.pem"), std::string::npos) << shown.out;
    EXPECT_NE(shown.out.find("/etc/holon/server.key"), std::string::npos) << shown.out;
}

TEST(Cli, ServeRefusesACertificateWithoutItsKey) {
    TempDir dir;
    const ProcessResult r = holon_cli({"serve", "--tls-cert", "/etc/holon/server.pem", "--listen", "127.0.0.1:0",
                                       "--data", (dir.path() / "data").string()});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("TLS needs both tls.certificate and tls.key"), std::string::npos) << r.err;
}

} // namespace
