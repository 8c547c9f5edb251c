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

// A .scw whose diagonal blocks hold non-zero cells (self-impacts): imported by default with a
// warning, the matrix marked self_impacts and the cells applied in the balances (the hand-worked
// case of cib_test.cpp's CibSelfImpacts: 3 consistent scenarios, TIS 5, 5, 4); exported back the
// same; with ignore_self_impacts the textbook form (2 consistent scenarios, TIS 2 each).
TEST_F(ScenariosPlugin, ScwSelfImpactsAreAppliedOrLeftOutOnRequest) {
    const std::string scw = "$ ScenarioWizard 4.0\nx\n&A\n -a1\n -a2\n&B\n -b1\n -b2\n#\n#\n"
                            " 3 , 0 , 1 ,-1 \n 0 , 0 ,-1 , 1 \n 1 ,-1 , 0 , 0 \n-1 , 1 , 0 , 3 \n#\n";
    auto warned = [](const TestRun &r, const std::string &text) {
        for (const auto &[level, message] : r.logs)
            if (message.find(text) != std::string::npos) return true;
        return false;
    };
    TestRun applied("", "{}", scw, "self.scw");
    ASSERT_EQ(run("scenarios.import-scw", applied), HOLON_OK) << applied.error_message;
    expect_valid(read_file(SCENARIOS_MODEL_SCHEMA), applied.result);
    EXPECT_TRUE(warned(applied, "2 cell(s) of the diagonal blocks (a descriptor's impact on its own variants) are not 0, the "
                                "first at line 11 ('A': 'a1' -> 'a1' = 3): imported as self-impacts"));
    EXPECT_TRUE(warned(applied, "the impact balances include them"));
    const json matrix = json::parse(applied.result)["scenario_sets"][0]["matrices"][0];
    EXPECT_EQ(matrix["self_impacts"], true);
    EXPECT_EQ(matrix["cells"].size(), 10u);
    EXPECT_EQ(matrix["cells"][0], (json{{"from", "a1"}, {"to", "a1"}, {"value", 3}}));

    TestRun cib(applied.result, "{}");
    ASSERT_EQ(run("scenarios.cib", cib), HOLON_OK) << cib.error_message;
    json out = json::parse(cib.result);
    EXPECT_EQ(out["count"], 3);
    EXPECT_EQ(out["scenarios"][0]["variants"], (json{{"A", "a1"}, {"B", "b1"}}));
    EXPECT_EQ(out["scenarios"][0]["total_impact_score"], 5);
    EXPECT_EQ(out["scenarios"][1]["variants"], (json{{"A", "a2"}, {"B", "b2"}}));
    EXPECT_EQ(out["scenarios"][2]["variants"], (json{{"A", "a1"}, {"B", "b2"}}));
    EXPECT_EQ(out["scenarios"][2]["total_impact_score"], 4);
    EXPECT_TRUE(warned(cib, "2 cell(s) within one descriptor (self-impacts"));

    TestRun exported(applied.result, "{}");
    ASSERT_EQ(run("scenarios.export-scw", exported), HOLON_OK) << exported.error_message;
    ASSERT_EQ(exported.blobs.count("cib.scw"), 1u);
    const std::string written = exported.blobs["cib.scw"].second;
    EXPECT_NE(written.find(" 3 , 0 , 1 ,-1 \n 0 , 0 ,-1 , 1 \n 1 ,-1 , 0 , 0 \n-1 , 1 , 0 , 3 \n"), std::string::npos) << written;

    TestRun left_out("", R"({"ignore_self_impacts": true})", scw, "self.scw");
    ASSERT_EQ(run("scenarios.import-scw", left_out), HOLON_OK) << left_out.error_message;
    expect_valid(read_file(SCENARIOS_MODEL_SCHEMA), left_out.result);
    const json textbook = json::parse(left_out.result)["scenario_sets"][0]["matrices"][0];
    EXPECT_FALSE(textbook.contains("self_impacts"));
    EXPECT_EQ(textbook["cells"].size(), 8u);
    EXPECT_TRUE(warned(left_out, "left out as asked (ignore_self_impacts)"));
    TestRun cib_textbook(left_out.result, "{}");
    ASSERT_EQ(run("scenarios.cib", cib_textbook), HOLON_OK) << cib_textbook.error_message;
    out = json::parse(cib_textbook.result);
    EXPECT_EQ(out["count"], 2);
    EXPECT_EQ(out["scenarios"][0]["total_impact_score"], 2);
    EXPECT_EQ(out["scenarios"][1]["total_impact_score"], 2);
}

TEST_F(ScenariosPlugin, RunNeedsTheInvokeExtension) {
    TestRun r(read_file(SCENARIOS_EXAMPLES "/scenario-sir.model.json"), "{}");
    EXPECT_EQ(run("scenarios.run", r), HOLON_ERR_UNSUPPORTED);
}

} // namespace
