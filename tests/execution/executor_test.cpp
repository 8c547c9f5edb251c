// Executor::run with real fixture plugins in real runners: what is refused before any plugin code
// runs (the executor's pool spawns nothing), what is checked after, how a plugin's own refusal
// reaches the caller, and how deep nested holon.invoke/1 calls may go.
#include "execution/admission.hpp"
#include "execution/executor.hpp"
#include "jsonschema/json_schema.hpp"

#include <holon/holon_plugin.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
using holon::execution::Executor;
using holon::execution::ExecutorOptions;
using holon::execution::RunRequest;
using holon::registry::Registry;
using holon::runner::TaskOutcome;
using holon::runner::RunnerPool;
using nlohmann::json;

namespace {

holon::runner::PoolOptions pool_options() {
    holon::runner::PoolOptions o;
    o.runner_executable = HOLON_RUNNER_EXE;
    return o;
}

std::string slurp(const fs::path &p) {
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

const std::string &example_model() {
    static const std::string text = slurp(fs::path(HOLON_SOURCE_DIR) / "schemas/examples/health-social-care-delays.model.json");
    return text;
}

// The registry is described in its own pool, so that the executor's pool counts only runs.
class ExecutorRun : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        describe_pool_ = new RunnerPool(pool_options());
        holon::registry::SearchOptions search;
        search.use_environment = false;
        search.use_defaults = false;
        search.explicit_paths = {fs::path(HOLON_TEST_PLUGINS) / "echo", fs::path(HOLON_TEST_PLUGINS) / "c99"};
#ifdef HOLON_TEST_SSM_PLUGIN
        search.explicit_paths.push_back(HOLON_TEST_SSM_PLUGIN);
#endif
        registry_ = new Registry(Registry::discover(search, *describe_pool_));
    }
    static void TearDownTestSuite() {
        delete registry_;
        delete describe_pool_;
    }

    void SetUp() override { ASSERT_NE(registry_->find_method("fixture.echo.run"), nullptr); }

    TaskOutcome run(RunRequest request, ExecutorOptions options = {}) {
        Executor executor(*registry_, pool_, options);
        return executor.run(request);
    }

    static RunRequest echo(json params, std::string model = example_model()) {
        RunRequest r;
        r.method_id = "fixture.echo.run";
        r.model_json = std::move(model);
        r.params_json = params.dump();
        return r;
    }

    static RunnerPool *describe_pool_;
    static Registry *registry_;
    RunnerPool pool_{pool_options()};
};

RunnerPool *ExecutorRun::describe_pool_ = nullptr;
Registry *ExecutorRun::registry_ = nullptr;

} // namespace

// ---- admission and validation before any plugin code runs ---------------------------------------

TEST_F(ExecutorRun, UnknownMethodIsRefused) {
    RunRequest r;
    r.method_id = "no.such.method";
    const TaskOutcome out = run(r);
    EXPECT_EQ(out.problem, "unknown-method");
    EXPECT_EQ(out.status, HOLON_ERR_NOT_FOUND);
    EXPECT_EQ(pool_.spawned_count(), 0u);
}

TEST_F(ExecutorRun, MissingModelIsRefusedWithTheSharedWording) {
    const TaskOutcome out = run(echo(json::object(), ""));
    EXPECT_EQ(out.problem, "invalid-model");
    EXPECT_EQ(out.status, HOLON_ERR_INVALID_MODEL);
    EXPECT_EQ(out.message, holon::execution::missing_model_message("fixture.echo.run"));
    EXPECT_EQ(pool_.spawned_count(), 0u);
}

TEST_F(ExecutorRun, ANoModelMethodRunsWithoutOne) {
    RunRequest r;
    r.method_id = "fixture.c99.sum";
    const TaskOutcome out = run(r);
    ASSERT_TRUE(out.ok()) << out.problem << ": " << out.message;
    EXPECT_EQ(json::parse(out.result_json).at("tables"), 0);
}

