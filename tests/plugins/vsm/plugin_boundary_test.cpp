// Loads the built vsm.so exactly as a host would (the minimal host of
// tests/plugins/common/plugin_host.hpp: dlopen, the one exported entry point, the method factory)
// and runs its methods; results are checked against each method's own result schema.
#include "../common/plugin_host.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

namespace {

using nlohmann::json;
using holon_test::TestRun;

class VsmPlugin : public holon_test::PluginSuite<VsmPlugin> {
public:
    static constexpr const char *plugin_path = VSM_PLUGIN_PATH;
    static constexpr const char *scratch_name = "vsm-test";

protected:
    static void expect_valid(const char *schema_text, const std::string &document) {
        holon_test::expect_valid(schema_text, document);
    }
    // Against the shared model schema (schemas/model.schema.json).
    static void expect_valid_model(const std::string &document) {
        holon_test::expect_valid(holon_test::read_text(VSM_MODEL_SCHEMA), document);
    }
};

std::string slurp(const std::string &path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string fixture(const std::string &name) { return slurp(std::string(VSM_FIXTURES) + "/" + name); }

TEST_F(VsmPlugin, DescriptorsMatchTheManifest) {
    // id, version and methods as in plugin.json beside vsm.so; "{}" params valid; result schemas JSON.
    holon_test::expect_descriptors_match_manifest(*plugin_);
    EXPECT_EQ(plugin_->method_ids(), (std::vector<std::string>{"vsm.diagnose", "vsm.variety", "vsm.alarms", "vsm.diagram"}));
}

TEST_F(VsmPlugin, FixturesAndTheWorkedExampleAreValidSharedModels) {
    int count = 0;
    for (const auto &entry : std::filesystem::directory_iterator(VSM_FIXTURES))
        if (entry.path().string().size() > 11 && entry.path().string().ends_with(".model.json")) {
            expect_valid_model(slurp(entry.path().string()));
            ++count;
        }
    EXPECT_EQ(count, 30); // the clean model and one per rule
    expect_valid_model(slurp(std::string(VSM_EXAMPLES) + "/riverside-integrated-care.model.json"));
}

TEST_F(VsmPlugin, DiagnoseCleanAndOneRule) {
    TestRun clean(fixture("clean.model.json"), "{}");
    ASSERT_EQ(run("vsm.diagnose", clean), HOLON_OK) << clean.error_message;
    expect_valid(descriptor("vsm.diagnose")->result_schema, clean.result);
    const json ok = json::parse(clean.result);
    EXPECT_TRUE(ok["findings"].empty());
    EXPECT_EQ(ok["levels"].size(), 3u);
    EXPECT_EQ(ok["levels"][0]["metasystems"][0]["systems"]["S5"], json::parse(R"(["Trust board"])"));

    TestRun chicken(fixture("II5.model.json"), R"({"disable": ["J-ACTOR"]})");
    ASSERT_EQ(run("vsm.diagnose", chicken), HOLON_OK) << chicken.error_message;
    expect_valid(descriptor("vsm.diagnose")->result_schema, chicken.result);
    const json r = json::parse(chicken.result);
    ASSERT_EQ(r["findings"].size(), 1u);
    EXPECT_EQ(r["findings"][0]["code"], "II5");
    EXPECT_EQ(r["findings"][0]["name"], "Headless chicken");
    EXPECT_EQ(r["findings"][0]["severity"], "error");
    EXPECT_EQ(r["findings"][0]["units"], json::parse(R"(["a"])"));
    EXPECT_EQ(r["findings"][0]["message"], "System 4 of Acute care (a) has no channel to the environment. Give it one (type s4-environment)");
    EXPECT_EQ(r["params_used"]["disabled"], json::parse(R"(["J-ACTOR"])"));
}

// Every rule fixture through the plugin with its params as a user would pass them: the params are
// valid for vsm.diagnose and the findings are exactly the expected codes on the expected units.
TEST_F(VsmPlugin, EveryRuleFixtureThroughThePlugin) {
    const json expected = json::parse(fixture("expected.json"));
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        SCOPED_TRACE(it.key());
        const std::string params = it.value()["params"].dump();
        expect_valid(descriptor("vsm.diagnose")->params_schema, params);
        TestRun r(fixture(it.key() + ".model.json"), params);
        ASSERT_EQ(run("vsm.diagnose", r), HOLON_OK) << r.error_message;
        const json result = json::parse(r.result);
        json got = json::array();
        for (const json &f : result["findings"]) got.push_back({f["code"], f["units"]});
        EXPECT_EQ(got, it.value()["findings"]);
    }
}

TEST_F(VsmPlugin, MalformedOrganisationIsRefusedWithItsPointer) {
    TestRun r(R"({"format": "holon-model/1", "id": "m", "name": "M", "organisation": {"units": [{"id": "r", "name": "R"}],
               "channels": [{"id": "c1", "type": "command", "from": "r", "to": "u-ghost"}]}})", "{}");
    EXPECT_EQ(run("vsm.diagnose", r), HOLON_ERR_INVALID_MODEL);
    EXPECT_EQ(r.error_message, "unknown unit 'u-ghost'");
    EXPECT_EQ(json::parse(r.error_details)["path"], "/organisation/channels/0/to");
}

