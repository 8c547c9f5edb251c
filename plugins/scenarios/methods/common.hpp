// What the scenarios methods share: reading params and the model, naming scenarios in results.
#pragma once

#include "cib/matrix.hpp"
#include "model/scenario_set.hpp"

#include <holon/inputs.hpp>
#include <holon/plugin.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace holon_scenarios::methods {

using nlohmann::json;

model::ScenarioSet read_set(const holon::Context &ctx, const json &model, const json &params, const std::string &kind);

// {"descriptor id": "variant id", ...} -> one entry per descriptor (-1 where absent).
std::vector<int> fixed_from(const model::ScenarioSet &set, const json &fixed);
// {"descriptor id": "variant id"} for a scenario.
json variants_json(const model::ScenarioSet &set, const cib::Scenario &s);
// "A1/B3/C1": variant ids joined. Every scenarios method and every file of a run labels a scenario
// this way (scenarios.run: named scenarios by their name).
std::string label(const model::ScenarioSet &set, const cib::Scenario &s);

// A descriptor's or a variant's display name (its id when the model gives none).
const std::string &display_name(const model::Descriptor &d);
const std::string &display_name(const model::Variant &v);
// [{"descriptor", "descriptor_name", "variant", "variant_name"}, ...] in descriptor order: the
// scenario readable without the model beside it. Descriptors at -1 (not chosen) are left out.
json descriptor_rows_json(const model::ScenarioSet &set, const cib::Scenario &s);
// The descriptors' display names, in set order (the header of a scenario table).
std::vector<std::string> descriptor_names(const model::ScenarioSet &set);
// The chosen variants' display names, in descriptor order ("" where not chosen).
std::vector<std::string> variant_names(const model::ScenarioSet &set, const cib::Scenario &s);

double number_param(const json &params, const char *key, double fallback);
uint64_t count_param(const json &params, const char *key, uint64_t fallback);
std::string text_param(const json &params, const char *key, const std::string &fallback);

[[noreturn]] void invalid_params(const std::string &message);

} // namespace holon_scenarios::methods