TEST_F(ExecutorRun, ParamsAgainstTheSchemaAreRefusedBeforeThePluginRuns) {
    RunRequest r = echo(json::object());
    r.params_json = "[1, 2, 3]";  // echo's params schema: {"type": "object"}
    const TaskOutcome out = run(r);
    EXPECT_EQ(out.problem, "invalid-params");
    EXPECT_EQ(out.status, HOLON_ERR_INVALID_PARAMS);
    EXPECT_EQ(out.message.rfind("params for fixture.echo.run: ", 0), 0u) << out.message;
    const json details = json::parse(out.details_json);
    ASSERT_EQ(details.at("violations").size(), 1u);
    EXPECT_EQ(details["violations"][0].at("path"), "");
    EXPECT_EQ(pool_.spawned_count(), 0u);
}

TEST_F(ExecutorRun, MalformedParamsAreRefusedWithThePosition) {
    RunRequest r = echo(json::object());
    r.params_json = "{\"a\": }";
    const TaskOutcome out = run(r);
    EXPECT_EQ(out.problem, "invalid-params");
    EXPECT_NE(out.message.find("line 1, column"), std::string::npos) << out.message;
    EXPECT_EQ(pool_.spawned_count(), 0u);
}

TEST_F(ExecutorRun, AnInvalidModelIsRefusedNamingThePath) {
    const std::string bad = slurp(fs::path(HOLON_SOURCE_DIR) / "schemas/examples/invalid/dangling-link.model.json");
    ASSERT_FALSE(bad.empty());
    const TaskOutcome out = run(echo(json::object(), bad));
    EXPECT_EQ(out.problem, "invalid-model");
    EXPECT_EQ(out.status, HOLON_ERR_INVALID_MODEL);
    const json details = json::parse(out.details_json);
    ASSERT_FALSE(details.at("violations").empty());
    EXPECT_EQ(details["violations"][0].at("path").get<std::string>().rfind("/links/", 0), 0u) << details.dump();
    EXPECT_EQ(pool_.spawned_count(), 0u);
}

TEST_F(ExecutorRun, AValidRunReachesThePluginWithParamsAndModel) {
    const TaskOutcome out = run(echo({{"log", "hello"}}));
    ASSERT_TRUE(out.ok()) << out.problem << ": " << out.message;
    const json result = json::parse(out.result_json);
    EXPECT_EQ(result.at("params").at("log"), "hello");
    EXPECT_EQ(result.at("model_bytes"), example_model().size());
    EXPECT_EQ(pool_.spawned_count(), 1u);
}

// ---- after the run --------------------------------------------------------------------------

TEST_F(ExecutorRun, AResultThatIsNotJsonIsInvalidResult) {
    const TaskOutcome out = run(echo({{"bad_json", true}}));
    EXPECT_EQ(out.problem, "invalid-result");
    EXPECT_EQ(out.status, HOLON_ERR_BAD_ARGUMENT);  // what put_json answered the plugin
}

TEST_F(ExecutorRun, AResultBreakingItsSchemaIsInvalidResult) {
    // This test's own registry entry gets a stricter result schema than the plugin published, so
    // that echo's usual result breaks it (no fixture breaks its own schema).
    Registry registry = [] {
        RunnerPool describe(pool_options());
        holon::registry::SearchOptions search;
        search.use_environment = false;
        search.use_defaults = false;
        search.explicit_paths = {fs::path(HOLON_TEST_PLUGINS) / "echo"};
        return Registry::discover(search, describe);
    }();
    auto *method = const_cast<holon::registry::MethodEntry *>(registry.find_method("fixture.echo.run"));
    ASSERT_NE(method, nullptr);
    method->result_schema = std::make_shared<const holon::jsonschema::Schema>(
        holon::jsonschema::Schema::parse(R"({"type":"object","required":["verdict"]})"));
    Executor executor(registry, pool_);
    const TaskOutcome out = executor.run(echo(json::object()));
    EXPECT_EQ(out.problem, "invalid-result");
    EXPECT_EQ(out.status, HOLON_ERR_FAILED);
    EXPECT_EQ(out.message.rfind("result of fixture.echo.run breaks its schema: ", 0), 0u) << out.message;
    EXPECT_NE(out.message.find("verdict"), std::string::npos) << out.message;
    EXPECT_FALSE(json::parse(out.details_json).at("violations").empty());
    EXPECT_EQ(pool_.spawned_count(), 1u);  // it did run: the check is after the run
}

