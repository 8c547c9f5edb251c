// Loads the built scenarios.so as a host would (the minimal host of
// tests/plugins/common/plugin_host.hpp: dlopen, the one entry point, the method factory) and runs
// methods through it; results are checked against their schemas.
#include "../common/plugin_host.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <memory>

namespace {

using nlohmann::json;
using holon_test::TestRun;

std::string read_file(const std::string &path) { return holon_test::read_text(path); }

class ScenariosPlugin : public holon_test::PluginSuite<ScenariosPlugin> {
public:
    static constexpr const char *plugin_path = SCENARIOS_PLUGIN_PATH;
    static constexpr const char *scratch_name = "scenarios-test";

protected:
    static void expect_valid(const std::string &schema_text, const std::string &document) {
        holon_test::expect_valid(schema_text, document);
    }
};

TEST_F(ScenariosPlugin, SomewherelandThroughTheCibMethod) {
    const std::string model = read_file(SCENARIOS_EXAMPLES "/somewhereland.model.json");
    expect_valid(read_file(SCENARIOS_MODEL_SCHEMA), model);
    TestRun r(model, R"({"histogram": true, "succession": {"mode": "global", "tie_rule": "keep-else-first"}})");
    ASSERT_EQ(run("scenarios.cib", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("scenarios.cib")->result_schema, r.result);
    const json out = json::parse(r.result);
    EXPECT_EQ(out["count"], 10);
    EXPECT_EQ(out["truncated"], false);
    EXPECT_EQ(out["scenarios"][0]["variants"], (json{{"A", "A1"}, {"B", "B3"}, {"C", "C1"}, {"D", "D2"}, {"E", "E3"}, {"F", "F3"}}));
    EXPECT_EQ(out["scenarios"][0]["total_impact_score"], 21);
    EXPECT_EQ(out["scenarios"][9]["total_impact_score"], 8);
    EXPECT_EQ(out["histogram"][0], (json{{"inconsistency", 0}, {"count", 10}}));
    EXPECT_EQ(out["histogram"].size(), 20u);
    EXPECT_EQ(out["succession"]["tie_rule"], "keep-else-first");
    EXPECT_EQ(out["succession"]["attractors"][0]["basin"], 178);
    EXPECT_EQ(out["succession"]["attractors"].size(), 10u);
}

TEST_F(ScenariosPlugin, ToleranceAndBadParams) {
    const std::string model = read_file(SCENARIOS_EXAMPLES "/somewhereland.model.json");
    TestRun ok(model, R"({"tolerance": 1, "cap": 0})");
    ASSERT_EQ(run("scenarios.cib", ok), HOLON_OK) << ok.error_message;
    EXPECT_EQ(json::parse(ok.result)["count"], 15);
    EXPECT_EQ(json::parse(ok.result)["truncated"], true);
    TestRun bad(model, R"({"fixed": {"Z": "Z1"}})");
    EXPECT_EQ(run("scenarios.cib", bad), HOLON_ERR_INVALID_PARAMS);
    TestRun missing(model, R"({"set": "nope"})");
    EXPECT_EQ(run("scenarios.cib", missing), HOLON_ERR_INVALID_MODEL);
}

TEST_F(ScenariosPlugin, Matrix2x2PlausibilityOfSomewherelandQuadrants) {
    const std::string model = read_file(SCENARIOS_EXAMPLES "/somewhereland.model.json");
    const std::string axes = R"("axes": [{"descriptor": "D", "poles": ["D1", "D2"]}, {"descriptor": "F", "poles": ["F1", "F2"]}])";
    for (const auto &[semantics, expected] :
         std::vector<std::pair<std::string, std::vector<int>>>{{"filter", {0, 4, 4, 0}}, {"intervention", {3, 4, 6, 5}}}) {
        TestRun r(model, "{" + axes + R"(, "semantics": ")" + semantics + "\"}");
        ASSERT_EQ(run("scenarios.matrix2x2", r), HOLON_OK) << r.error_message;
        expect_valid(descriptor("scenarios.matrix2x2")->result_schema, r.result);
        const json out = json::parse(r.result);
        std::vector<int> counts;
        for (const json &q : out["quadrants"]) counts.push_back(q["plausibility"]["consistent"].get<int>());
        EXPECT_EQ(counts, expected) << semantics;
        EXPECT_EQ(out["quadrants"][0]["label"], "D1/F1");
        EXPECT_EQ(out["warnings"].size(), 1u); // D and F impact each other with |3|
    }
}

TEST_F(ScenariosPlugin, ScwImportExportRoundTrip) {
    const std::string model = read_file(SCENARIOS_EXAMPLES "/somewhereland.model.json");
    TestRun exported(model, "{}");
    ASSERT_EQ(run("scenarios.export-scw", exported), HOLON_OK) << exported.error_message;
    ASSERT_EQ(exported.blobs.count("somewhereland.scw"), 1u);
    TestRun imported("", "{}", exported.blobs["somewhereland.scw"].second, "somewhereland.scw");
    ASSERT_EQ(run("scenarios.import-scw", imported), HOLON_OK) << imported.error_message;
    expect_valid(read_file(SCENARIOS_MODEL_SCHEMA), imported.result);
    EXPECT_EQ(descriptor("scenarios.import-scw")->kind, HOLON_METHOD_KIND_IMPORTER);
    EXPECT_STREQ(descriptor("scenarios.import-scw")->formats, "scw");
    // The imported set gives the same consistent scenarios (variant ids now come from the names).
    TestRun again(imported.result, "{}");
    ASSERT_EQ(run("scenarios.cib", again), HOLON_OK) << again.error_message;
    const json out = json::parse(again.result);
    EXPECT_EQ(out["count"], 10);
    EXPECT_EQ(out["scenarios"][0]["total_impact_score"], 21);
    EXPECT_EQ(out["scenarios"][0]["variants"]["Government"], "Patriots_party");
}

TEST_F(ScenariosPlugin, MorphologicalFromTheModel) {
    const json model = {
        {"format", "holon-model/1"}, {"id", "m"}, {"name", "field"},
        {"scenario_sets", {{{"id", "f"}, {"name", "Field"}, {"kind", "morphological"},
          {"descriptors", {{{"id", "P"}, {"name", "P"}, {"variants", {{{"id", "p1"}, {"name", "p1"}}, {{"id", "p2"}, {"name", "p2"}}}}},
                           {{"id", "Q"}, {"name", "Q"}, {"variants", {{{"id", "q1"}, {"name", "q1"}}, {{"id", "q2"}, {"name", "q2"}}}}}}},
          {"matrices", {{{"id", "judge1"}, {"kind", "cross-consistency"},
                         {"cells", {{{"from", "p1"}, {"to", "q1"}, {"value", false}, {"basis", "logical"}}}}},
                        {{"id", "judge2"}, {"kind", "cross-consistency"},
                         {"cells", {{{"from", "q1"}, {"to", "p1"}, {"value", true}}, {{"from", "p2"}, {"to", "q1"}, {"value", false}}}}}}}}}}};
    expect_valid(read_file(SCENARIOS_MODEL_SCHEMA), model.dump());
    TestRun r(model.dump(), "{}");
    ASSERT_EQ(run("scenarios.morphological", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("scenarios.morphological")->result_schema, r.result);
    const json out = json::parse(r.result);
    EXPECT_EQ(out["count"], 2);
    EXPECT_EQ(out["dead_values"], json::array({"q1"}));
    EXPECT_EQ(out["survival"]["P"]["p1"], 1);
}

// A .scw whose diagonal blocks hold non-zero cells (self-impacts): refused by default with the line
// of the first and the way out; with ignore_self_impacts the cells are left out with a warning,
// and only the impacts between descriptors remain (a1 -> b1 = 1, b1 -> a1 = 3).
TEST_F(ScenariosPlugin, ScwSelfImpactsAreRefusedOrLeftOutOnRequest) {
    const std::string scw = "$ ScenarioWizard 4.0\nx\n&A\n -a1\n -a2\n&B\n -b1\n#\n#\n 0 , 5 , 1 \n 0 , 0 , 0 \n 3 , 0 , 0 \n#\n";
    TestRun refused("", "{}", scw, "self.scw");
    ASSERT_EQ(run("scenarios.import-scw", refused), HOLON_ERR_INVALID_MODEL);
    EXPECT_NE(refused.error_message.find("1 cell(s) of the diagonal blocks (a descriptor's impact on its own variants) are not 0, "
                                         "the first at line 10 ('A': 'a1' -> 'a2' = 5)"),
              std::string::npos)
        << refused.error_message;
    EXPECT_NE(refused.error_message.find("ignore_self_impacts"), std::string::npos) << refused.error_message;
    TestRun left_out("", R"({"ignore_self_impacts": true})", scw, "self.scw");
    ASSERT_EQ(run("scenarios.import-scw", left_out), HOLON_OK) << left_out.error_message;
    expect_valid(read_file(SCENARIOS_MODEL_SCHEMA), left_out.result);
    const json cells = json::parse(left_out.result)["scenario_sets"][0]["matrices"][0]["cells"];
    ASSERT_EQ(cells.size(), 2u);
    EXPECT_EQ(cells[0]["from"], "a1");
    EXPECT_EQ(cells[0]["to"], "b1");
    EXPECT_EQ(cells[0]["value"], 1);
    EXPECT_EQ(cells[1]["value"], 3);
    bool warned = false;
    for (const auto &[level, message] : left_out.logs) warned = warned || message.find("left out as asked") != std::string::npos;
    EXPECT_TRUE(warned);
}

TEST_F(ScenariosPlugin, RunNeedsTheInvokeExtension) {
    TestRun r(read_file(SCENARIOS_EXAMPLES "/scenario-sir.model.json"), "{}");
    EXPECT_EQ(run("scenarios.run", r), HOLON_ERR_UNSUPPORTED);
}

} // namespace
