// Integration tests: the real `holon serve` on a loopback port with a real SQLite file, driven
// over HTTP. Every response is also checked against openapi.yaml by the client.
#include "api_fixture.hpp"
#include "openapi_checker.hpp"

#include "api/openapi.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <set>

namespace holon::test {
namespace {

class Api : public ApiSuite {
public:
    static void SetUpTestSuite() {
        start_server("api", {{"HOLON_LIMITS_BODY_BYTES", "1048576"},
                             {"HOLON_LIMITS_MODEL_BYTES", "262144"},
                             {"HOLON_LIMITS_RUNS_IN_FLIGHT", "3"},
                             {"HOLON_LIMITS_MAX_PAGE_SIZE", "100"},
                             {"HOLON_WORKERS", "2"}});
    }
};

void expect_problem(const HttpResponse& r, int status, const std::string& type) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.content_type(), "application/problem+json") << r.body;
    const auto doc = r.json();
    EXPECT_EQ(doc.value("type", ""), type) << r.body;
    EXPECT_EQ(doc.value("status", 0), status) << r.body;
    EXPECT_FALSE(doc.value("title", "").empty()) << r.body;
    EXPECT_FALSE(doc.value("detail", "").empty()) << r.body;
}

TEST_F(Api, HealthAndMetricsNeedNoToken) {
    auto live = http().get("/livez", "");
    EXPECT_EQ(live.status, 200);
    EXPECT_EQ(live.json()["status"], "ok");
    auto ready = http().get("/readyz", "");
    EXPECT_EQ(ready.status, 200) << ready.body;
    auto metrics = http().get("/metrics", "");
    EXPECT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.body.find("holon_http_requests_total{operation=\"getLivez\",status=\"200\"}"), std::string::npos)
        << metrics.body;
    EXPECT_NE(metrics.body.find("holon_http_request_duration_seconds_bucket"), std::string::npos);
    EXPECT_NE(metrics.body.find("holon_process_runner_crashes_total"), std::string::npos);
}

TEST_F(Api, OpenApiDocumentIsServedAsJson) {
    auto r = http().get("/v1/openapi.json", admin());
    ASSERT_EQ(r.status, 200);
    const auto doc = r.json();
    EXPECT_EQ(doc["openapi"], "3.1.0");
    EXPECT_TRUE(doc["paths"].contains("/v1/workspaces/{ws}/runs/{run}/events"));
    EXPECT_EQ(r.json(), api::OpenApi::embedded().document());
}

TEST_F(Api, EveryV1CallNeedsAValidBearerToken) {
    expect_problem(http().get("/v1/workspaces", ""), 401, "/problems/unauthorized");
    expect_problem(http().get("/v1/workspaces", "hol_not-a-real-token"), 401, "/problems/unauthorized");
    expect_problem(http().get("/v1/plugins", ""), 401, "/problems/unauthorized");
    HttpRequest basic;
    basic.path = "/v1/workspaces";
    basic.headers.emplace_back("Authorization", "Basic YWRtaW46YWRtaW4=");
    expect_problem(http().send(basic), 401, "/problems/unauthorized");
}

TEST_F(Api, UnknownPathsAndMethodsAreProblems) {
    expect_problem(http().get("/v1/nothing-here", admin()), 404, "/problems/not-found");
    expect_problem(http().del("/v1/plugins", admin()), 405, "/problems/method-not-allowed");
}

