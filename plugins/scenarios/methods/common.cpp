#include "methods/common.hpp"

namespace holon_scenarios::methods {

void invalid_params(const std::string &message) { throw holon::Error(HOLON_ERR_INVALID_PARAMS, message); }

model::ScenarioSet read_set(const holon::Context &, const json &model, const json &params, const std::string &kind) {
    try {
        return model::read_set(model, text_param(params, "set", ""), kind);
    } catch (const model::ModelError &e) {
        throw holon::Error(HOLON_ERR_INVALID_MODEL, e.what());
    }
}

std::vector<int> fixed_from(const model::ScenarioSet &set, const json &fixed) {
    std::vector<int> out(set.descriptors.size(), -1);
    if (fixed.is_null()) return out;
    if (!fixed.is_object()) invalid_params("fixed must map descriptor ids to variant ids");
    for (const auto &[descriptor, variant] : fixed.items()) {
        const int d = set.descriptor_index(descriptor);
        if (d < 0) invalid_params("fixed: no descriptor '" + descriptor + "'");
        if (!variant.is_string()) invalid_params("fixed: '" + descriptor + "' must name a variant id");
        int found = -1;
        const auto &vs = set.descriptors[static_cast<size_t>(d)].variants;
        for (size_t v = 0; v < vs.size(); ++v)
            if (vs[v].id == variant.get<std::string>()) found = static_cast<int>(v);
        if (found < 0) invalid_params("fixed: descriptor '" + descriptor + "' has no variant '" + variant.get<std::string>() + "'");
        out[static_cast<size_t>(d)] = found;
    }
    return out;
}

json variants_json(const model::ScenarioSet &set, const cib::Scenario &s) {
    json out = json::object();
    for (size_t d = 0; d < s.size(); ++d) out[set.descriptors[d].id] = set.descriptors[d].variants[static_cast<size_t>(s[d])].id;
    return out;
}

std::string label(const model::ScenarioSet &set, const cib::Scenario &s) {
    std::string out;
    for (size_t d = 0; d < s.size(); ++d) {
        if (d) out += '/';
        out += set.descriptors[d].variants[static_cast<size_t>(s[d])].id;
    }
    return out;
}

const std::string &display_name(const model::Descriptor &d) { return d.name.empty() ? d.id : d.name; }
const std::string &display_name(const model::Variant &v) { return v.name.empty() ? v.id : v.name; }

json descriptor_rows_json(const model::ScenarioSet &set, const cib::Scenario &s) {
    json rows = json::array();
    for (size_t d = 0; d < s.size(); ++d) {
        if (s[d] < 0) continue;
        const model::Descriptor &descriptor = set.descriptors[d];
        const model::Variant &variant = descriptor.variants[static_cast<size_t>(s[d])];
        rows.push_back({{"descriptor", descriptor.id},
                        {"descriptor_name", display_name(descriptor)},
                        {"variant", variant.id},
                        {"variant_name", display_name(variant)}});
    }
    return rows;
}

std::vector<std::string> descriptor_names(const model::ScenarioSet &set) {
    std::vector<std::string> names;
    for (const auto &d : set.descriptors) names.push_back(display_name(d));
    return names;
}

std::vector<std::string> variant_names(const model::ScenarioSet &set, const cib::Scenario &s) {
    std::vector<std::string> names;
    for (size_t d = 0; d < s.size(); ++d)
        names.push_back(s[d] < 0 ? std::string() : display_name(set.descriptors[d].variants[static_cast<size_t>(s[d])]));
    return names;
}

double number_param(const json &params, const char *key, double fallback) {
    auto it = params.find(key);
    if (it == params.end()) return fallback;
    if (!it->is_number()) invalid_params(std::string(key) + " must be a number");
    return it->get<double>();
}

uint64_t count_param(const json &params, const char *key, uint64_t fallback) {
    auto it = params.find(key);
    if (it == params.end()) return fallback;
    if (!it->is_number_integer() || it->get<int64_t>() < 0) invalid_params(std::string(key) + " must be a non-negative integer");
    return it->get<uint64_t>();
}

std::string text_param(const json &params, const char *key, const std::string &fallback) {
    auto it = params.find(key);
    if (it == params.end()) return fallback;
    if (!it->is_string()) invalid_params(std::string(key) + " must be a string");
    return it->get<std::string>();
}

} // namespace holon_scenarios::methods
