// ssm.check and ssm.report over REST: the real `holon serve` with the built ssm plugin.
#include "api_fixture.hpp"

#include <filesystem>

namespace holon::test {
namespace {

class SsmRest : public ApiSuite {
public:
    static void SetUpTestSuite() {
        ServerOptions options;
        options.data_dir = fresh_dir("ssm-rest");
        options.plugin_dirs = {SSM_PLUGIN_DIR};
        server_ = std::make_unique<ServerProcess>(options);
        server_->start();
        client_ = std::make_unique<HttpClient>(server_->port());
    }
};

TEST_F(SsmRest, CheckAndReportAStoredInquiry) {
    const auto ws = make_workspace("ssm");
    auto stored = http().post("/v1/workspaces/" + ws + "/models", admin(), read_text(std::string(SSM_EXAMPLES) + "/prison-inquiry.model.json"));
    ASSERT_EQ(stored.status, 201) << stored.body;
    const std::string model = stored.json()["id"];
    auto run = http().post_json("/v1/workspaces/" + ws + "/runs?wait=60", admin(), {{"method", "ssm.check"}, {"model", model}});
    ASSERT_EQ(run.status, 200) << run.body;
    ASSERT_EQ(run.json()["state"], "succeeded") << run.body;
    auto result = http().get("/v1/workspaces/" + ws + "/runs/" + run.json()["id"].get<std::string>() + "/result", admin());
    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_TRUE(result.json()["findings"].empty()) << result.body;
    EXPECT_EQ(result.json()["assessed"].size(), 3u);

    auto report = http().post_json("/v1/workspaces/" + ws + "/runs?wait=60", admin(),
                                   {{"method", "ssm.report"}, {"model", model}, {"params", {{"models", {"am-rehabilitate"}}}}});
    ASSERT_EQ(report.status, 200) << report.body;
    ASSERT_EQ(report.json()["state"], "succeeded") << report.body;
    const std::string path = "/v1/workspaces/" + ws + "/runs/" + report.json()["id"].get<std::string>();
    auto html = http().get(path + "/files/report.html", admin());
    ASSERT_EQ(html.status, 200);
    EXPECT_EQ(html.content_type().rfind("text/html", 0), 0u);
    EXPECT_NE(html.body.find("<h1>Rehabilitation through work</h1>"), std::string::npos);
    auto png = http().get(path + "/files/am-rehabilitate.png", admin());
    ASSERT_EQ(png.status, 200);
    EXPECT_EQ(png.body.substr(1, 3), "PNG");
}

TEST_F(SsmRest, BadInquiryIsRefusedAndNothingStored) {
    const auto ws = make_workspace("ssm-bad");
    const std::string base = "/v1/workspaces/" + ws + "/models";
    nlohmann::json doc = nlohmann::json::parse(read_text(std::string(SSM_EXAMPLES) + "/prison-inquiry.model.json"));
    doc["activity_models"][1]["dependencies"][0]["from"] = "ghost";
    auto refused = http().post(base, admin(), doc.dump());
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_NE(refused.body.find("/activity_models/1/dependencies/0/from"), std::string::npos) << refused.body;
    EXPECT_EQ(http().get(base, admin()).json()["items"].size(), 0u);
}

} // namespace
} // namespace holon::test