TEST_F(Api, WorkspacesCrudAndCursorPagination) {
    std::set<std::string> created;
    for (int i = 0; i < 5; ++i) created.insert(make_workspace("page-" + std::to_string(i)));
    std::set<std::string> seen;
    std::string path = "/v1/workspaces?limit=2";
    int pages = 0;
    for (;;) {
        auto r = http().get(path, admin());
        ASSERT_EQ(r.status, 200) << r.body;
        const auto doc = r.json();
        EXPECT_LE(doc["items"].size(), 2u);
        for (const auto& w : doc["items"]) EXPECT_TRUE(seen.insert(w["id"].get<std::string>()).second) << "duplicate";
        ++pages;
        if (doc["next"].is_null()) break;
        path = "/v1/workspaces?limit=2&after=" + doc["next"].get<std::string>();
    }
    EXPECT_GE(pages, 3);
    for (const auto& id : created) EXPECT_TRUE(seen.count(id)) << id;

    const std::string ws = *created.begin();
    auto renamed = http().send({"PATCH", "/v1/workspaces/" + ws, R"({"name":"renamed"})", "application/json", {}, admin()});
    EXPECT_EQ(renamed.status, 200);
    EXPECT_EQ(http().get("/v1/workspaces/" + ws, admin()).json()["name"], "renamed");
    expect_problem(http().send({"PATCH", "/v1/workspaces/" + ws, R"({"name":""})", "application/json", {}, admin()}),
                   400, "/problems/invalid-request");
    expect_problem(http().post("/v1/workspaces", admin(), "{not json"), 400, "/problems/invalid-request");
    auto bad = http().post_json("/v1/workspaces", admin(), {{"name", "x"}, {"extra", 1}});
    expect_problem(bad, 400, "/problems/invalid-request");
    EXPECT_FALSE(bad.json()["errors"].empty());
    expect_problem(http().get("/v1/workspaces?limit=0", admin()), 400, "/problems/invalid-request");
    expect_problem(http().get("/v1/workspaces?after=garbage", admin()), 400, "/problems/invalid-request");
    // limit above the configured maximum (100) is clamped, not refused.
    EXPECT_EQ(http().get("/v1/workspaces?limit=5000", admin()).status, 200);

    EXPECT_EQ(http().del("/v1/workspaces/" + ws, admin()).status, 204);
    expect_problem(http().get("/v1/workspaces/" + ws, admin()), 404, "/problems/not-found");
}

TEST_F(Api, TokensAreShownOnceAndRolesAreEnforced) {
    const auto ws = make_workspace("tokens");
    auto created = http().post_json("/v1/workspaces/" + ws + "/tokens", admin(), {{"role", "editor"}, {"expires_in", 3600}});
    ASSERT_EQ(created.status, 201) << created.body;
    const auto doc = created.json();
    const std::string editor = doc["token"];
    EXPECT_FALSE(doc["expires_at"].is_null());
    EXPECT_EQ(created.header("location"), "/v1/workspaces/" + ws + "/tokens/" + doc["id"].get<std::string>());

    auto listed = http().get("/v1/workspaces/" + ws + "/tokens", admin());
    ASSERT_EQ(listed.status, 200);
    EXPECT_EQ(listed.body.find(editor), std::string::npos) << "a secret must never be listed";
    EXPECT_EQ(http().get("/v1/workspaces/" + ws + "/tokens/" + doc["id"].get<std::string>(), admin()).json()["role"],
              "editor");

    // Editors work on models but cannot manage tokens or workspaces.
    EXPECT_EQ(http().get("/v1/workspaces/" + ws + "/models", editor).status, 200);
    expect_problem(http().post_json("/v1/workspaces/" + ws + "/tokens", editor, {{"role", "admin"}}), 403,
                   "/problems/forbidden");
    expect_problem(http().post_json("/v1/workspaces", editor, {{"name", "x"}}), 403, "/problems/forbidden");
    // A workspace admin manages tokens of its workspace but cannot create workspaces.
    const auto ws_admin = make_token(ws, "admin");
    EXPECT_EQ(http().post_json("/v1/workspaces/" + ws + "/tokens", ws_admin, {{"role", "viewer"}}).status, 201);
    expect_problem(http().post_json("/v1/workspaces", ws_admin, {{"name", "x"}}), 403, "/problems/forbidden");
    expect_problem(http().del("/v1/workspaces/" + ws, ws_admin), 403, "/problems/forbidden");
    // A workspace token lists only its own workspace.
    auto own = http().get("/v1/workspaces", editor).json();
    ASSERT_EQ(own["items"].size(), 1u);
    EXPECT_EQ(own["items"][0]["id"], ws);

    expect_problem(http().post_json("/v1/workspaces/" + ws + "/tokens", admin(), {{"role", "owner"}}), 400,
                   "/problems/invalid-request");
    EXPECT_EQ(http().del("/v1/workspaces/" + ws + "/tokens/" + doc["id"].get<std::string>(), admin()).status, 204);
    expect_problem(http().get("/v1/workspaces/" + ws + "/models", editor), 401, "/problems/unauthorized");
    expect_problem(http().del("/v1/workspaces/" + ws + "/tokens/tok_missing", admin()), 404, "/problems/not-found");
}