TEST_F(VsmPlugin, UnknownRuleCodeInParamsIsRefused) {
    TestRun r(fixture("clean.model.json"), R"({"disable": ["II99"]})");
    EXPECT_EQ(run("vsm.diagnose", r), HOLON_ERR_INVALID_PARAMS);
    EXPECT_EQ(json::parse(r.error_details)["path"], "/disable");
}

TEST_F(VsmPlugin, VarietyReproducesBeersTripleIndex) {
    TestRun r(R"({"format": "holon-model/1", "id": "m", "name": "M",
      "organisation": {"units": [{"id": "r", "name": "Trust"}],
                       "varieties": [{"id": "v", "unit": "r", "of": "referrals", "states": 9, "responses": 3}]},
      "indicators": [{"id": "i", "name": "Output", "unit": "r", "capability": 60000, "potentiality": 100000,
                      "actuals": [{"value": 40000}]}]})", "{}");
    ASSERT_EQ(run("vsm.variety", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("vsm.variety")->result_schema, r.result);
    const json v = json::parse(r.result);
    EXPECT_EQ(v["triple_index"][0]["latency"]["exact"], "3/5");
    EXPECT_EQ(v["triple_index"][0]["productivity"]["exact"], "2/3");
    EXPECT_EQ(v["triple_index"][0]["performance"]["exact"], "2/5");
    EXPECT_EQ(v["varieties"][0]["minimum_outcomes"], 3);
    EXPECT_NEAR(v["varieties"][0]["outcome_bits"].get<double>(), 1.585, 0.0005);
    // The same estimate as a CSV row, readable without the model: the unit by name, units in the header.
    // 9 disturbances against 3 responses: log2 9 = 3.1699... bits, log2 3 = 1.5849... bits, ceil(9/3) = 3.
    const std::string &csv = r.blobs.at("varieties.csv").second;
    EXPECT_EQ(r.blobs.at("varieties.csv").first, "text/csv");
    EXPECT_EQ(csv.substr(0, csv.find("\r\n")),
              "id,variety of,unit,unit name,disturbances (states),attenuation (factor),"
              "disturbances after attenuation (states),disturbances after attenuation (bits),responses (states),"
              "amplification (factor),responses after amplification (states),responses after amplification (bits),"
              "minimum outcomes (states),acceptable outcomes (states),outcomes (bits),deficit (bits),requisite");
    EXPECT_EQ(csv.find("\r\nv,referrals,r,Trust,9,1,9,3.1699250014423"), csv.find("\r\n")) << csv;
    EXPECT_NE(csv.find(",3,1,3,1.58496250072115"), std::string::npos) << csv;
    EXPECT_EQ(r.blobs.count("channels.csv"), 1u);
}

