#include "api/openapi.hpp"

#include "yaml/yaml_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace holon::api {

namespace {

constexpr std::string_view component_prefix = "#/components/schemas/";

void rewrite_refs(nlohmann::json& node) {
    if (node.is_object()) {
        for (auto& [key, value] : node.items()) {
            if (key == "$ref" && value.is_string()) {
                const auto ref = value.get<std::string>();
                if (ref.rfind(component_prefix, 0) == 0)
                    value = "#/definitions/" + ref.substr(component_prefix.size());
            } else {
                rewrite_refs(value);
            }
        }
    } else if (node.is_array()) {
        for (auto& item : node) rewrite_refs(item);
    }
}

const char* const http_methods[] = {"get", "put", "post", "delete", "patch", "head", "options"};

}  // namespace

struct OpenApi::Impl {
    nlohmann::json document;
    std::string json_text;
    nlohmann::json definitions;
    std::vector<Operation> operations;
    std::map<std::string, jsonschema::Schema, std::less<>> request_schemas;
};

OpenApi::OpenApi(std::string_view yaml_text) : impl_(std::make_unique<Impl>()) {
    impl_->document = yaml::yaml_to_json(yaml_text);
    impl_->json_text = impl_->document.dump();
    impl_->definitions = impl_->document["components"]["schemas"];
    rewrite_refs(impl_->definitions);
    for (const auto& [path, item] : impl_->document["paths"].items()) {
        for (const char* m : http_methods) {
            if (!item.contains(m)) continue;
            const auto& op = item[m];
            Operation operation;
            operation.method = m;
            std::transform(operation.method.begin(), operation.method.end(), operation.method.begin(),
                           [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
            operation.path = path;
            operation.operation_id = op.at("operationId").get<std::string>();
            operation.has_request_body = op.contains("requestBody");
            if (operation.has_request_body) {
                const auto& content = op["requestBody"]["content"];
                for (const auto& [media_type, ignored] : content.items()) operation.request_media_types.push_back(media_type);
                if (content.contains("application/json"))
                    impl_->request_schemas.emplace(operation.operation_id,
                                                   jsonschema::Schema::from_json(
                                                       standalone(content["application/json"]["schema"])));
            }
            if (op.contains("responses"))
                for (const auto& [code, response] : op["responses"].items()) {
                    if (code.empty() || code[0] != '2') continue;
                    const nlohmann::json* resolved = &response;
                    if (response.contains("$ref")) {
                        const auto ref = response["$ref"].get<std::string>();
                        const auto name = ref.substr(ref.rfind('/') + 1);
                        resolved = &impl_->document["components"]["responses"][name];
                    }
                    if (!resolved->contains("content")) continue;
                    for (const auto& [media_type, ignored] : (*resolved)["content"].items())
                        if (std::find(operation.response_media_types.begin(), operation.response_media_types.end(),
                                      media_type) == operation.response_media_types.end())
                            operation.response_media_types.push_back(media_type);
                }
            impl_->operations.push_back(std::move(operation));
        }
    }
}

OpenApi::~OpenApi() = default;
OpenApi::OpenApi(OpenApi&&) noexcept = default;

const OpenApi& OpenApi::embedded() {
    static const OpenApi instance(openapi_yaml());
    return instance;
}

const nlohmann::json& OpenApi::document() const { return impl_->document; }
const std::string& OpenApi::json_text() const { return impl_->json_text; }
const std::vector<Operation>& OpenApi::operations() const { return impl_->operations; }

const jsonschema::Schema* OpenApi::request_schema(const std::string& operation_id) const {
    auto it = impl_->request_schemas.find(operation_id);
    return it == impl_->request_schemas.end() ? nullptr : &it->second;
}

nlohmann::json OpenApi::standalone(const nlohmann::json& schema) const {
    nlohmann::json body = schema;
    rewrite_refs(body);
    return nlohmann::json{{"$schema", "http://json-schema.org/draft-07/schema#"},
                          {"definitions", impl_->definitions},
                          {"allOf", nlohmann::json::array({body})}};
}

}  // namespace holon::api
