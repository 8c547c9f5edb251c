#include "jsonschema/json_schema.hpp"

#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "jsonschema/regex_guard.hpp"
#include "jsonschema/violations.hpp"

namespace holon::jsonschema {

struct Schema::Compiled {
    nlohmann::json source;  // guarded copy; kept so the compiled form never outlives its source
    bool uses_pattern_properties = false;
    valijson::Schema schema;
};

namespace {

// The validator recurses once per nesting level: a text nested deeper than this (a plugin's result,
// say) is refused before it is parsed rather than overflowing the stack.
constexpr std::size_t max_text_depth = 256;

bool nested_too_deep(std::string_view text) {
    std::size_t depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (const char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_text_depth) return true;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return false;
}

std::string parse_error_message(const nlohmann::json::parse_error& error, std::string_view text) {
    // Count lines ourselves so the message does not depend on nlohmann's wording.
    const std::size_t offset = error.byte == 0 ? 0 : std::min<std::size_t>(error.byte - 1, text.size());
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    std::string reason = error.what();
    const auto colon = reason.find(": ", reason.find("parse error"));
    if (colon != std::string::npos) {
        reason = reason.substr(colon + 2);
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + reason;
}

}  // namespace

Schema::Schema(std::shared_ptr<const Compiled> compiled) : compiled_(std::move(compiled)) {}

Schema Schema::parse(std::string_view schema_json) {
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(schema_json);
    } catch (const nlohmann::json::parse_error& e) {
        throw SchemaError("schema is not valid JSON: " + parse_error_message(e, schema_json));
    }
    return from_json(document);
}

Schema Schema::from_json(const nlohmann::json& schema) {
    if (!schema.is_object() && !schema.is_boolean()) {
        throw SchemaError(std::string("schema must be an object or a boolean, not ") + schema.type_name());
    }
    auto compiled = std::make_shared<Compiled>();
    compiled->source = schema;
    compiled->uses_pattern_properties = detail::guard_regex_keywords(compiled->source);
    try {
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        const valijson::adapters::NlohmannJsonAdapter adapter(compiled->source);
        parser.populateSchema(adapter, compiled->schema);
    } catch (const std::exception& e) {
        throw SchemaError(std::string("unusable schema: ") + e.what());
    }
    return Schema(std::move(compiled));
}

std::vector<Violation> Schema::validate(const nlohmann::json& document) const {
    // A Validator caches compiled regexes in itself, so each call gets its own: that keeps
    // validate() safe to call concurrently on one Schema.
    if (compiled_->uses_pattern_properties) {
        auto too_long = detail::overlong_keys(document);
        if (!too_long.empty()) {
            return too_long;
        }
    }
    valijson::Validator validator;
    valijson::ValidationResults results;
    const valijson::adapters::NlohmannJsonAdapter adapter(document);
    try {
        if (validator.validate(compiled_->schema, adapter, &results)) {
            return {};
        }
    } catch (const std::exception& e) {
        // valijson throws on a few value/keyword combinations; report, never propagate.
        return {Violation{"", std::string("document could not be validated: ") + e.what()}};
    }
    std::vector<detail::RawError> errors;
    for (const auto& error : results) {
        errors.push_back({error.context, error.description});
    }
    auto violations = detail::to_violations(errors, document, &compiled_->source);
    if (violations.empty()) {
        // valijson can fail without recording why (it does so for 'propertyNames').
        violations.push_back({"", "document does not satisfy the schema"});
    }
    return violations;
}

std::vector<Violation> Schema::validate_text(std::string_view json_text) const {
    if (nested_too_deep(json_text))
        return {Violation{"", "nesting deeper than " + std::to_string(max_text_depth) + " levels"}};
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(json_text);
    } catch (const nlohmann::json::parse_error& e) {
        return {Violation{"", parse_error_message(e, json_text)}};
    }
    return validate(document);
}

}  // namespace holon::jsonschema