TEST_F(Api, ModelsHaveRevisionsAndETags) {
    const auto ws = make_workspace("models");
    const std::string base = "/v1/workspaces/" + ws + "/models";
    auto created = http().post(base, admin(), example_model());
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id = created.json()["id"];
    const std::string etag1 = created.header("etag");
    EXPECT_EQ(created.json()["revision"], 1);
    EXPECT_EQ(created.json()["etag"], etag1);
    EXPECT_EQ(created.header("location"), base + "/" + id);

    auto got = http().get(base + "/" + id, admin());
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.header("etag"), etag1);
    EXPECT_EQ(got.json(), nlohmann::json::parse(example_model()));

    auto doc = nlohmann::json::parse(example_model());
    doc["description"] = "second revision";
    expect_problem(http().put(base + "/" + id, admin(), doc.dump(), ""), 428, "/problems/precondition-required");
    auto put = http().put(base + "/" + id, admin(), doc.dump(), etag1);
    ASSERT_EQ(put.status, 200) << put.body;
    const std::string etag2 = put.header("etag");
    EXPECT_NE(etag1, etag2);
    EXPECT_EQ(put.json()["revision"], 2);
    expect_problem(http().put(base + "/" + id, admin(), doc.dump(), etag1), 412, "/problems/precondition-failed");

    expect_problem(http().patch(base + "/" + id, admin(), R"({"description":"patched"})", ""), 428,
                   "/problems/precondition-required");
    expect_problem(http().patch(base + "/" + id, admin(), R"({"description":"patched"})", etag1), 412,
                   "/problems/precondition-failed");
    auto patched = http().patch(base + "/" + id, admin(), R"({"description":"patched"})", etag2);
    ASSERT_EQ(patched.status, 200) << patched.body;
    EXPECT_EQ(patched.json()["revision"], 3);
    EXPECT_EQ(http().get(base + "/" + id, admin()).json()["description"], "patched");
    EXPECT_EQ(http().get(base + "/" + id + "?revision=1", admin()).header("etag"), etag1);
    expect_problem(http().get(base + "/" + id + "?revision=9", admin()), 404, "/problems/not-found");

    auto revisions = http().get(base + "/" + id + "/revisions?limit=2", admin());
    ASSERT_EQ(revisions.status, 200);
    EXPECT_EQ(revisions.json()["items"].size(), 2u);
    EXPECT_FALSE(revisions.json()["next"].is_null());
    auto list = http().get(base, admin()).json();
    ASSERT_EQ(list["items"].size(), 1u);
    EXPECT_EQ(list["items"][0]["revision"], 3);

    EXPECT_EQ(http().del(base + "/" + id, admin()).status, 204);
    expect_problem(http().get(base + "/" + id, admin()), 404, "/problems/not-found");
}

TEST_F(Api, InvalidModelsAreRejectedWithPaths) {
    const auto ws = make_workspace("invalid-models");
    const std::string base = "/v1/workspaces/" + ws + "/models";
    auto doc = nlohmann::json::parse(example_model());
    doc["links"][0]["from"] = "no-such-variable";
    auto r = http().post(base, admin(), doc.dump());
    expect_problem(r, 422, "/problems/invalid-model");
    ASSERT_FALSE(r.json()["errors"].empty());
    EXPECT_EQ(r.json()["errors"][0]["path"], "/links/0/from") << r.body;
    expect_problem(http().post(base, admin(), "{\"format\": "), 422, "/problems/invalid-model");
    expect_problem(http().post(base, admin(), "plain text", "text/csv"), 415, "/problems/unsupported-media-type");
    expect_problem(http().post(base + "?format=no-such-format", admin(), "x"), 415, "/problems/unsupported-format");
    // Model size limit (256 KiB here) and body size limit (1 MiB here).
    doc = nlohmann::json::parse(example_model());
    doc["description"] = std::string(300 * 1024, 'x');
    expect_problem(http().post(base, admin(), doc.dump()), 413, "/problems/model-too-large");
    expect_problem(http().post(base, admin(), std::string(2 * 1024 * 1024, ' ')), 413, "/problems/body-too-large");
}

