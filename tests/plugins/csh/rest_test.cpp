// csh.critique and csh.questionnaire over REST: the real `holon serve` on a loopback port with the
// csh plugin, responses checked against schemas/openapi.yaml; a model with a bad boundary record
// is refused with 422 and the JSON Pointer, and nothing is stored.
#include "http_client.hpp"
#include "server_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>
#include <sstream>

namespace {

using holon::test::admin_secret;
using holon::test::HttpClient;
using holon::test::ServerProcess;
using nlohmann::json;

std::string clean_model() {
    std::ifstream in(std::string(CSH_TEST_DATA) + "/clean.model.json");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class CshRest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        holon::test::ServerOptions options;
        options.data_dir = holon::test::fresh_dir("csh-rest");
        options.plugin_dirs = {CSH_PLUGIN_DIR};
        server_ = std::make_unique<ServerProcess>(options);
        server_->start();
        http_ = std::make_unique<HttpClient>(server_->port());
    }
    static void TearDownTestSuite() {
        if (server_) {
            EXPECT_EQ(server_->stop(), 0);
        }
        server_.reset();
        http_.reset();
    }
    static std::unique_ptr<ServerProcess> server_;
    static std::unique_ptr<HttpClient> http_;
};
std::unique_ptr<ServerProcess> CshRest::server_;
std::unique_ptr<HttpClient> CshRest::http_;

TEST_F(CshRest, CritiqueAndQuestionnaireRunsAndBadRecordsAreRefused) {
    auto ws = http_->post_json("/v1/workspaces", admin_secret, {{"name", "csh"}});
    ASSERT_EQ(ws.status, 201) << ws.body;
    const std::string base = "/v1/workspaces/" + ws.json()["id"].get<std::string>();

    auto model = http_->post(base + "/models", admin_secret, clean_model());
    ASSERT_EQ(model.status, 201) << model.body;
    const std::string id = model.json()["id"];

    auto run = http_->post_json(base + "/runs?wait=60", admin_secret, {{"method", "csh.critique"}, {"model", id}});
    ASSERT_EQ(run.status, 200) << run.body;
    EXPECT_EQ(run.json()["state"], "succeeded") << run.body;
    const std::string run_id = run.json()["id"];
    auto result = http_->get(base + "/runs/" + run_id + "/result", admin_secret);
    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_TRUE(result.json()["findings"].empty()) << result.body;
    EXPECT_EQ(result.json()["perspectives"][0]["answered"], 24);
    auto png = http_->get(base + "/runs/" + run_id + "/files/csh-divergence.png", admin_secret);
    EXPECT_EQ(png.status, 200);
    EXPECT_EQ(png.body.substr(1, 3), "PNG");

    auto sheet = http_->post_json(base + "/runs?wait=60", admin_secret,
                                  {{"method", "csh.questionnaire"}, {"model", id}, {"params", {{"perspective", "a-council"}}}});
    ASSERT_EQ(sheet.status, 200) << sheet.body;
    EXPECT_EQ(sheet.json()["state"], "succeeded") << sheet.body;
    auto csv = http_->get(base + "/runs/" + sheet.json()["id"].get<std::string>() + "/files/questionnaire.csv", admin_secret);
    EXPECT_EQ(csv.status, 200);
    EXPECT_EQ(csv.body.rfind("category,name,source,mode,question", 0), 0u) << csv.body.substr(0, 200);

    const auto before = http_->get(base + "/models", admin_secret).json()["items"].size();
    json bad = json::parse(clean_model());
    bad["boundary"][7]["category"] = 13;
    auto refused = http_->post(base + "/models", admin_secret, bad.dump());
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(refused.content_type(), "application/problem+json");
    EXPECT_EQ(refused.json()["errors"][0]["path"], "/boundary/7/category") << refused.body;
    bad = json::parse(clean_model());
    bad["boundary"][7]["refs"] = {{"actors", {"a-nobody"}}};
    refused = http_->post(base + "/models", admin_secret, bad.dump());
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(refused.json()["errors"][0]["path"], "/boundary/7/refs/actors/0") << refused.body;
    EXPECT_EQ(refused.json()["errors"][0]["message"], "unknown actor 'a-nobody'") << refused.body;
    EXPECT_EQ(http_->get(base + "/models", admin_secret).json()["items"].size(), before) << "nothing stored";
}

} // namespace
