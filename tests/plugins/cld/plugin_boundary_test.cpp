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

    // DOT names the loops the same way in its legend.
    TestRun dot(holon_cld::testing::yeast_alcohol_model_json(), R"({"format": "dot", "highlight_loops": ["R1"]})");
    ASSERT_EQ(run("cld.export", dot), HOLON_OK) << dot.error_message;
    EXPECT_NE(dot.blobs.at("cld.dot").second.find("label=\"R1: Births \u2192 Yeast cells \u2192 Births\""), std::string::npos);

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

// Results readable without the model beside them.

std::vector<std::string> csv_lines(const std::string &text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
    }
    return lines;
}

std::string example(const char *path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST_F(CldPlugin, LoopsAreNamedAndListedByVariableNamesInJsonAndCsv) {
    TestRun r(example(CLD_EXAMPLE_MODEL), "{}");
    ASSERT_EQ(run("cld.loops", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("cld.loops")->result_schema, r.result);
    const json result = json::parse(r.result);
    std::vector<std::string> names;
    for (const auto &loop : result["loops"]) names.push_back(loop["name"]);
    // Polarities BRRRURRU (the table in docs/methods/cld.md), numbered per polarity.
    EXPECT_EQ(names, (std::vector<std::string>{"B1", "R1", "R2", "R3", "U1", "R4", "R5", "U2"}));
    EXPECT_EQ(result["loops"][0]["variables"], json::parse(R"(["discharge_pressure", "occupancy"])"));
    EXPECT_EQ(result["loops"][0]["variable_names"], json::parse(R"(["Pressure to discharge", "Hospital bed occupancy"])"));
    EXPECT_EQ(result["partitions"][0]["variable_names"].size(), 12u);

    ASSERT_EQ(r.blobs.count("loops.csv"), 1u);
    EXPECT_EQ(r.blobs["loops.csv"].first, "text/csv");
    const auto lines = csv_lines(r.blobs["loops.csv"].second);
    ASSERT_EQ(lines.size(), 9u);
    EXPECT_EQ(lines[0], "id,name,polarity,length,loop,variable_ids");
    EXPECT_EQ(lines[1], "L1,B1,B,2,Pressure to discharge \u2192 Hospital bed occupancy \u2192 Pressure to discharge,"
                        "discharge_pressure \u2192 occupancy \u2192 discharge_pressure");
    EXPECT_EQ(lines[3], "L3,R2,R,3,Home-care workforce \u2192 Care staff workload \u2192 Care staff turnover \u2192 "
                        "Home-care workforce,care_staff \u2192 workload \u2192 turnover \u2192 care_staff");
}

TEST_F(CldPlugin, CentralityCarriesNamesAndUnitsInJsonAndCsv) {
    TestRun r(example(CLD_ELM_STREET_MODEL), "{}");
    ASSERT_EQ(run("cld.centrality", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("cld.centrality")->result_schema, r.result);
    const json result = json::parse(r.result);
    const json &filters = result["variables"][0];
    EXPECT_EQ(filters["id"], "v-filters");
    EXPECT_EQ(filters["name"], "Modal filters in place");
    EXPECT_EQ(filters["units"], "filters");
    EXPECT_EQ(result["micmac"]["variables"][1]["name"], "Parking charges");
    EXPECT_EQ(result["micmac"]["variables"][1]["units"], "GBP/hour");
    // Air quality inside the area has no units in the model: no units member, an empty CSV field.
    EXPECT_EQ(result["variables"][6]["name"], "Air quality inside the area");
    EXPECT_FALSE(result["variables"][6].contains("units"));

    const auto lines = csv_lines(r.blobs.at("centrality.csv").second);
    ASSERT_EQ(lines.size(), 14u);
    EXPECT_EQ(lines[0].substr(0, 38), "id,name,units,degree,in_degree,out_deg");
    // Modal filters: 2 in, 4 out (undirected degree 6 / 12 = 0.5); a relay in direct MICMAC.
    EXPECT_EQ(lines[1].substr(0, 44), "v-filters,Modal filters in place,filters,6,2");
    EXPECT_NE(lines[1].find(",4,2,relay,"), std::string::npos) << lines[1];
    EXPECT_EQ(lines[7].substr(0, 41), "v-air-inside,Air quality inside the area,");
    EXPECT_EQ(lines[7].substr(41, 1), ","); // no units
}

TEST_F(CldPlugin, PictureMarksEveryLoopByNameAndShowsNamesNotIds) {
    const std::string model = example(CLD_EXAMPLE_MODEL);
    TestRun r(model, R"({"format": "svg", "title": "Delayed discharge"})");
    ASSERT_EQ(run("cld.export", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("cld.export")->result_schema, r.result);
    const std::string &svg = r.blobs.at("cld.svg").second;
    for (const char *name : {"B1", "R1", "R2", "R3", "U1", "R4", "R5", "U2"})
        EXPECT_NE(svg.find(std::string("data-loop=\"") + name + "\""), std::string::npos) << name;
    const json result = json::parse(r.result);
    ASSERT_EQ(result["loops"].size(), 8u);
    EXPECT_EQ(result["loops"][0]["name"], "B1");
    EXPECT_EQ(result["highlighted_loops"], json::array()); // marked, not coloured
    // Every text drawn is a name, a sign, a loop name or a legend word: no variable id is shown.
    for (const auto &v : json::parse(model)["variables"]) {
        const std::string id = v["id"];
        EXPECT_EQ(svg.find(">" + id + "<"), std::string::npos) << id;
    }
    EXPECT_NE(svg.find(">Care staff workload<"), std::string::npos);
    EXPECT_NE(svg.find("stock (accumulates)"), std::string::npos);
    EXPECT_NE(svg.find("lever (policy)"), std::string::npos);

    TestRun png(model, R"({"format": "png", "highlight_loops": ["B1", "R5"]})");
    ASSERT_EQ(run("cld.export", png), HOLON_OK) << png.error_message;
    EXPECT_EQ(png.blobs.at("cld.png").first, "image/png");
    EXPECT_EQ(png.blobs.at("cld.png").second.substr(0, 4), "\x89PNG");
    EXPECT_EQ(json::parse(png.result)["highlighted_loops"], json::parse(R"(["L1", "L7"])"));
}

TEST_F(CldPlugin, AnEmptyMapWarnsAndDrawsNoPicture) {
    for (const char *format : {"svg", "png"}) {
        TestRun r(R"({"format": "holon-model/1", "id": "empty", "name": "Empty", "variables": [], "links": []})",
                  std::string(R"({"format": ")") + format + "\"}");
        ASSERT_EQ(run("cld.export", r), HOLON_OK) << r.error_message;
        expect_valid(descriptor("cld.export")->result_schema, r.result);
        EXPECT_TRUE(r.blobs.empty()) << format;
        EXPECT_TRUE(json::parse(r.result)["blob"].is_null());
        ASSERT_FALSE(r.logs.empty());
        EXPECT_EQ(r.logs.back().first, HOLON_LOG_WARNING);
        EXPECT_NE(r.logs.back().second.find("no variables"), std::string::npos) << r.logs.back().second;
    }
}

} // namespace