// ---- a plugin's own refusal ------------------------------------------------------------------

TEST_F(ExecutorRun, APluginRefusingItsParamsIsInvalidParams) {
    const TaskOutcome out = run(echo({{"fail", "that makes no sense"}}));
    EXPECT_EQ(out.problem, "invalid-params");
    EXPECT_EQ(out.status, HOLON_ERR_INVALID_PARAMS);
    EXPECT_EQ(out.message, "that makes no sense");
    EXPECT_EQ(out.details_json, "");  // echo names no path; nothing is made up
}

TEST_F(ExecutorRun, APluginsPathBecomesAViolationBesideItsOwnDetails) {
#ifdef HOLON_TEST_SSM_PLUGIN
    RunRequest r;
    r.method_id = "ssm.check";
    r.model_json = slurp(fs::path(HOLON_SOURCE_DIR) / "docs/examples/prison-inquiry.model.json");
    r.params_json = R"({"models": ["am-nope"]})";
    const TaskOutcome out = run(r);
    EXPECT_EQ(out.problem, "invalid-params");
    EXPECT_EQ(out.status, HOLON_ERR_INVALID_PARAMS);
    EXPECT_EQ(out.message, "unknown activity model 'am-nope'");
    const json details = json::parse(out.details_json);
    EXPECT_EQ(details.at("path"), "/models/0");
    EXPECT_EQ(details.at("violations"), json::parse(R"([{"path": "/models/0", "message": "unknown activity model 'am-nope'"}])"));
#else
    GTEST_SKIP() << "the ssm plugin is not part of this build";
#endif
}

// ---- nested holon.invoke/1 -----------------------------------------------------------------

namespace {

// echo invoking echo invoking echo: three levels, the innermost at depth 2.
json three_levels() {
    const json innermost = {{"log", "innermost"}};
    const json middle = {{"invoke", {{"method", "fixture.echo.run"}, {"params", innermost}}}};
    return {{"invoke", {{"method", "fixture.echo.run"}, {"params", middle}}}};
}

} // namespace

TEST_F(ExecutorRun, NestedInvokesWithinTheDepthRun) {
    ExecutorOptions options;
    options.max_invoke_depth = 2;
    const TaskOutcome out = run(echo(three_levels()), options);
    ASSERT_TRUE(out.ok()) << out.problem << ": " << out.message;
    const json result = json::parse(out.result_json);
    EXPECT_EQ(result.at("nested_status"), HOLON_OK);
    EXPECT_EQ(result.at("nested").at("nested_status"), HOLON_OK);
    EXPECT_EQ(result["nested"]["nested"].at("params").at("log"), "innermost");
    // The nested runs got the caller's model.
    EXPECT_EQ(result["nested"]["nested"].at("model_bytes"), example_model().size());
}

TEST_F(ExecutorRun, NestedInvokesDeeperThanTheLimitAreRefused) {
    ExecutorOptions options;
    options.max_invoke_depth = 1;
    const TaskOutcome out = run(echo(three_levels()), options);
    ASSERT_TRUE(out.ok()) << out.problem << ": " << out.message;
    const json result = json::parse(out.result_json);
    EXPECT_EQ(result.at("nested_status"), HOLON_OK);  // depth 1 is allowed
    const json &middle = result.at("nested");
    EXPECT_EQ(middle.at("nested_status"), HOLON_ERR_INVOKE);  // depth 2 is not
    EXPECT_EQ(middle.at("nested_error"), "nested holon.invoke/1 calls deeper than 1");
    EXPECT_TRUE(middle.at("nested").is_null());
}

TEST_F(ExecutorRun, ANestedRunIsValidatedLikeAnyOther) {
    const TaskOutcome out =
        run(echo({{"invoke", {{"method", "fixture.echo.run"}, {"params", json::array({1, 2})}}}}));
    ASSERT_TRUE(out.ok()) << out.problem << ": " << out.message;
    const json result = json::parse(out.result_json);
    EXPECT_EQ(result.at("nested_status"), HOLON_ERR_INVALID_PARAMS);
    EXPECT_EQ(result.at("nested_error").get<std::string>().rfind("params for fixture.echo.run: ", 0), 0u)
        << result.dump();
}
