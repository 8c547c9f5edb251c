// Loads the built ssm.so as a host would (dlopen, entry point, method factory) and runs its four
// methods through the minimal host of tests/plugins/common/plugin_host.hpp: every result against
// the method's own result schema, every check fixture through the boundary, pictures and report
// as blobs, and bad params or models failing with the JSON Pointer in the error details.
#include "../common/plugin_host.hpp"
#include "ssm_test_util.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <memory>

namespace {

using holon_test::expect_valid;
using holon_test::LoadedPlugin;
using holon_test::TestRun;
using nlohmann::json;

class SsmPlugin : public holon_test::PluginSuite<SsmPlugin> {
public:
    static constexpr const char *plugin_path = SSM_PLUGIN_PATH;
    static constexpr const char *scratch_name = "ssm-test";

protected:
    static const char *result_schema(const char *method) { return plugin_->descriptor(method)->result_schema; }
    static std::string prison() { return ssm_test::example("prison-inquiry.model.json").dump(); }

    // Runs `method` and expects success with a result valid against the method's result schema.
    static json run_ok(const char *method, TestRun &r) {
        EXPECT_EQ(plugin_->run(method, r), HOLON_OK) << r.error_message;
        expect_valid(result_schema(method), r.result);
        return r.result.empty() ? json() : r.result_json();
    }
};

TEST_F(SsmPlugin, DescriptorsMatchTheManifest) {
    holon_test::expect_descriptors_match_manifest(*plugin_);
    for (const std::string &id : plugin_->method_ids()) EXPECT_EQ(plugin_->descriptor(id)->kind, HOLON_METHOD_KIND_ANALYSIS) << id;
}

TEST_F(SsmPlugin, EveryFixtureThroughTheBoundary) {
    const json base = ssm_test::fixture("fence.model.json");
    {
        TestRun r(base.dump(), "{}");
        const json result = run_ok("ssm.check", r);
        EXPECT_TRUE(result["findings"].empty()) << r.result;
    }
    for (const json &c : ssm_test::fixture("cases.json")) {
        SCOPED_TRACE(c["name"].get<std::string>());
        TestRun r(base.patch(c["patch"]).dump(), "{}");
        const json result = run_ok("ssm.check", r);
        ASSERT_EQ(result["findings"].size(), 1u) << r.result;
        const json &f = result["findings"][0];
        EXPECT_EQ(f["code"], c["code"]);
        EXPECT_EQ(f["model_name"], "Fence painting system");
        std::vector<std::string> ids;
        for (const json &e : f["entities"]) ids.push_back(e["id"]);
        EXPECT_EQ(ids, c["entities"].get<std::vector<std::string>>());
        EXPECT_EQ(result["counts"][f["severity"].get<std::string>()], 1);
    }
}

TEST_F(SsmPlugin, CompareDiagramAndReportOfTheWorkedInquiry) {
    {
        TestRun r(prison(), R"({"models": ["am-rehabilitate"]})");
        const json result = run_ok("ssm.compare", r);
        ASSERT_EQ(result["models"].size(), 1u);
        const json &coverage = result["models"][0]["coverage"];
        // docs/methods/ssm.md: 10 of 10 activities have a row (3 exist, 5 partly, 2 not at all).
        EXPECT_EQ(coverage["with_row"], 10);
        EXPECT_EQ(coverage["exists_yes"], 3);
        EXPECT_EQ(coverage["exists_partly"], 5);
        EXPECT_EQ(coverage["exists_no"], 2);
        EXPECT_EQ(coverage["desirable_and_feasible"], 4);
        EXPECT_TRUE(result["findings"].empty());
        // The same rows as a sheet by names: a header and one line per activity.
        const std::string &csv = r.blobs.at("comparison.csv").second;
        EXPECT_EQ(r.blobs.at("comparison.csv").first, "text/csv");
        EXPECT_EQ(csv.substr(0, csv.find("\r\n")),
                  "model,model name,activity,activity name,kind,exists,how,who,judged,alternatives,change");
        EXPECT_NE(csv.find("\r\nam-rehabilitate,Rehabilitation through work,r1,Assess each new prisoner's skills and "
                           "interests,operational,yes,Induction interview in the first week,Education provider,"
                           "Interviews done within 7 days,Skills screening by peer mentors,\r\n"),
                  std::string::npos)
            << csv;
        size_t lines = 0;
        for (size_t at = csv.find("\r\n"); at != std::string::npos; at = csv.find("\r\n", at + 2)) ++lines;
        EXPECT_EQ(lines, 11u) << csv;
    }
    {
        TestRun r(prison(), R"({"models": ["am-rehabilitate"], "scale": 1})");
        const json result = run_ok("ssm.diagram", r);
        ASSERT_EQ(result["pictures"].size(), 1u);
        EXPECT_EQ(r.blobs.at("am-rehabilitate.svg").first, "image/svg+xml");
        EXPECT_EQ(r.blobs.at("am-rehabilitate.png").first, "image/png");
        EXPECT_EQ(r.blobs.at("am-rehabilitate.png").second.substr(1, 3), "PNG");
    }
    {
        TestRun r(prison(), R"({"title": "HMP Northfield"})");
        const json result = run_ok("ssm.report", r);
        EXPECT_EQ(result["counts"], json::parse(R"({"error": 0, "warning": 0, "info": 0})"));
        EXPECT_EQ(r.blobs.at("report.html").first, "text/html");
        EXPECT_EQ(r.blobs.at("report.md").first, "text/markdown");
        EXPECT_NE(r.blobs.at("report.html").second.find("<title>HMP Northfield</title>"), std::string::npos);
        EXPECT_TRUE(r.blobs.contains("am-rehabilitate.png"));
    }
}

TEST_F(SsmPlugin, DiagramOfRootDefinitionsOnlyWarns) {
    TestRun r(prison(), R"({"models": ["am-punish"]})");
    const json result = run_ok("ssm.diagram", r);
    EXPECT_TRUE(result["pictures"].empty());
    bool warned = false;
    for (const auto &[level, message] : r.logs) warned = warned || (level == HOLON_LOG_WARNING && message.find("nothing to draw") != std::string::npos);
    EXPECT_TRUE(warned);
}

TEST_F(SsmPlugin, BadParamsAndModelsNameTheirPath) {
    {
        TestRun r(prison(), R"({"models": ["am-rehabilitate", "am-nothing"]})");
        EXPECT_EQ(plugin_->run("ssm.check", r), HOLON_ERR_INVALID_PARAMS);
        EXPECT_EQ(r.details_json()["path"], "/models/1");
        EXPECT_NE(r.error_message.find("am-nothing"), std::string::npos) << r.error_message;
    }
    {
        TestRun r(prison(), R"({"min_operational": 8, "max_operational": 6})");
        EXPECT_EQ(plugin_->run("ssm.check", r), HOLON_ERR_INVALID_PARAMS);
        EXPECT_EQ(r.details_json()["path"], "/max_operational");
    }
    {
        json doc = ssm_test::example("prison-inquiry.model.json");
        doc.erase("activity_models");
        TestRun r(doc.dump(), "{}");
        EXPECT_EQ(plugin_->run("ssm.check", r), HOLON_ERR_INVALID_MODEL);
        EXPECT_EQ(r.details_json()["path"], "/activity_models");
        EXPECT_TRUE(r.result.empty());
    }
}

} // namespace