TEST_F(Api, XmileImportAndExportGoThroughPlugins) {
    const auto ws = make_workspace("xmile");
    const std::string base = "/v1/workspaces/" + ws + "/models";
    auto plugins = http().get("/v1/plugins/sd", admin());
    if (plugins.status == 404) GTEST_SKIP() << "the sd plugin is not built";
    const std::string teacup = read_text(std::string(HOLON_SHARED_DIR) + "/sd-test-models/samples/teacup/teacup.xmile");
    ASSERT_FALSE(teacup.empty());
    auto imported = http().post(base, admin(), teacup, "application/xml");
    ASSERT_EQ(imported.status, 201) << imported.body;
    EXPECT_EQ(imported.json()["imported_from"], "xmile");
    const std::string id = imported.json()["id"];
    auto stored = http().get(base + "/" + id, admin());
    EXPECT_EQ(stored.content_type(), "application/json");
    EXPECT_EQ(stored.json()["format"], "holon-model/1");
    auto exported = http().get(base + "/" + id + "?format=xmile", admin());
    ASSERT_EQ(exported.status, 200) << exported.body;
    EXPECT_NE(exported.body.find("<xmile"), std::string::npos);
    auto again = http().post(base + "?format=xmile", admin(), exported.body, "application/octet-stream");
    EXPECT_EQ(again.status, 201) << again.body;
    // Without ?format the Accept header chooses: XML is the XMILE export, the JSON document
    // otherwise, and what the route cannot give is 406 listing what it offers.
    auto as_xml = http().get(base + "/" + id, admin(), {{"Accept", "application/xml"}});
    ASSERT_EQ(as_xml.status, 200) << as_xml.body;
    EXPECT_EQ(as_xml.content_type().rfind("application/xml", 0), 0u) << as_xml.content_type();
    EXPECT_EQ(as_xml.body, exported.body);
    auto preferring_json = http().get(base + "/" + id, admin(), {{"Accept", "application/xml;q=0.5, application/json"}});
    EXPECT_EQ(preferring_json.content_type(), "application/json");
    auto refused = http().get(base + "/" + id, admin(), {{"Accept", "image/png"}});
    expect_problem(refused, 406, "/problems/not-acceptable");
    EXPECT_NE(refused.body.find("application/xml"), std::string::npos) << refused.body;
    expect_problem(http().post(base, admin(), "<xmile>broken", "application/xml"), 422, "/problems/import-failed");
    expect_problem(http().get(base + "/" + id + "?format=no-such-format", admin()), 415, "/problems/unsupported-format");
}

TEST_F(Api, VensimModelsImportSimulateAndExportOverRest) {
    const auto ws = make_workspace("vensim");
    const std::string base = "/v1/workspaces/" + ws + "/models";
    if (http().get("/v1/plugins/sd", admin()).status == 404) GTEST_SKIP() << "the sd plugin is not built";
    const std::string teacup = read_text(std::string(HOLON_SHARED_DIR) + "/sd-test-models/samples/teacup/teacup.mdl");
    ASSERT_FALSE(teacup.empty());
    auto imported = http().post(base + "?format=mdl", admin(), teacup, "text/plain");
    ASSERT_EQ(imported.status, 201) << imported.body;
    EXPECT_EQ(imported.json()["imported_from"], "mdl");
    const std::string id = imported.json()["id"];
    auto stored = http().get(base + "/" + id, admin()).json();
    bool has_stock = false;
    for (const auto& v : stored["variables"]) has_stock = has_stock || v.value("kind", "") == "stock";
    EXPECT_TRUE(has_stock) << "the teacup's temperature is a stock";

    auto run = http().post_json("/v1/workspaces/" + ws + "/runs?wait=60", admin(), {{"method", "sd.simulate"}, {"model", id}});
    ASSERT_EQ(run.status, 200) << run.body;
    EXPECT_EQ(run.json()["state"], "succeeded") << run.body;

    auto exported = http().get(base + "/" + id + "?format=xmile", admin());
    ASSERT_EQ(exported.status, 200) << exported.body;
    EXPECT_NE(exported.body.find("<xmile"), std::string::npos);

    // A broken model: 422 naming the line, and nothing stored.
    const auto before = http().get(base, admin()).json()["items"].size();
    auto broken = http().post(base + "?format=mdl", admin(), "{UTF-8}\nx = 1 +\n~ ~|\n", "text/plain");
    expect_problem(broken, 422, "/problems/import-failed");
    EXPECT_NE(broken.body.find(":2"), std::string::npos) << broken.body;
    EXPECT_EQ(http().get(base, admin()).json()["items"].size(), before);
}

