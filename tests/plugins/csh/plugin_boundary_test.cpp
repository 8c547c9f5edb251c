// Loads the built csh.so as a host would (dlopen, entry point, method factory) and runs its methods
// through the minimal host of tests/plugins/common/plugin_host.hpp: results against the methods'
// own result schemas, the report files as blobs, the JSON Pointer of a bad record in the error
// details, cancellation, and a clear failure where the host offers no holon.invoke/1.
#include "../common/plugin_host.hpp"

#include <holon/ext/invoke.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <memory>

namespace {

using holon_test::expect_valid;
using holon_test::LoadedPlugin;
using holon_test::read_text;
using holon_test::TestRun;
using nlohmann::json;

class CshPlugin : public holon_test::PluginSuite<CshPlugin> {
public:
    static constexpr const char *plugin_path = CSH_PLUGIN_PATH;
    static constexpr const char *scratch_name = "csh-test";

protected:
    static const char *result_schema(const char *method) { return plugin_->descriptor(method)->result_schema; }
    static std::string elm_street() { return read_text(std::string(CSH_EXAMPLES) + "/elm-street-ltn.model.json"); }
    static std::string clean() { return read_text(std::string(CSH_TEST_DATA) + "/clean.model.json"); }
};

TEST_F(CshPlugin, DescriptorsMatchTheManifest) {
    holon_test::expect_descriptors_match_manifest(*plugin_);
    for (const std::string &id : plugin_->method_ids()) EXPECT_EQ(plugin_->descriptor(id)->kind, HOLON_METHOD_KIND_ANALYSIS) << id;
}

TEST_F(CshPlugin, CritiqueOfTheMethodPageExample) {
    TestRun r(elm_street(), "{}");
    ASSERT_EQ(plugin_->run("csh.critique", r), HOLON_OK) << r.error_message;
    expect_valid(result_schema("csh.critique"), r.result);
    const json result = r.result_json();
    // docs/methods/csh.md: 57 findings, four perspectives, the category-3 ought divergence matrix.
    EXPECT_EQ(result["findings"].size(), 57u);
    EXPECT_EQ(result["summary"]["findings"]["CSH-AFF-001"], 13);
    EXPECT_EQ(result["divergence"]["perspectives"], json::parse(R"(["a-council", "a-ra", "a-boundary", "a-shops"])"));
    const json &cell = result["divergence"]["cells"][5];
    EXPECT_EQ(cell["category"], 3);
    EXPECT_EQ(cell["mode"], "ought");
    EXPECT_NEAR(cell["distance"][0][1].get<double>(), 1.0 / 3, 1e-12);
    EXPECT_NEAR(cell["distance"][0][2].get<double>(), 0.75, 1e-12);
    EXPECT_NEAR(cell["distance"][1][2].get<double>(), 2.0 / 3, 1e-12);
    EXPECT_EQ(cell["distance"][3][0], 1.0);
    // The report comes back as blobs with their media types.
    ASSERT_EQ(r.blobs.size(), 5u);
    // The is/ought gaps as a table by names (ids beside them), one row per gap.
    EXPECT_EQ(r.blobs.at("gaps.csv").first, "text/csv");
    const std::string &gaps = r.blobs.at("gaps.csv").second;
    EXPECT_EQ(gaps.substr(0, gaps.find("\r\n")), "category,question,perspective,perspective name,gap,is answer,"
                                                 "ought answer,only in is,only in ought");
    EXPECT_NE(gaps.find("\r\n1,Beneficiary,a-council,City council transport team,ought_broader,Residents inside the "
                        "area and the children walking to school,\"Everyone who lives in or travels through the area, "
                        "boundary roads included\",,Residents of Mill Road and Station Road\r\n"),
              std::string::npos)
        << gaps;
    size_t rows = 0;
    for (size_t at = gaps.find("\r\n"); at != std::string::npos; at = gaps.find("\r\n", at + 2)) ++rows;
    EXPECT_EQ(rows, result["gaps"].size() + 1) << gaps;
    EXPECT_EQ(r.blobs.at("critique.html").first, "text/html");
    EXPECT_EQ(r.blobs.at("critique.md").first, "text/markdown");
    EXPECT_EQ(r.blobs.at("csh-divergence.svg").first, "image/svg+xml");
    EXPECT_EQ(r.blobs.at("csh-divergence.png").first, "image/png");
    EXPECT_EQ(r.blobs.at("csh-divergence.png").second.substr(1, 3), "PNG");
    EXPECT_NE(r.blobs.at("critique.html").second.find("Mill Road traders"), std::string::npos);
}

TEST_F(CshPlugin, CleanModelWithoutReport) {
    TestRun r(clean(), R"({"report": false})");
    ASSERT_EQ(plugin_->run("csh.critique", r), HOLON_OK) << r.error_message;
    expect_valid(result_schema("csh.critique"), r.result);
    EXPECT_TRUE(r.result_json()["findings"].empty()) << r.result;
    EXPECT_TRUE(r.blobs.empty());
}

TEST_F(CshPlugin, QuestionnaireForOnePerspective) {
    TestRun r(elm_street(), R"({"perspective": "a-boundary", "title": "Boundary roads workshop"})");
    ASSERT_EQ(plugin_->run("csh.questionnaire", r), HOLON_OK) << r.error_message;
    expect_valid(result_schema("csh.questionnaire"), r.result);
    const json result = r.result_json();
    EXPECT_EQ(result["rows"].size(), 24u);
    EXPECT_EQ(result["questions_from"], "holon");
    EXPECT_EQ(r.blobs.at("questionnaire.csv").first, "text/csv");
    EXPECT_EQ(r.blobs.at("questionnaire.csv").second.substr(0, 22), "category,name,source,m");
    EXPECT_TRUE(r.blobs.contains("questionnaire.html"));
    EXPECT_TRUE(r.blobs.contains("questionnaire.md"));
}

TEST_F(CshPlugin, QuestionnaireWithSeveralPerspectivesNeedsOne) {
    TestRun r(elm_street(), "{}");
    EXPECT_EQ(plugin_->run("csh.questionnaire", r), HOLON_ERR_INVALID_PARAMS);
    EXPECT_EQ(r.details_json()["path"], "/perspective");
    EXPECT_NE(r.error_message.find("a-council"), std::string::npos) << r.error_message;
    EXPECT_TRUE(r.result.empty());
}

TEST_F(CshPlugin, BadRecordFailsWithItsJsonPointer) {
    // The host refuses such a model on upload; a plugin handed one anyway names the same path.
    json doc = json::parse(clean());
    doc["boundary"][2]["mode"] = "could-be";
    TestRun r(doc.dump(), "{}");
    EXPECT_EQ(plugin_->run("csh.critique", r), HOLON_ERR_INVALID_MODEL);
    EXPECT_EQ(r.details_json()["path"], "/boundary/2/mode") << r.error_details;
    EXPECT_TRUE(r.result.empty());
}

TEST_F(CshPlugin, CancelledCritiqueWritesNothing) {
    TestRun r(elm_street(), "{}");
    r.cancel_after_polls = 0;
    EXPECT_EQ(plugin_->run("csh.critique", r), HOLON_ERR_CANCELLED);
    EXPECT_TRUE(r.result.empty());
    EXPECT_TRUE(r.blobs.empty());
}

TEST_F(CshPlugin, BoundarySensitivityNeedsTheInvokeExtension) {
    // Without holon.invoke/1 (this host offers none) the method cannot run its variants: it fails
    // with a status and a message, never a partial result.
    TestRun r(read_text(std::string(CSH_EXAMPLES) + "/elm-street-traffic-sd.model.json"), "{}");
    const int32_t status = plugin_->run("csh.boundary-sensitivity", r);
    EXPECT_NE(status, HOLON_OK);
    EXPECT_EQ(status, r.error_code);
    EXPECT_FALSE(r.error_message.empty());
    EXPECT_TRUE(r.result.empty());
}

} // namespace
