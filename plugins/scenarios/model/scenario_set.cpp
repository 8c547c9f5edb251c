#include "model/scenario_set.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace holon_scenarios::model {

using nlohmann::json;

namespace {

std::string text(const json &j, const char *key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<double> number(const json &j, const char *key) {
    auto it = j.find(key);
    if (it != j.end() && it->is_number()) return it->get<double>();
    return std::nullopt;
}

const json &array(const json &j, const char *key) {
    static const json empty = json::array();
    auto it = j.find(key);
    return it != j.end() && it->is_array() ? *it : empty;
}

} // namespace

std::vector<int> ScenarioSet::variant_counts() const {
    std::vector<int> counts;
    for (const Descriptor &d : descriptors) counts.push_back(static_cast<int>(d.variants.size()));
    return counts;
}

std::pair<int, int> ScenarioSet::locate(const std::string &variant_id) const {
    for (size_t d = 0; d < descriptors.size(); ++d)
        for (size_t v = 0; v < descriptors[d].variants.size(); ++v)
            if (descriptors[d].variants[v].id == variant_id) return {static_cast<int>(d), static_cast<int>(v)};
    throw ModelError("scenario set '" + id + "' has no variant '" + variant_id + "'");
}

int ScenarioSet::descriptor_index(const std::string &descriptor_id) const {
    for (size_t d = 0; d < descriptors.size(); ++d)
        if (descriptors[d].id == descriptor_id) return static_cast<int>(d);
    return -1;
}

std::vector<const Matrix *> ScenarioSet::matrices_of_kind(const std::string &k) const {
    std::vector<const Matrix *> out;
    for (const Matrix &m : matrices)
        if (m.kind == k) out.push_back(&m);
    return out;
}

ScenarioSet read_set(const json &model, const std::string &set_id, const std::string &preferred_kind) {
    const json &sets = array(model, "scenario_sets");
    const json *chosen = nullptr;
    for (const json &s : sets) {
        if (!set_id.empty()) {
            if (text(s, "id") == set_id) chosen = &s;
        } else if (!chosen) {
            bool fits = preferred_kind.empty();
            for (const json &m : array(s, "matrices")) fits = fits || text(m, "kind") == preferred_kind;
            if (fits) chosen = &s;
        }
    }
    if (!chosen) {
        if (!set_id.empty()) throw ModelError("the model has no scenario set '" + set_id + "'");
        throw ModelError(preferred_kind.empty() ? "the model has no scenario set"
                                                : "the model has no scenario set with a " + preferred_kind + " matrix");
    }
    ScenarioSet set;
    set.id = text(*chosen, "id");
    set.name = text(*chosen, "name");
    set.kind = text(*chosen, "kind");
    for (const json &d : array(*chosen, "descriptors")) {
        Descriptor desc{text(d, "id"), text(d, "name"), text(d, "description"), number(d, "impact"), number(d, "uncertainty"), {}};
        for (const json &v : array(d, "variants")) {
            Variant var{text(v, "id"), text(v, "name"), text(v, "description"), {}};
            for (const json &b : array(v, "bindings"))
                var.bindings.push_back({text(b, "variable"), number(b, "value"), number(b, "min"), number(b, "max")});
            desc.variants.push_back(std::move(var));
        }
        if (desc.variants.empty()) throw ModelError("descriptor '" + desc.id + "' has no variants");
        set.descriptors.push_back(std::move(desc));
    }
    if (set.descriptors.empty()) throw ModelError("scenario set '" + set.id + "' has no descriptors");
    for (const json &m : array(*chosen, "matrices")) {
        Matrix mat{text(m, "id"), text(m, "name"), text(m, "kind"), {}, false};
        const auto flag = m.find("self_impacts");
        mat.self_impacts = mat.kind == "cross-impact" && flag != m.end() && flag->is_boolean() && flag->get<bool>();
        for (const json &c : array(m, "cells")) {
            const auto [fd, fv] = set.locate(text(c, "from"));
            const auto [td, tv] = set.locate(text(c, "to"));
            if (fd == td && !mat.self_impacts)
                throw ModelError("matrix '" + mat.id + "': cell " + text(c, "from") + " -> " + text(c, "to") +
                                 " lies within one descriptor" +
                                 (mat.kind == "cross-impact" ? " (mark the matrix \"self_impacts\": true if it is a self-impact)" : ""));
            Cell cell{fd, fv, td, tv, 0, true, text(c, "basis")};
            const json &value = c.at("value");
            if (value.is_boolean()) {
                cell.allowed = value.get<bool>();
            } else if (value.is_number()) {
                cell.number = value.get<double>();
            } else {
                throw ModelError("matrix '" + mat.id + "': a cell value is neither a number nor a boolean");
            }
            mat.cells.push_back(cell);
        }
        set.matrices.push_back(std::move(mat));
    }
    for (const json &s : array(*chosen, "scenarios")) {
        NamedScenario ns{text(s, "id"), text(s, "name"), text(s, "narrative"), {}, {}};
        for (const json &v : array(s, "variants"))
            if (v.is_string()) ns.variants.push_back(v.get<std::string>());
        for (const json &v : array(s, "signposts"))
            if (v.is_string()) ns.signposts.push_back(v.get<std::string>());
        set.scenarios.push_back(std::move(ns));
    }
    return set;
}

cib::Matrix to_cib(const ScenarioSet &set, const Matrix &m) {
    cib::Matrix out(set.variant_counts());
    for (const Cell &c : m.cells) {
        if (std::floor(c.number) != c.number || std::fabs(c.number) > 1e6)
            throw ModelError("matrix '" + m.id + "': cross-impact cells must be integers (CIB uses exact arithmetic)");
        const auto v = static_cast<int32_t>(c.number);
        out.set(c.from_descriptor, c.from_variant, c.to_descriptor, c.to_variant,
                out.get(c.from_descriptor, c.from_variant, c.to_descriptor, c.to_variant) + v);
    }
    return out;
}

morphological::CrossConsistency to_cross_consistency(const ScenarioSet &set) {
    morphological::CrossConsistency cc(set.variant_counts());
    for (const Matrix *m : set.matrices_of_kind("cross-consistency"))
        for (const Cell &c : m->cells) cc.judge(c.from_descriptor, c.from_variant, c.to_descriptor, c.to_variant, c.allowed);
    return cc;
}

std::map<std::string, std::string> variable_names(const json &model) {
    std::map<std::string, std::string> names;
    for (const json &v : array(model, "variables")) {
        const std::string id = text(v, "id");
        const std::string name = text(v, "name");
        names[id] = name.empty() ? id : name;
    }
    return names;
}

} // namespace holon_scenarios::model