TEST_F(Api, PluginsListMethodsWithSchemas) {
    auto r = http().get("/v1/plugins", admin());
    ASSERT_EQ(r.status, 200);
    bool found = false;
    const auto doc = r.json();
    for (const auto& p : doc["items"])
        if (p["id"] == "fixture.echo") {
            found = true;
            ASSERT_EQ(p["methods"].size(), 1u);
            EXPECT_EQ(p["methods"][0]["id"], "fixture.echo.run");
            EXPECT_EQ(p["methods"][0]["params_schema"], nlohmann::json({{"type", "object"}}));
        }
    EXPECT_TRUE(found);
    EXPECT_EQ(http().get("/v1/plugins/fixture.echo", admin()).json()["version"], "1.0.0");
    expect_problem(http().get("/v1/plugins/nope", admin()), 404, "/problems/not-found");
}

TEST_F(Api, RunWithWaitAnswersSynchronouslyWithResultsAndCsv) {
    const auto ws = make_workspace("runs");
    const auto model = make_model(ws);
    auto r = http().post_json("/v1/workspaces/" + ws + "/runs?wait=30", admin(),
                              {{"method", "fixture.echo.run"}, {"model", model}, {"params", {{"rows", 3}, {"blob", "hi"}}}});
    ASSERT_EQ(r.status, 200) << r.body;
    const auto run = r.json();
    EXPECT_EQ(run["state"], "succeeded");
    EXPECT_EQ(run["model_revision"], 1);
    EXPECT_FALSE(run["finished_at"].is_null());
    const std::string path = "/v1/workspaces/" + ws + "/runs/" + run["id"].get<std::string>();
    EXPECT_EQ(r.header("location"), path);

    auto result = http().get(path + "/result", admin());
    ASSERT_EQ(result.status, 200);
    EXPECT_EQ(result.json()["params"]["rows"], 3);
    EXPECT_GT(result.json()["model_bytes"].get<int>(), 1000);
    auto outputs = http().get(path + "/tables", admin()).json();
    ASSERT_EQ(outputs["tables"].size(), 1u);
    EXPECT_EQ(outputs["tables"][0]["row_count"], 3);
    EXPECT_EQ(outputs["files"][0]["name"], "echo.txt");
    auto table = http().get(path + "/tables/squares", admin()).json();
    EXPECT_EQ(table["columns"], nlohmann::json({"x", "x2"}));
    EXPECT_EQ(table["rows"][2], nlohmann::json({2.0, 4.0}));
    auto csv = http().get(path + "/tables/squares", admin(), {{"Accept", "text/csv"}});
    EXPECT_EQ(csv.content_type().rfind("text/csv", 0), 0u);
    EXPECT_EQ(csv.body, "x,x2\r\n0,0\r\n1,1\r\n2,4\r\n");
    EXPECT_EQ(http().get(path + "/tables/squares?format=csv", admin()).body, csv.body);
    auto file = http().get(path + "/files/echo.txt", admin());
    EXPECT_EQ(file.body, "hi");
    EXPECT_EQ(file.content_type(), "text/plain");
    expect_problem(http().get(path + "/tables/nope", admin()), 404, "/problems/not-found");

    auto listed = http().get("/v1/workspaces/" + ws + "/runs?state=succeeded", admin()).json();
    ASSERT_EQ(listed["items"].size(), 1u);
    expect_problem(http().get("/v1/workspaces/" + ws + "/runs?state=bogus", admin()), 400, "/problems/invalid-request");
}

