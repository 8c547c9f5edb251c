// Results readable without the model beside them: every scenarios method names descriptors and
// variants (JSON) and writes the same table as CSV, with the scenario labels the JSON uses.
#include "../common/plugin_host.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

namespace {

using nlohmann::json;
using holon_test::TestRun;

std::vector<std::string> csv_lines(const std::string &text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
    }
    return lines;
}

class ScenariosNames : public holon_test::PluginSuite<ScenariosNames> {
public:
    static constexpr const char *plugin_path = SCENARIOS_PLUGIN_PATH;
    static constexpr const char *scratch_name = "scenarios-names-test";

protected:
    static std::string somewhereland() { return holon_test::read_text(SCENARIOS_EXAMPLES "/somewhereland.model.json"); }
};

TEST_F(ScenariosNames, CibScenariosAreATableOfDescriptorAndVariantNames) {
    TestRun r(somewhereland(), "{}");
    ASSERT_EQ(run("scenarios.cib", r), HOLON_OK) << r.error_message;
    holon_test::expect_valid(descriptor("scenarios.cib")->result_schema, r.result);
    const json first = json::parse(r.result)["scenarios"][0];
    EXPECT_EQ(first["label"], "A1/B3/C1/D2/E3/F3");
    ASSERT_EQ(first["descriptors"].size(), 6u);
    EXPECT_EQ(first["descriptors"][0], json::parse(R"({"descriptor": "A", "descriptor_name": "Government",
        "variant": "A1", "variant_name": "Patriots party"})"));
    EXPECT_EQ(first["descriptors"][3]["variant_name"], "Strong contrasts");

    ASSERT_EQ(r.blobs.count("scenarios.csv"), 1u);
    EXPECT_EQ(r.blobs["scenarios.csv"].first, "text/csv");
    const auto lines = csv_lines(r.blobs["scenarios.csv"].second);
    ASSERT_EQ(lines.size(), 11u); // header + the 10 consistent scenarios of Somewhereland
    EXPECT_EQ(lines[0], "label,Government,Foreign policy,Economy,Distribution of wealth,Social cohesion,Social values,"
                        "total_impact_score,inconsistency,margin,weakly_consistent");
    EXPECT_EQ(lines[1], "A1/B3/C1/D2/E3/F3,Patriots party,Conflict,Shrinking,Strong contrasts,Riots,Family,21,0,1,false");
}

TEST_F(ScenariosNames, QuadrantsCarryThePolesNames) {
    TestRun r(somewhereland(),
              R"({"axes": [{"descriptor": "D", "poles": ["D1", "D2"]}, {"descriptor": "F", "poles": ["F1", "F2"]}]})");
    ASSERT_EQ(run("scenarios.matrix2x2", r), HOLON_OK) << r.error_message;
    holon_test::expect_valid(descriptor("scenarios.matrix2x2")->result_schema, r.result);
    const json out = json::parse(r.result);
    EXPECT_EQ(out["axes"][0]["descriptor_name"], "Distribution of wealth");
    EXPECT_EQ(out["axes"][1]["pole_names"], json::parse(R"(["Meritocratic", "Solidarity"])"));
    EXPECT_EQ(out["quadrants"][1]["title"], "Balanced / Solidarity");
    const auto lines = csv_lines(r.blobs.at("quadrants.csv").second);
    ASSERT_EQ(lines.size(), 5u);
    EXPECT_EQ(lines[0], "label,title,Distribution of wealth,Social values,scenario,name,consistent,plausible");
    EXPECT_EQ(lines[2], "D1/F2,Balanced / Solidarity,Balanced,Solidarity,,,4,true");
}

TEST_F(ScenariosNames, MorphologicalConfigurationsWithNames) {
    const json model = {
        {"format", "holon-model/1"}, {"id", "m"}, {"name", "field"},
        {"scenario_sets", {{{"id", "f"}, {"name", "Field"}, {"kind", "morphological"},
          {"descriptors", {{{"id", "P"}, {"name", "Power supply"},
                            {"variants", {{{"id", "p1"}, {"name", "Grid"}}, {{"id", "p2"}, {"name", "Solar, with battery"}}}}},
                           {{"id", "Q"}, {"name", "Heating"},
                            {"variants", {{{"id", "q1"}, {"name", "Gas boiler"}}, {{"id", "q2"}, {"name", "Heat pump"}}}}}}},
          {"matrices", {{{"id", "judge"}, {"kind", "cross-consistency"},
                         {"cells", {{{"from", "p1"}, {"to", "q1"}, {"value", false}},
                                    {{"from", "p2"}, {"to", "q1"}, {"value", false}}}}}}}}}}};
    TestRun r(model.dump(), "{}");
    ASSERT_EQ(run("scenarios.morphological", r), HOLON_OK) << r.error_message;
    holon_test::expect_valid(descriptor("scenarios.morphological")->result_schema, r.result);
    const json out = json::parse(r.result);
    EXPECT_EQ(out["count"], 2);
    EXPECT_EQ(out["configuration_tables"][1]["label"], "p2/q2");
    EXPECT_EQ(out["configuration_tables"][1]["descriptors"][0]["variant_name"], "Solar, with battery");
    EXPECT_EQ(out["dead_value_names"], json::parse(R"([{"descriptor": "Q", "descriptor_name": "Heating",
        "variant": "q1", "variant_name": "Gas boiler"}])"));
    // A name with a comma is quoted in the CSV.
    EXPECT_EQ(csv_lines(r.blobs.at("configurations.csv").second),
              (std::vector<std::string>{"label,Power supply,Heating", "p1/q2,Grid,Heat pump",
                                        "p2/q2,\"Solar, with battery\",Heat pump"}));
}

} // namespace
