#include <nlohmann/json.hpp>

#include "jsonschema/json_schema.hpp"
#include "model/model.hpp"
#include "model/semantic_checks.hpp"

namespace holon::model {

std::vector<Issue> validate(const nlohmann::json& doc) {
    static const jsonschema::Schema schema = jsonschema::Schema::parse(schema_text());
    std::vector<Issue> issues;
    for (auto& violation : schema.validate(doc)) {
        issues.push_back({std::move(violation.path), std::move(violation.message)});
    }
    detail::check_semantics(doc, issues);
    return issues;
}

}  // namespace holon::model