TEST_F(Api, RunRequestsAreValidated) {
    const auto ws = make_workspace("run-validation");
    const std::string base = "/v1/workspaces/" + ws + "/runs";
    expect_problem(http().post_json(base, admin(), {{"method", "no.such.method"}}), 422, "/problems/unknown-method");
    expect_problem(http().post_json(base, admin(), {{"method", "fixture.echo.run"}}), 400, "/problems/invalid-request");
    expect_problem(http().post_json(base, admin(), {{"model", "x"}}), 400, "/problems/invalid-request");
    expect_problem(http().post_json(base, admin(), {{"method", "fixture.echo.run"}, {"model", "mdl_missing"}}), 404,
                   "/problems/not-found");
    expect_problem(http().post_json(base + "?wait=9999", admin(), {{"method", "fixture.echo.run"}}), 400,
                   "/problems/invalid-request");
    if (http().get("/v1/plugins/cld", admin()).status == 200) {
        const auto model = make_model(ws);
        auto r = http().post_json(base, admin(), {{"method", "cld.loops"}, {"model", model}, {"params", {{"max_loops", "many"}}}});
        expect_problem(r, 422, "/problems/invalid-params");
        EXPECT_FALSE(r.json()["errors"].empty());
    }
}

TEST_F(Api, FailedRunsCarryProblemDetails) {
    const auto ws = make_workspace("failures");
    const auto model = make_model(ws);
    auto failed = make_run(ws, {{"method", "fixture.echo.run"}, {"model", model}, {"params", {{"fail", "bad input"}}}}, 30);
    EXPECT_EQ(failed["state"], "failed");
    EXPECT_EQ(failed["error"]["type"], "/problems/invalid-params");
    EXPECT_NE(failed["error"]["detail"].get<std::string>().find("bad input"), std::string::npos);
    auto r = http().get("/v1/workspaces/" + ws + "/runs/" + failed["id"].get<std::string>() + "/result", admin());
    expect_problem(r, 409, "/problems/run-not-finished");

    auto crashed = make_run(ws, {{"method", "fixture.segfault.run"}, {"model", model}}, 30);
    EXPECT_EQ(crashed["state"], "failed");
    EXPECT_EQ(crashed["error"]["type"], "/problems/runner-crashed");

    auto slow = make_run(ws, {{"method", "fixture.sleep-forever.run"}, {"model", model}, {"limits", {{"wall_seconds", 1}}}}, 30);
    EXPECT_EQ(slow["state"], "failed");
    EXPECT_EQ(slow["error"]["type"], "/problems/run-time-limit");
    EXPECT_NE(http().get("/metrics", "").body.find("holon_process_runner_crashes_total "), std::string::npos);
}

