// Generated from the OpenAPI document: for every operation, a token of workspace B using the ids
// of workspace A gets 404, and a viewer gets 403 on every mutation. No exceptions.
#include "api_fixture.hpp"

#include "api/openapi.hpp"

namespace holon::test {
namespace {

class Tenancy : public ApiSuite {
public:
    static void SetUpTestSuite() {
        start_server("tenancy", {});
        a_ = make_workspace("A");
        b_ = make_workspace("B");
        model_ = make_model(a_);
        run_ = make_run(a_, {{"method", "fixture.echo.run"}, {"model", model_}, {"params", {{"rows", 2}, {"blob", "x"}}}},
                        30)["id"];
        const auto batch = http().post_json("/v1/workspaces/" + a_ + "/batches", admin(), batch_job());
        EXPECT_EQ(batch.status, 202) << batch.body;
        batch_ = batch.json().value("id", "");
        wait_run(a_, batch_);
        token_id_ = http().post_json("/v1/workspaces/" + a_ + "/tokens", admin(), {{"role", "viewer"}}).json()["id"];
        b_admin_ = make_token(b_, "admin");
        b_editor_ = make_token(b_, "editor");
        a_viewer_ = make_token(a_, "viewer");
    }

protected:
    static nlohmann::json batch_job() {
        return {{"version", "holon-batch/1"},
                {"inputs", {{"m", {{"model_id", model_}}}}},
                {"steps", {{{"name", "one"}, {"method", "fixture.echo.run"}, {"input", "m"}, {"params", {{"rows", 2}}},
                            {"outputs", {{"table", "squares"}, {"time", "x"}}}}}}};
    }

    // The operation's path with workspace A's ids filled in.
    static std::string path_for(const std::string& templ) {
        std::string out;
        std::size_t i = 0;
        while (i < templ.size()) {
            if (templ[i] != '{') {
                out += templ[i++];
                continue;
            }
            const auto end = templ.find('}', i);
            const auto name = templ.substr(i + 1, end - i - 1);
            i = end + 1;
            if (name == "ws") out += a_;
            else if (name == "model") out += model_;
            else if (name == "run") out += run_;
            else if (name == "batch") out += batch_;
            else if (name == "token") out += token_id_;
            else if (name == "table") out += "squares";
            else if (name == "file") out += "echo.txt";
            else if (name == "plugin") out += "fixture.echo";
            else ADD_FAILURE() << "no id for path parameter {" << name << "} of " << templ;
        }
        return out;
    }

    // A body that would be accepted, so that only tenancy or role can refuse the request.
    static HttpRequest request_for(const api::Operation& op, const std::string& token) {
        HttpRequest r;
        r.method = op.method;
        r.path = path_for(op.path);
        r.token = token;
        const auto& id = op.operation_id;
        if (id == "createWorkspace" || id == "renameWorkspace") r.body = R"({"name":"taken"})";
        else if (id == "createToken") r.body = R"({"role":"admin"})";
        else if (id == "createModel" || id == "replaceModel") r.body = example_model();
        else if (id == "patchModel") {
            r.body = R"({"description":"changed"})";
            r.content_type = "application/merge-patch+json";
        } else if (id == "createRun")
            r.body = nlohmann::json{{"method", "fixture.echo.run"}, {"model", model_}}.dump();
        else if (id == "createBatch")
            r.body = batch_job().dump();
        else if (id == "getBatchFile")
            r.path += "?path=index.html";
        if (id == "replaceModel" || id == "patchModel")
            r.headers.emplace_back("If-Match", http().get("/v1/workspaces/" + a_ + "/models/" + model_, admin()).header("etag"));
        return r;
    }

    static bool is_mutation(const api::Operation& op) { return op.method != "GET" && op.method != "HEAD"; }

    static inline std::string a_, b_, model_, run_, batch_, token_id_, b_admin_, b_editor_, a_viewer_;
};

TEST_F(Tenancy, EveryOperationOnAnotherWorkspaceIsNotFound) {
    int checked = 0;
    for (const auto& op : api::OpenApi::embedded().operations()) {
        if (op.path.find("{ws}") == std::string::npos) continue;
        for (const auto& token : {b_admin_, b_editor_}) {
            const auto r = http().send(request_for(op, token));
            EXPECT_EQ(r.status, 404) << op.operation_id << " " << op.method << " " << r.body;
            EXPECT_EQ(r.json().value("type", ""), "/problems/not-found") << op.operation_id;
            ++checked;
        }
        // The same request for a workspace id that does not exist answers the same.
        auto missing = request_for(op, b_admin_);
        missing.path.replace(missing.path.find(a_), a_.size(), "ws_does-not-exist");
        EXPECT_EQ(http().send(missing).status, 404) << op.operation_id;
    }
    EXPECT_GE(checked, 50);
    // Workspace A is untouched.
    EXPECT_EQ(http().get("/v1/workspaces/" + a_ + "/models/" + model_, admin()).status, 200);
    EXPECT_EQ(http().get("/v1/workspaces/" + a_ + "/runs/" + run_, admin()).json()["state"], "succeeded");
    EXPECT_EQ(http().get("/v1/workspaces/" + a_, admin()).json()["name"], "A");
}

TEST_F(Tenancy, ReadsOfTheOwnWorkspaceSucceedWithTheSameIds) {
    // The ids used above are real: the owner's token reads every one of them.
    for (const auto& op : api::OpenApi::embedded().operations()) {
        if (op.path.find("{ws}") == std::string::npos || is_mutation(op)) continue;
        if (op.operation_id == "listTokens" || op.operation_id == "getToken") continue;  // admin only
        const auto r = http().send(request_for(op, a_viewer_));
        EXPECT_EQ(r.status, 200) << op.operation_id << " " << r.body;
    }
}

TEST_F(Tenancy, ViewersGetForbiddenOnEveryMutation) {
    int checked = 0;
    for (const auto& op : api::OpenApi::embedded().operations()) {
        if (!is_mutation(op)) continue;
        const auto r = http().send(request_for(op, a_viewer_));
        EXPECT_EQ(r.status, 403) << op.operation_id << " " << r.body;
        EXPECT_EQ(r.json().value("type", ""), "/problems/forbidden") << op.operation_id;
        ++checked;
    }
    EXPECT_GE(checked, 13);
    EXPECT_EQ(http().get("/v1/workspaces/" + a_ + "/models/" + model_ + "/revisions", admin()).json()["items"].size(), 1u);
}

}  // namespace
}  // namespace holon::test
