#include "openapi_checker.hpp"

#include "api/openapi.hpp"
#include "jsonschema/json_schema.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <map>
#include <mutex>

namespace holon::test {

namespace {

std::atomic<std::size_t> g_checked{0};

std::vector<std::string> segments(const std::string& path) {
    std::vector<std::string> out;
    std::size_t start = 1;
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        auto end = slash == std::string::npos ? path.size() : slash;
        out.push_back(path.substr(start, end - start));
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    return out;
}

std::string lower_method(std::string m) {
    for (auto& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return m;
}

const jsonschema::Schema& compiled(const nlohmann::json& schema) {
    static std::mutex mutex;
    static std::map<std::string, jsonschema::Schema> cache;
    const std::string key = schema.dump();
    std::lock_guard lock(mutex);
    auto it = cache.find(key);
    if (it == cache.end())
        it = cache.emplace(key, jsonschema::Schema::from_json(api::OpenApi::embedded().standalone(schema))).first;
    return it->second;
}

nlohmann::json resolve(const nlohmann::json& node) {
    if (node.is_object() && node.contains("$ref")) {
        const auto ref = node["$ref"].get<std::string>();
        return api::OpenApi::embedded().document().at(nlohmann::json::json_pointer(ref.substr(1)));
    }
    return node;
}

}  // namespace

std::optional<MatchedOperation> match_operation(const std::string& method, const std::string& path) {
    const auto want = segments(path);
    for (const auto& op : api::OpenApi::embedded().operations()) {
        if (op.method != method) continue;
        const auto have = segments(op.path);
        if (have.size() != want.size()) continue;
        bool ok = true;
        for (std::size_t i = 0; i < have.size() && ok; ++i)
            ok = (have[i].size() > 2 && have[i].front() == '{') ? !want[i].empty() : have[i] == want[i];
        if (ok) return MatchedOperation{op.path, op.operation_id};
    }
    return std::nullopt;
}

std::size_t checked_response_count() { return g_checked.load(); }

void check_response(const std::string& method, const std::string& path_with_query, const HttpResponse& response) {
    ++g_checked;
    const std::string path = path_with_query.substr(0, path_with_query.find('?'));
    const std::string context = method + " " + path + " -> " + std::to_string(response.status);
    const auto op = match_operation(method, path);
    std::string content_type = response.content_type();
    content_type = content_type.substr(0, content_type.find(';'));
    if (!op) {
        // Unknown paths and methods must still answer problem+json.
        EXPECT_GE(response.status, 400) << context;
        EXPECT_EQ(content_type, "application/problem+json") << context;
        return;
    }
    const auto& doc = api::OpenApi::embedded().document();
    const auto& responses = doc["paths"][op->path_template][lower_method(method)]["responses"];
    const std::string status = std::to_string(response.status);
    nlohmann::json documented;
    if (responses.contains(status))
        documented = resolve(responses[status]);
    else if (response.status >= 400 && responses.contains("default"))
        documented = resolve(responses["default"]);
    else {
        ADD_FAILURE() << context << ": status not documented in openapi.yaml";
        return;
    }
    if (!documented.contains("content")) {
        EXPECT_TRUE(response.body.empty()) << context << ": documented without a body";
        return;
    }
    const auto& content = documented["content"];
    if (!content.contains(content_type)) {
        // Blobs and exports carry their own media type; they are documented as octet-stream / xml.
        if (content.contains("application/octet-stream")) return;
        ADD_FAILURE() << context << ": media type " << content_type << " not documented";
        return;
    }
    if (content_type != "application/json" && content_type != "application/problem+json") return;
    const auto body = response.json();
    if (body.is_discarded()) {
        ADD_FAILURE() << context << ": body is not JSON";
        return;
    }
    const auto violations = compiled(content[content_type]["schema"]).validate(body);
    for (const auto& v : violations)
        ADD_FAILURE() << context << ": response breaks openapi.yaml at '" << v.path << "': " << v.message;
}

}  // namespace holon::test
