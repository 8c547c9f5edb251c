// Loads the built cld.so exactly as a host would (the minimal host of
// tests/plugins/common/plugin_host.hpp: dlopen, the one exported entry point, the method factory)
// and runs methods through it; results are checked against the method's own result schema.
#include "../common/plugin_host.hpp"
#include "test_graphs.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>
#include <sstream>

namespace {

using nlohmann::json;
using holon_test::TestRun;

class CldPlugin : public holon_test::PluginSuite<CldPlugin> {
public:
    static constexpr const char *plugin_path = CLD_PLUGIN_PATH;
    static constexpr const char *scratch_name = "cld-test";

protected:
    static void expect_valid(const char *schema_text, const std::string &document) {
        holon_test::expect_valid(schema_text, document);
    }
    // Against the shared model schema (schemas/model.schema.json), when the tree has it.
    static void expect_valid_model(const std::string &document) {
        std::ifstream in(CLD_MODEL_SCHEMA);
        if (!in) return;
        std::stringstream text;
        text << in.rdbuf();
        holon_test::expect_valid(text.str(), document);
    }
};

TEST_F(CldPlugin, DescriptorsMatchTheManifest) {
    // id, version and methods as in plugin.json beside cld.so; "{}" params valid; result schemas JSON.
    holon_test::expect_descriptors_match_manifest(*plugin_);
    EXPECT_EQ(descriptor("cld.import-graphml")->kind, HOLON_METHOD_KIND_IMPORTER);
    EXPECT_STREQ(descriptor("cld.import-kumu")->formats, "kumu");
    EXPECT_EQ(descriptor("cld.export")->kind, HOLON_METHOD_KIND_EXPORTER);
}

TEST_F(CldPlugin, TheWorkedExampleModelIsAValidSharedModel) {
    std::ifstream in(CLD_EXAMPLE_MODEL);
    ASSERT_TRUE(in);
    std::stringstream text;
    text << in.rdbuf();
    expect_valid_model(text.str());
    expect_valid_model(holon_cld::testing::yeast_alcohol_model_json());
    TestRun r(text.str(), "{}");
    ASSERT_EQ(run("cld.loops", r), HOLON_OK) << r.error_message;
    const json result = json::parse(r.result);
    // The loop table in docs/methods/cld.md.
    EXPECT_EQ(result["count"], 8);
    std::string polarities;
    for (const auto &loop : result["loops"]) polarities += loop["polarity"].get<std::string>();
    EXPECT_EQ(polarities, "BRRRURRU");
    EXPECT_EQ(result["partitions"][0]["independent_loops"], 7);
}

TEST_F(CldPlugin, LoopsOfTheYeastModel) {
    TestRun r(holon_cld::testing::yeast_alcohol_model_json(), "{}");
    ASSERT_EQ(run("cld.loops", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("cld.loops")->result_schema, r.result);
    const json result = json::parse(r.result);
    EXPECT_EQ(result["count"], 4);
    EXPECT_EQ(result["truncated"], false);
    std::vector<std::string> polarities;
    for (const auto &loop : result["loops"]) polarities.push_back(loop["polarity"]);
    EXPECT_EQ(polarities, (std::vector<std::string>{"R", "B", "B", "B"}));
    EXPECT_EQ(result["loops"][2], json::parse(R"({"id": "L3", "name": "B2", "variables": ["alcohol", "births", "cells"],
        "variable_names": ["Alcohol", "Births", "Yeast cells"],
        "links": ["alcohol-births", "births-cells", "cells-alcohol"], "polarity": "B", "length": 3})"));
    ASSERT_EQ(result["partitions"].size(), 1u);
    EXPECT_EQ(result["partitions"][0]["independent_loops"], 4);
    EXPECT_EQ(result["partitions"][0]["loops"], 4);
    EXPECT_EQ(result["partitions"][0]["variables"], json::parse(R"(["alcohol", "births", "cells", "deaths"])"));
}

TEST_F(CldPlugin, LoopsCappedOnK12AreTruncated) {
    const holon_cld::CausalGraph k12 = holon_cld::testing::complete_digraph(12);
    json model = {{"variables", json::array()}, {"links", json::array()}};
    for (const auto &v : k12.variables()) model["variables"].push_back({{"id", v.id}, {"name", v.name}});
    for (const auto &l : k12.links())
        model["links"].push_back({{"id", l.id}, {"from", k12.variables()[l.from].id}, {"to", k12.variables()[l.to].id}, {"polarity", "+"}});
    TestRun r(model.dump(), R"({"max_loops": 1000})");
    ASSERT_EQ(run("cld.loops", r), HOLON_OK) << r.error_message;
    const json result = json::parse(r.result);
    EXPECT_EQ(result["count"], 1000);
    EXPECT_EQ(result["truncated"], true);
    EXPECT_EQ(result["loops"].size(), 1000u);
    EXPECT_EQ(result["loops"][0]["length"], 2);
    ASSERT_FALSE(r.logs.empty());
    EXPECT_NE(r.logs.back().second.find("max_loops"), std::string::npos);

    TestRun cancelled(model.dump(), R"({"max_loops": 1000000})");
    cancelled.cancel_after_polls = 2;
    EXPECT_EQ(run("cld.loops", cancelled), HOLON_ERR_CANCELLED);
    EXPECT_EQ(cancelled.error_code, HOLON_ERR_CANCELLED);
}

TEST_F(CldPlugin, LoopsThroughAnUnknownVariableIsAParamsError) {
    TestRun r(holon_cld::testing::yeast_alcohol_model_json(), R"({"through": "sunshine"})");
    EXPECT_EQ(run("cld.loops", r), HOLON_ERR_INVALID_PARAMS);
    EXPECT_NE(r.error_message.find("sunshine"), std::string::npos);
}

TEST_F(CldPlugin, BrokenModelIsAModelErrorWithAPath) {
    TestRun r(R"({"variables": [{"id": "a"}], "links": [{"id": "l", "from": "a", "to": "zz"}]})", "{}");
    EXPECT_EQ(run("cld.loops", r), HOLON_ERR_INVALID_MODEL);
    EXPECT_EQ(json::parse(r.error_details)["path"], "/links/0/to");
}

TEST_F(CldPlugin, CentralityStatesItsConventions) {
    TestRun r(holon_cld::testing::yeast_alcohol_model_json(), R"({"directed": true})");
    ASSERT_EQ(run("cld.centrality", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("cld.centrality")->result_schema, r.result);
    const json result = json::parse(r.result);
    EXPECT_EQ(result["directed"], true);
    EXPECT_NE(result["conventions"]["betweenness"].get<std::string>().find("(n-1)(n-2)"), std::string::npos);
    EXPECT_NE(result["micmac"]["conventions"]["threshold"].get<std::string>().find("mean"), std::string::npos);
    // cells drives births, deaths and alcohol and is driven by births and deaths: 2 in + 3 out.
    EXPECT_EQ(result["variables"][0]["id"], "cells");
    EXPECT_EQ(result["variables"][0]["in_degree"], 2);
    EXPECT_EQ(result["variables"][0]["degree"], 5);
}

TEST_F(CldPlugin, ExportsSvgWithHighlightedLoops) {
    TestRun r(holon_cld::testing::yeast_alcohol_model_json(), R"({"format": "svg", "highlight_loops": ["L1", "L3"]})");
    ASSERT_EQ(run("cld.export", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("cld.export")->result_schema, r.result);
    ASSERT_EQ(r.blobs.count("cld.svg"), 1u);
    EXPECT_EQ(r.blobs["cld.svg"].first, "image/svg+xml");
    EXPECT_NE(r.blobs["cld.svg"].second.find("<svg"), std::string::npos);
    // L3 is the second balancing loop: its marker says B2, and only the chosen loops are marked.
    EXPECT_NE(r.blobs["cld.svg"].second.find("data-loop=\"B2\""), std::string::npos);
    EXPECT_EQ(r.blobs["cld.svg"].second.find("data-loop=\"B1\""), std::string::npos);
    EXPECT_EQ(json::parse(r.result)["loops"][1], json::parse(R"({"id": "L3", "name": "B2", "polarity": "B",
        "chain": "Alcohol \u2192 Births \u2192 Yeast cells \u2192 Alcohol"})"));
    EXPECT_EQ(json::parse(r.result)["highlighted_loops"], json::parse(R"(["L1", "L3"])"));

    TestRun missing(holon_cld::testing::yeast_alcohol_model_json(), R"({"format": "dot", "highlight_loops": ["L9"]})");
    EXPECT_EQ(run("cld.export", missing), HOLON_ERR_INVALID_PARAMS);
}

TEST_F(CldPlugin, GraphmlExportImportsBackIntoTheSameModel) {
    TestRun exported(holon_cld::testing::yeast_alcohol_model_json(), R"({"format": "graphml"})");
    ASSERT_EQ(run("cld.export", exported), HOLON_OK) << exported.error_message;
    TestRun imported("", "{}", exported.blobs.at("cld.graphml").second);
    ASSERT_EQ(run("cld.import-graphml", imported), HOLON_OK) << imported.error_message;
    expect_valid(descriptor("cld.import-graphml")->result_schema, imported.result);
    expect_valid_model(imported.result);
    json original = json::parse(holon_cld::testing::yeast_alcohol_model_json());
    json back = json::parse(imported.result);
    for (auto &link : original["links"])
        if (!link.contains("delay")) link["delay"] = false;
    for (auto &link : back["links"]) {
        EXPECT_EQ(link["provenance"]["asserted_by"], "graphml import");
        link.erase("provenance");
    }
    EXPECT_EQ(back["variables"], original["variables"]);
    EXPECT_EQ(back["links"], original["links"]);
}

TEST_F(CldPlugin, MalformedGraphmlGivesLineAndColumn) {
    TestRun r("", "{}", "<graphml>\n<graph>\n<node id='a'>\n</graph>");
    EXPECT_EQ(run("cld.import-graphml", r), HOLON_ERR_INVALID_MODEL);
    const json details = json::parse(r.error_details);
    EXPECT_EQ(details["line"], 4);
    EXPECT_EQ(details["column"], 3);
}

TEST_F(CldPlugin, KumuImportDropsTypesThatAreNotModelKinds) {
    TestRun r("", "{}", R"({"elements": [{"label": "A", "type": "Person"}, {"label": "B", "type": "stock"},
                                         {"label": "2nd wave"}],
                          "connections": [{"from": "A", "to": "B", "type": "-"}, {"from": "B", "to": "2nd wave", "_id": "7"}]})",
              "workshop.kumu.json");
    ASSERT_EQ(run("cld.import-kumu", r), HOLON_OK) << r.error_message;
    expect_valid_model(r.result);
    const json model = json::parse(r.result);
    EXPECT_EQ(model["id"], "workshop");
    EXPECT_EQ(model["variables"][0]["kind"], "factor");
    EXPECT_EQ(model["variables"][1]["kind"], "stock");
    EXPECT_EQ(model["variables"][2]["id"], "v-2nd-wave"); // ids must start with a letter
    EXPECT_EQ(model["links"][0]["polarity"], "-");
    EXPECT_EQ(model["links"][1]["id"], "l-7");
    EXPECT_EQ(model["links"][1]["polarity"], "?");
    EXPECT_EQ(model["links"][1]["provenance"]["asserted_by"], "workshop.kumu.json");
}

} // namespace