TEST_F(VsmPlugin, AlarmsFromActualsWithoutTheHost) {
    TestRun r(slurp(std::string(VSM_EXAMPLES) + "/riverside-integrated-care.model.json"), R"({"source": "actuals"})");
    ASSERT_EQ(run("vsm.alarms", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("vsm.alarms")->result_schema, r.result);
    const json a = json::parse(r.result)["alarms"];
    ASSERT_EQ(a.size(), 1u); // the ED's four-hour performance; the week-5 dip of 60% is a transient
    EXPECT_EQ(a[0]["indicator"], "i-ed-4h");
    EXPECT_EQ(a[0]["raised"]["at"], "2026-W10");
    EXPECT_EQ(a[0]["escalations"][0]["unit"], "u-hospital");
    EXPECT_EQ(a[0]["final_unit"], "u-hospital");
    EXPECT_EQ(a[0]["final_unit_name"], "Riverside General Hospital");
    // An SD-bound indicator needs holon.invoke/1, which this minimal host does not offer.
    TestRun sd(r.model, R"({"source": "sd", "indicators": ["i-dn-waiting"]})");
    EXPECT_EQ(run("vsm.alarms", sd), HOLON_ERR_UNSUPPORTED);
}

TEST_F(VsmPlugin, DiagnoseWritesTheReport) {
    TestRun r(slurp(std::string(VSM_EXAMPLES) + "/riverside-integrated-care.model.json"), R"({"report": true})");
    ASSERT_EQ(run("vsm.diagnose", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("vsm.diagnose")->result_schema, r.result);
    EXPECT_EQ(json::parse(r.result)["report"]["html"], "report.html");
    const std::string &html = r.blobs.at("report.html").second;
    EXPECT_EQ(r.blobs.at("report.html").first, "text/html");
    EXPECT_NE(html.find("<svg"), std::string::npos); // diagrams inline: the page stands alone
    EXPECT_NE(html.find("Headless chicken"), std::string::npos);
    EXPECT_NE(html.find("<h3>Level 1</h3>"), std::string::npos);
    const std::string &md = r.blobs.at("report.md").second;
    EXPECT_NE(md.find("| II5 | Headless chicken | error | Riverside General Hospital |"), std::string::npos);
    EXPECT_NE(md.find("![Level 0: Riverside Integrated Care Trust](vsm-level-u-trust.png)"), std::string::npos);
    EXPECT_NE(md.find("| District nursing | care needs at home | 60 → 30 | 6 → 6 | 5 | 2 | 1.322 |"), std::string::npos);
    EXPECT_NE(md.find("0.667 (2/3)"), std::string::npos);
    EXPECT_EQ(r.blobs.count("vsm-level-u-trust.png"), 1u);
}

// A potentiality of 0 leaves the performance index undefined: the indicator is listed as skipped
// with that reason, never silently left out of both the skipped list and the alarms.
TEST_F(VsmPlugin, AnIndexOverZeroIsSkippedWithItsReason) {
    TestRun r(R"({"format": "holon-model/1", "id": "m", "name": "M",
      "organisation": {"units": [{"id": "r", "name": "Trust"}]},
      "indicators": [{"id": "i", "name": "Theatre sessions used", "unit": "r", "potentiality": 0,
                      "actuals": [{"value": 90}, {"value": 50}, {"value": 50}],
                      "thresholds": [{"level": "alarm", "comparison": "below", "value": 0.6, "periods": 1}]}]})",
              R"({"measure": "performance", "window": 1})");
    ASSERT_EQ(run("vsm.alarms", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("vsm.alarms")->result_schema, r.result);
    const json result = json::parse(r.result);
    EXPECT_TRUE(result["alarms"].empty());
    ASSERT_EQ(result["indicators"].size(), 1u);
    EXPECT_EQ(result["indicators"][0]["skipped"], "potentiality is 0: the performance index is undefined");
}

// Beer's performance index A/P against its norm: 90/100, 80/100, then 50/100 from period 2; the
// norm "below 0.6 for 2 periods" (no filter) raises the alarm at period 3, at the root (level 0).
TEST_F(VsmPlugin, AlarmsOnThePerformanceIndex) {
    TestRun r(R"({"format": "holon-model/1", "id": "m", "name": "M",
      "organisation": {"units": [{"id": "r", "name": "Trust"}]},
      "indicators": [{"id": "i", "name": "Theatre sessions used", "unit": "r", "potentiality": 100,
                      "actuals": [{"value": 90}, {"value": 80}, {"value": 50}, {"value": 50}, {"value": 50}],
                      "thresholds": [{"level": "alarm", "comparison": "below", "value": 0.6, "periods": 2}]}]})",
              R"({"measure": "performance", "window": 1})");
    ASSERT_EQ(run("vsm.alarms", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("vsm.alarms")->result_schema, r.result);
    const json result = json::parse(r.result);
    ASSERT_EQ(result["alarms"].size(), 1u);
    const json &a = result["alarms"][0];
    EXPECT_EQ(a["raised"]["period"], 3);
    EXPECT_EQ(a["value"], 0.5);
    EXPECT_EQ(a["recursion_level"], 0);
    EXPECT_TRUE(a["reached_root"].get<bool>());
    EXPECT_TRUE(a["escalations"].empty());
    EXPECT_EQ(result["filter"]["kind"], "none");
}

TEST_F(VsmPlugin, DiagramWritesSvgAndPngPerLevel) {
    TestRun r(slurp(std::string(VSM_EXAMPLES) + "/riverside-integrated-care.model.json"), "{}");
    ASSERT_EQ(run("vsm.diagram", r), HOLON_OK) << r.error_message;
    expect_valid(descriptor("vsm.diagram")->result_schema, r.result);
    const json d = json::parse(r.result)["diagrams"];
    ASSERT_EQ(d.size(), 6u); // trust, hospital, community, social care, intermediate care, nested
    EXPECT_EQ(d[0]["unit"], "u-trust");
    EXPECT_EQ(d[5]["view"], "nested");
    const auto &svg = r.blobs.at("vsm-level-u-hospital.svg");
    EXPECT_EQ(svg.first, "image/svg+xml");
    EXPECT_NE(svg.second.find("S4 Intelligence"), std::string::npos);
    EXPECT_NE(svg.second.find("absent"), std::string::npos); // the hospital has no System 4
    const auto &png = r.blobs.at("vsm-level-u-hospital.png");
    EXPECT_EQ(png.first, "image/png");
    EXPECT_EQ(png.second.substr(1, 3), "PNG");
}

} // namespace
