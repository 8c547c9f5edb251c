// Issue 18 over REST: a model that cannot run is refused when it is uploaded (422, problem+json,
// nothing stored), not at its first run; refusals say how to fix them (did you mean, allowed
// values); an empty body is called empty, not a syntax error at 1:1.
#include "api_fixture.hpp"

namespace holon::test {
namespace {

const std::string source_dir = HOLON_SOURCE_DIR;

class Validation : public ApiSuite {
public:
    static void SetUpTestSuite() { start_server("validation", {{"HOLON_WORKERS", "1"}}); }

protected:
    void SetUp() override {
        if (http().get("/v1/plugins/sd", admin()).status == 404) GTEST_SKIP() << "the sd plugin is not built";
    }
    static std::string models(const std::string& ws) { return "/v1/workspaces/" + ws + "/models"; }
    static size_t stored(const std::string& ws) { return http().get(models(ws), admin()).json()["items"].size(); }
    static std::string sir_xmile() { return read_text(source_dir + "/docs/examples/SIR.xmile"); }
    static nlohmann::json sir_json() {
        return nlohmann::json::parse(read_text(source_dir + "/docs/examples/scenario-sir.model.json"));
    }
    static size_t index_of(const nlohmann::json& doc, const std::string& name) {
        for (size_t i = 0; i < doc["variables"].size(); ++i)
            if (doc["variables"][i]["name"] == name) return i;
        ADD_FAILURE() << "no variable " << name;
        return 0;
    }
};

nlohmann::json expect_problem(const HttpResponse& r, int status, const std::string& type) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.content_type(), "application/problem+json") << r.body;
    auto doc = nlohmann::json::parse(r.body, nullptr, false);
    EXPECT_EQ(doc.value("type", ""), type) << r.body;
    return doc;
}

void expect_in(const std::string& text, const std::string& part) {
    EXPECT_NE(text.find(part), std::string::npos) << "expected '" << part << "' in: " << text;
}

TEST_F(Validation, XmileWithADeletedFlowIsRefusedAtUploadAndNotStored) {
    const auto ws = make_workspace("deleted-flow");
    std::string text = sir_xmile();
    const auto begin = text.find("<flow name=\"recovering\">");
    ASSERT_NE(begin, std::string::npos);
    text.erase(begin, text.find("</flow>", begin) + 7 - begin);
    const auto r = http().post(models(ws), admin(), text, "application/xml");
    const auto problem = expect_problem(r, 422, "/problems/import-failed");
    expect_in(problem.value("detail", ""),
              "sd.import-xmile failed (invalid-model): line 28, column 26: variable 'infectious': unknown flow 'recovering'");
    EXPECT_EQ(stored(ws), 0u);
}

TEST_F(Validation, JsonModelWithAnUnknownNameIsRefusedWithItsPathAndNotStored) {
    const auto ws = make_workspace("unknown-name");
    auto doc = sir_json();
    const size_t i = index_of(doc, "recovering");
    doc["variables"][i]["equation"] = "infectious/duraton";
    const auto r = http().post(models(ws), admin(), doc.dump());
    const auto problem = expect_problem(r, 422, "/problems/invalid-model");
    const std::string path = "/variables/" + std::to_string(i) + "/equation";
    EXPECT_EQ(problem.value("detail", ""),
              path + ": variable 'recovering': undefined variable 'duraton'; did you mean 'duration'?");
    ASSERT_TRUE(problem.contains("errors")) << r.body;
    EXPECT_EQ(problem["errors"][0]["path"], path);
    EXPECT_EQ(stored(ws), 0u);

    // A good model stays as it was when a replacement or a patch would break it.
    const auto created = http().post(models(ws), admin(), sir_json().dump());
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id = created.json()["id"];
    const std::string etag = created.json()["etag"];
    expect_problem(http().put(models(ws) + "/" + id, admin(), doc.dump(), etag), 422, "/problems/invalid-model");
    nlohmann::json patch = {{"variables", sir_json()["variables"]}};
    patch["variables"][i]["equation"] = "infectious/duraton";
    expect_problem(http().patch(models(ws) + "/" + id, admin(), patch.dump(), etag), 422, "/problems/invalid-model");
    const auto now = http().get(models(ws) + "/" + id, admin());
    EXPECT_EQ(now.header("holon-model-revision"), "1");
    EXPECT_EQ(now.json(), sir_json());
}

