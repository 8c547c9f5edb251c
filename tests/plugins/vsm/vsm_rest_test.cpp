// The vsm methods over REST: the real `holon serve` on a loopback port with the vsm and sd
// plugins. A malformed organisation is refused on upload with the JSON Pointer and nothing is
// stored; the worked example is diagnosed, drawn and alarmed (J5 in the server's runners).
#include "api_fixture.hpp"

#include <filesystem>

namespace holon::test {
namespace {

using nlohmann::json;

class VsmRest : public ApiSuite {
public:
    static void SetUpTestSuite() {
        ServerOptions options;
        options.data_dir = fresh_dir("vsm-rest");
        options.plugin_dirs = {VSM_PLUGIN_DIR, SD_PLUGIN_DIR};
        server_ = std::make_unique<ServerProcess>(options);
        server_->start();
        client_ = std::make_unique<HttpClient>(server_->port());
    }
    static std::string example() { return read_text(std::string(VSM_EXAMPLES) + "/riverside-integrated-care.model.json"); }
    static json run(const std::string &ws, const std::string &model, const std::string &method, const json &params = json::object()) {
        auto r = http().post_json("/v1/workspaces/" + ws + "/runs?wait=60", admin(),
                                  {{"method", method}, {"model", model}, {"params", params}});
        EXPECT_EQ(r.status, 200) << r.body;
        const json doc = r.json();
        EXPECT_EQ(doc.value("state", ""), "succeeded") << r.body;
        return doc;
    }
};

TEST_F(VsmRest, MalformedOrganisationIsRefusedAndNothingIsStored) {
    const std::string ws = make_workspace("vsm-malformed");
    const std::string base = "/v1/workspaces/" + ws + "/models";
    const json good = json::parse(example());
    struct Case {
        const char *path;
        json value;
        const char *pointer;
    };
    const Case cases[] = {{"/organisation/channels/0/to", "u-nowhere", "/organisation/channels/0/to"},
                          {"/organisation/varieties/0/states", -40, "/organisation/varieties/0/states"},
                          {"/organisation/units/1/parent", "u-medicine", "/organisation/units/1/parent"}};
    for (const Case &c : cases) {
        json bad = good;
        bad[json::json_pointer(c.path)] = c.value;
        auto r = http().post(base, admin(), bad.dump());
        EXPECT_EQ(r.status, 422) << r.body;
        EXPECT_EQ(r.content_type(), "application/problem+json");
        ASSERT_FALSE(r.json()["errors"].empty()) << r.body;
        EXPECT_EQ(r.json()["errors"][0]["path"], c.pointer) << r.body;
    }
    EXPECT_TRUE(http().get(base, admin()).json()["items"].empty());
}

TEST_F(VsmRest, DiagnoseDiagramAndAlarmsOnTheWorkedExample) {
    const std::string ws = make_workspace("vsm-example");
    auto created = http().post("/v1/workspaces/" + ws + "/models", admin(), example());
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string model = created.json()["id"];

    const json diagnosis = run(ws, model, "vsm.diagnose", {{"report", true}});
    const std::string path = "/v1/workspaces/" + ws + "/runs/" + diagnosis["id"].get<std::string>();
    const json result = http().get(path + "/result", admin()).json();
    ASSERT_EQ(result["findings"].size(), 8u) << result.dump();
    EXPECT_EQ(result["findings"][2]["code"], "II5");
    EXPECT_EQ(result["findings"][2]["unit_names"][0], "Riverside General Hospital");
    auto html = http().get(path + "/files/report.html", admin());
    EXPECT_EQ(html.status, 200);
    EXPECT_NE(html.body.find("Headless chicken"), std::string::npos);
    auto png = http().get(path + "/files/vsm-level-u-trust.png", admin());
    EXPECT_EQ(png.status, 200);
    EXPECT_EQ(png.content_type(), "image/png");

    const json alarms = run(ws, model, "vsm.alarms", {{"indicators", {"i-dn-waiting"}}});
    const json a = http().get("/v1/workspaces/" + ws + "/runs/" + alarms["id"].get<std::string>() + "/result", admin()).json();
    ASSERT_EQ(a["alarms"].size(), 1u) << a.dump();
    EXPECT_EQ(a["alarms"][0]["unit"], "u-district");
    EXPECT_EQ(a["alarms"][0]["raised"]["at"], 19.0);
    EXPECT_EQ(a["alarms"][0]["final_unit"], "u-trust");
    EXPECT_EQ(a["alarms"][0]["final_unit_name"], "Riverside Integrated Care Trust");
}

} // namespace
} // namespace holon::test
