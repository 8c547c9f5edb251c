// The OpenAPI document lints clean (issue 18): every operation has a summary and declares the 4xx
// responses it can give, each an application/problem+json Problem:
//   - 401 when it needs a token;
//   - 403 when it needs a token and changes something (a viewer's token is refused);
//   - 404 when its path names a resource ({ws}, {model}, ...);
//   - 400, 413 and 415 when it takes a request body (malformed, too large, wrong media type);
//   - 412 and 428 when it takes If-Match (stale, missing).
// Read from schemas/openapi.yaml in the source tree, so a route added without them fails here.
#include "api/openapi.hpp"
#include "api_fixture.hpp"

#include <nlohmann/json.hpp>

#include <set>

namespace holon::test {
namespace {

using nlohmann::json;

const std::set<std::string> kMethods = {"get", "put", "post", "delete", "patch", "head", "options"};

json resolve(const json& doc, const json& node) {
    if (node.is_object() && node.contains("$ref") && node["$ref"].is_string()) {
        const auto ref = node["$ref"].get<std::string>();
        if (ref.rfind("#/", 0) == 0) return doc.value(json::json_pointer(ref.substr(1)), json());
    }
    return node;
}

bool is_problem_response(const json& doc, const json& response) {
    const json r = resolve(doc, response);
    if (!r.is_object() || !r.contains("content")) return false;
    const auto& content = r["content"];
    if (!content.contains("application/problem+json")) return false;
    const json schema = content["application/problem+json"].value("schema", json());
    return schema.value("$ref", "") == "#/components/schemas/Problem";
}

std::vector<std::string> lint(const json& doc) {
    std::vector<std::string> problems;
    const json global_security = doc.value("security", json::array());
    for (const auto& [path, item] : doc.at("paths").items()) {
        const bool names_resource = path.find('{') != std::string::npos;
        for (const auto& [method, op] : item.items()) {
            if (!kMethods.count(method)) continue;
            const std::string where = method + " " + path + " (" + op.value("operationId", "no operationId") + ")";
            if (!op.contains("summary") || !op["summary"].is_string() || op["summary"].get<std::string>().empty())
                problems.push_back(where + ": no summary");
            const json security = op.contains("security") ? op["security"] : global_security;
            const bool secured = security.is_array() && !security.empty();
            bool if_match = false;
            for (const auto& p : op.value("parameters", json::array()))
                if (resolve(doc, p).value("name", "") == "If-Match") if_match = true;
            std::set<std::string> need;
            if (secured) need.insert("401");
            if (secured && method != "get" && method != "head") need.insert("403");
            if (names_resource) need.insert("404");
            if (op.contains("requestBody")) need.insert({"400", "413", "415"});
            if (if_match) need.insert({"412", "428"});
            const json responses = op.value("responses", json::object());
            for (const auto& code : need)
                if (!responses.contains(code)) problems.push_back(where + ": does not declare " + code);
            for (const auto& [code, response] : responses.items()) {
                const bool error = code == "default" || (code.size() == 3 && (code[0] == '4' || code[0] == '5'));
                if (error && !is_problem_response(doc, response))
                    problems.push_back(where + ": response " + code + " is not application/problem+json with the Problem schema");
            }
            if (!responses.contains("default")) problems.push_back(where + ": no default (problem+json) response");
        }
    }
    return problems;
}

TEST(OpenApiLint, EveryOperationHasASummaryAndDeclaresItsClientErrors) {
    const std::string yaml = read_text(std::string(HOLON_SOURCE_DIR) + "/schemas/openapi.yaml");
    ASSERT_FALSE(yaml.empty());
    const api::OpenApi openapi(yaml);
    const auto problems = lint(openapi.document());
    std::string text;
    for (const auto& p : problems) text += "\n  " + p;
    EXPECT_TRUE(problems.empty()) << "schemas/openapi.yaml:" << text;
    EXPECT_GE(openapi.operations().size(), 40u);
}

TEST(OpenApiLint, CatchesAMissingSummaryAndMissingClientErrors) {
    const api::OpenApi openapi(R"(openapi: 3.1.0
info: {title: t, version: '1'}
security: [{bearer: []}]
paths:
  /v1/things/{thing}:
    patch:
      operationId: patchThing
      parameters:
        - {name: If-Match, in: header, required: true, schema: {type: string}}
      requestBody:
        content:
          application/json: {schema: {type: object}}
      responses:
        '200': {description: ok}
        '404': {description: not found}
        default: {$ref: '#/components/responses/Problem'}
  /livez:
    get:
      operationId: getLivez
      security: []
      summary: Alive
      responses:
        '200': {description: ok}
components:
  responses:
    Problem:
      description: An error
      content:
        application/problem+json:
          schema: {$ref: '#/components/schemas/Problem'}
  schemas:
    Problem: {type: object}
)");
    const auto problems = lint(openapi.document());
    const std::string where = "patch /v1/things/{thing} (patchThing)";
    const std::vector<std::string> expected = {
        "get /livez (getLivez): no default (problem+json) response",
        where + ": no summary",
        where + ": does not declare 400",
        where + ": does not declare 401",
        where + ": does not declare 403",
        where + ": does not declare 412",
        where + ": does not declare 413",
        where + ": does not declare 415",
        where + ": does not declare 428",
        where + ": response 404 is not application/problem+json with the Problem schema",
    };
    EXPECT_EQ(problems, expected);
}

}  // namespace
}  // namespace holon::test