TEST_F(Api, CancelStopsQueuedAndRunningRuns) {
    const auto ws = make_workspace("cancel");
    const auto model = make_model(ws);
    auto run = make_run(ws, {{"method", "fixture.echo.run"}, {"model", model}, {"params", {{"wait_for_cancel", true}}}});
    const std::string path = "/v1/workspaces/" + ws + "/runs/" + run["id"].get<std::string>();
    // Wait until it runs, so that the cancel reaches a runner.
    for (int i = 0; i < 400 && http().get(path, admin()).json()["state"] != "running"; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    auto cancelled = http().post(path + "/cancel", admin(), "");
    ASSERT_EQ(cancelled.status, 202) << cancelled.body;
    EXPECT_TRUE(cancelled.json()["cancel_requested"].get<bool>());
    const auto done = wait_run(ws, run["id"]);
    EXPECT_EQ(done["state"], "cancelled") << done.dump();
    // Cancelling a finished run changes nothing.
    EXPECT_EQ(http().post(path + "/cancel", admin(), "").json()["state"], "cancelled");
    expect_problem(http().post("/v1/workspaces/" + ws + "/runs/run_missing/cancel", admin(), ""), 404,
                   "/problems/not-found");
}

TEST_F(Api, RunsInFlightPerWorkspaceAreLimited) {
    const auto ws = make_workspace("in-flight");
    const auto model = make_model(ws);
    std::vector<std::string> runs;
    for (int i = 0; i < 3; ++i)
        runs.push_back(make_run(ws, {{"method", "fixture.echo.run"}, {"model", model}, {"params", {{"wait_for_cancel", true}}}})["id"]);
    auto refused = http().post_json("/v1/workspaces/" + ws + "/runs", admin(),
                                    {{"method", "fixture.echo.run"}, {"model", model}});
    expect_problem(refused, 429, "/problems/too-many-runs");
    EXPECT_FALSE(refused.header("retry-after").empty());
    for (const auto& id : runs) http().post("/v1/workspaces/" + ws + "/runs/" + id + "/cancel", admin(), "");
    for (const auto& id : runs) EXPECT_EQ(wait_run(ws, id)["state"], "cancelled");
}

TEST_F(Api, WaitReturns202WhenTheRunIsStillGoing) {
    const auto ws = make_workspace("wait");
    const auto model = make_model(ws);
    auto r = http().post_json("/v1/workspaces/" + ws + "/runs?wait=0.3", admin(),
                              {{"method", "fixture.echo.run"}, {"model", model}, {"params", {{"sleep_ms", 3000}}}});
    EXPECT_EQ(r.status, 202) << r.body;
    EXPECT_EQ(wait_run(ws, r.json()["id"])["state"], "succeeded");
}

// Reads an event stream to its end; returns (id, type, data) per event.
struct Event {
    std::int64_t id;
    std::string type;
    nlohmann::json data;
};

std::vector<Event> read_events(int port, const std::string& path, const std::string& last_event_id) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest req("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
    req.set("Authorization", "Bearer " + admin_secret);
    req.set("Accept", "text/event-stream");
    if (!last_event_id.empty()) req.set("Last-Event-ID", last_event_id);
    session.sendRequest(req);
    Poco::Net::HTTPResponse res;
    auto& in = session.receiveResponse(res);
    EXPECT_EQ(res.getStatus(), Poco::Net::HTTPResponse::HTTP_OK);
    EXPECT_EQ(res.getContentType(), "text/event-stream");
    std::vector<Event> events;
    Event current{0, "", nullptr};
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) {
            if (current.id) events.push_back(current);
            current = {0, "", nullptr};
        } else if (line.rfind("id: ", 0) == 0) {
            current.id = std::stoll(line.substr(4));
        } else if (line.rfind("event: ", 0) == 0) {
            current.type = line.substr(7);
        } else if (line.rfind("data: ", 0) == 0) {
            current.data = nlohmann::json::parse(line.substr(6));
        }
    }
    return events;
}

TEST_F(Api, EventsStreamProgressAndResumeAfterLastEventId) {
    const auto ws = make_workspace("events");
    const auto model = make_model(ws);
    auto run = make_run(ws, {{"method", "fixture.echo.run"}, {"model", model},
                             {"params", {{"progress_steps", 4}, {"sleep_ms", 400}}}});
    const std::string path = "/v1/workspaces/" + ws + "/runs/" + run["id"].get<std::string>() + "/events";
    const auto events = read_events(http().port(), path, "");
    ASSERT_GE(events.size(), 4u);
    EXPECT_EQ(events.front().type, "state");
    EXPECT_EQ(events.front().data["state"], "queued");
    EXPECT_EQ(events.back().type, "state");
    EXPECT_EQ(events.back().data["state"], "succeeded");
    bool progress = false;
    for (std::size_t i = 0; i < events.size(); ++i) {
        EXPECT_EQ(events[i].id, static_cast<std::int64_t>(i + 1));
        if (events[i].type == "progress") progress = true;
    }
    EXPECT_TRUE(progress);
    const auto resumed = read_events(http().port(), path, std::to_string(events[1].id));
    ASSERT_EQ(resumed.size(), events.size() - 2);
    EXPECT_EQ(resumed.front().id, events[2].id);
    expect_problem(http().get("/v1/workspaces/" + ws + "/runs/run_missing/events", admin()), 404, "/problems/not-found");
}

TEST_F(Api, ResponsesWereCheckedAgainstOpenApi) {
    http().get("/livez", "");
    EXPECT_GT(checked_response_count(), 0u);
}

}  // namespace
}  // namespace holon::test