TEST_F(Validation, AStockNamingAMissingFlowInJsonIsRefused) {
    const auto ws = make_workspace("missing-flow");
    auto doc = sir_json();
    doc["variables"].erase(index_of(doc, "recovering"));
    nlohmann::json links = nlohmann::json::array();
    for (const auto& l : doc["links"])
        if (l["from"] != "recovering" && l["to"] != "recovering") links.push_back(l);
    doc["links"] = links;
    const auto problem = expect_problem(http().post(models(ws), admin(), doc.dump()), 422, "/problems/invalid-model");
    expect_in(problem.value("detail", ""), "/sd/outflows/0: variable 'infectious': unknown flow 'recovering'");
    EXPECT_EQ(stored(ws), 0u);
}

TEST_F(Validation, EmptyBodiesAreCalledEmpty) {
    const auto ws = make_workspace("empty");
    auto problem = expect_problem(http().post(models(ws), admin(), ""), 400, "/problems/invalid-request");
    expect_in(problem.value("detail", ""), "the request body is empty");
    problem = expect_problem(http().post(models(ws) + "?format=xmile", admin(), "\n", "application/xml"), 400,
                             "/problems/invalid-request");
    expect_in(problem.value("detail", ""), "the request body is empty");
    problem = expect_problem(http().post("/v1/workspaces/" + ws + "/runs", admin(), ""), 400, "/problems/invalid-request");
    EXPECT_EQ(problem.value("detail", ""), "the request body is empty: send a JSON object");
    EXPECT_EQ(stored(ws), 0u);
}

TEST_F(Validation, FormatsSuggestTheClosestOne) {
    const auto ws = make_workspace("formats");
    auto problem = expect_problem(http().post(models(ws) + "?format=xmle", admin(), sir_xmile(), "application/xml"), 415,
                                  "/problems/unsupported-format");
    expect_in(problem.value("detail", ""), "no plugin imports format 'xmle'; did you mean 'xmile'? (importable: json, ");
    const auto created = http().post(models(ws), admin(), sir_json().dump());
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id = created.json()["id"];
    problem = expect_problem(http().get(models(ws) + "/" + id + "?format=xmil", admin()), 415, "/problems/unsupported-format");
    expect_in(problem.value("detail", ""), "no plugin exports format 'xmil'; did you mean 'xmile'? (exportable: json, ");
}

TEST_F(Validation, RunRefusalsSuggestAndListTheAllowedValues) {
    const auto ws = make_workspace("suggest");
    const auto created = http().post(models(ws), admin(), sir_json().dump());
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string model = created.json()["id"];
    const std::string runs = "/v1/workspaces/" + ws + "/runs";
    auto problem = expect_problem(http().post_json(runs, admin(), {{"method", "sd.simulat"}, {"model", model}}), 422,
                                  "/problems/unknown-method");
    expect_in(problem.value("detail", ""), "no plugin offers method 'sd.simulat'; did you mean 'sd.simulate'?");
    problem = expect_problem(
        http().post_json(runs, admin(), {{"method", "sd.simulate"}, {"model", model}, {"params", {{"method", "eulr"}}}}),
        422, "/problems/invalid-params");
    EXPECT_EQ(problem.value("detail", ""), "params/method: value \"eulr\" is not one of the allowed values; did you mean "
                                           "\"euler\"? (allowed: \"euler\", \"rk2\", \"rk4\", \"cvode\")");
    problem = expect_problem(
        http().post_json(runs, admin(), {{"method", "sd.simulate"}, {"model", model}, {"params", {{"savestep", 1}}}}),
        422, "/problems/invalid-params");
    expect_in(problem.value("detail", ""), "property 'savestep' is not allowed; did you mean 'save_step'? (allowed: ");
    // A variable the model does not have: the run fails with the closest name, at the params path.
    const auto run = http().post_json(runs + "?wait=60", admin(),
                                      {{"method", "sd.simulate"}, {"model", model}, {"params", {{"variables", {"infectous"}}}}});
    ASSERT_EQ(run.status, 200) << run.body;
    EXPECT_EQ(run.json()["state"], "failed") << run.body;
    expect_in(run.body, "unknown variable 'infectous'; did you mean 'infectious'?");
}

}  // namespace
}  // namespace holon::test
