#include "cli/failure.hpp"

#include "cli/cli_error.hpp"

#include <nlohmann/json.hpp>

namespace holon::cli {
namespace {

bool is_input_problem(const runner::TaskOutcome &o) {
    return o.problem == "invalid-params" || o.problem == "invalid-model" || o.problem == "unknown-method";
}

} // namespace

int exit_code_of(const runner::TaskOutcome &outcome) {
    if (outcome.ok()) return exit_ok;
    return is_input_problem(outcome) ? exit_bad_input : exit_method_failed;
}

std::string line_column_of(const runner::TaskOutcome &outcome) {
    const auto details = nlohmann::json::parse(outcome.details_json, nullptr, false);
    if (!details.is_object() || !details.contains("line") || !details["line"].is_number_integer()) return {};
    // The message may already say where ("line 4, column 3", or "model.mdl:7: ...").
    if (outcome.message.find("line ") != std::string::npos ||
        outcome.message.find(":" + details["line"].dump() + ":") != std::string::npos)
        return {};
    const auto column = details.value("column", nlohmann::json(0));
    return ":" + details["line"].dump() + (column.is_number_integer() && column.get<int>() > 0 ? ":" + column.dump() : "");
}

std::string json_path_of(const runner::TaskOutcome &outcome) {
    if (outcome.problem != "invalid-params" && outcome.problem != "invalid-model") return {};
    const auto details = nlohmann::json::parse(outcome.details_json, nullptr, false);
    if (!details.is_object() || !details.contains("path") || !details["path"].is_string()) return {};
    const std::string path = details["path"].get<std::string>();
    if (path.empty() || outcome.message.find(path) != std::string::npos) return {};
    return std::string(" (at ") + (outcome.problem == "invalid-params" ? "params " : "model ") + path + ")";
}

} // namespace holon::cli
