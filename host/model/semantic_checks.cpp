#include "model/semantic_checks.hpp"

#include <algorithm>
#include <cstdint>
#include <cmath>
#include <map>
#include <set>
#include <string>

namespace holon::model::detail {
namespace {

using nlohmann::json;

// id -> JSON pointer of the entity that defines it
using Index = std::map<std::string, std::string>;

const json empty_array = json::array();

std::string escape(const std::string& token) {
    std::string out;
    for (char c : token) {
        out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    }
    return out;
}

std::string at(const std::string& path, const std::string& key) { return path + "/" + escape(key); }
std::string at(const std::string& path, std::size_t index) { return path + "/" + std::to_string(index); }

const json* member(const json& object, const char* key) {
    if (!object.is_object()) {
        return nullptr;
    }
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

// The array under `key`, or an empty array when absent or of another type.
const json& items(const json& object, const char* key) {
    const json* value = member(object, key);
    return value != nullptr && value->is_array() ? *value : empty_array;
}

const std::string* string_member(const json& object, const char* key) {
    const json* value = member(object, key);
    return value != nullptr && value->is_string() ? &value->get_ref<const std::string&>() : nullptr;
}

class Checker {
public:
    explicit Checker(std::vector<Issue>& issues) : issues_(issues) {}

    void report(std::string path, std::string message) { issues_.push_back({std::move(path), std::move(message)}); }

    // Indexes the ids of the objects in `list` (at `path`), reporting duplicates.
    Index index(const json& list, const std::string& path) {
        Index ids;
        for (std::size_t i = 0; i < list.size(); ++i) {
            add_id(ids, list[i], at(path, i));
        }
        return ids;
    }

    void add_id(Index& ids, const json& entity, const std::string& entity_path) {
        const std::string* id = string_member(entity, "id");
        if (id == nullptr) {
            return;
        }
        const auto [it, inserted] = ids.emplace(*id, entity_path);
        if (!inserted) {
            report(at(entity_path, "id"), "duplicate id '" + *id + "' (already used by " + it->second + ")");
        }
    }

    // `object[key]` must be the id of an entity in `ids` when it is a string.
    void ref(const json& object, const char* key, const Index& ids, const std::string& object_path,
             const std::string& what) {
        if (const std::string* id = string_member(object, key); id != nullptr && !ids.contains(*id)) {
            report(at(object_path, key), "unknown " + what + " '" + *id + "'");
        }
    }

    // Every string in the array `object[key]` must be an id in `ids`.
    void refs(const json& object, const char* key, const Index& ids, const std::string& object_path,
              const std::string& what) {
        const json& list = items(object, key);
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (list[i].is_string() && !ids.contains(list[i].get<std::string>())) {
                report(at(at(object_path, key), i), "unknown " + what + " '" + list[i].get<std::string>() + "'");
            }
        }
    }

    void range(const json& object, const char* low, const char* high, const std::string& object_path) {
        const json* lo = member(object, low);
        const json* hi = member(object, high);
        if (lo != nullptr && hi != nullptr && lo->is_number() && hi->is_number() &&
            lo->get<double>() > hi->get<double>()) {
            report(at(object_path, high), std::string(high) + " is less than " + low);
        }
    }

private:
    std::vector<Issue>& issues_;
};

struct Indexes {
    Index variables;
    Index links;
    Index actors;
    Index boundary;
    Index indicators;
};

void check_variables(Checker& c, const json& doc, const Indexes& ix) {
    const json& variables = items(doc, "variables");
    for (std::size_t i = 0; i < variables.size(); ++i) {
        const json& v = variables[i];
        const std::string path = at("/variables", i);
        for (const char* key : {"inflows", "outflows"}) {
            const json& flows = items(v, key);
            if (!flows.empty()) {
                const std::string* kind = string_member(v, "kind");
                if (kind != nullptr && *kind != "stock") {
                    c.report(at(path, key), std::string(key) + " apply only to stocks, not to a " + *kind);
                }
            }
            for (std::size_t f = 0; f < flows.size(); ++f) {
                if (!flows[f].is_string()) {
                    continue;
                }
                const std::string& id = flows[f].get_ref<const std::string&>();
                const auto found = ix.variables.find(id);
                if (found == ix.variables.end()) {
                    c.report(at(at(path, key), f), "unknown variable '" + id + "'");
                    continue;
                }
                const json& target = doc.at(json::json_pointer(found->second));
                const std::string* kind = string_member(target, "kind");
                if (kind != nullptr && *kind != "flow") {
                    c.report(at(at(path, key), f), "variable '" + id + "' is a " + *kind + ", not a flow");
                }
            }
        }
        if (const json* r = member(v, "range")) {
            c.range(*r, "min", "max", at(path, "range"));
        }
    }
}

void check_links(Checker& c, const json& doc, const Indexes& ix) {
    const json& links = items(doc, "links");
    for (std::size_t i = 0; i < links.size(); ++i) {
        c.ref(links[i], "from", ix.variables, at("/links", i), "variable");
        c.ref(links[i], "to", ix.variables, at("/links", i), "variable");
    }
}

void check_actors(Checker& c, const json& doc, const Indexes& ix) {
    const json& actors = items(doc, "actors");
    for (std::size_t i = 0; i < actors.size(); ++i) {
        const std::string path = at("/actors", i);
        const json& ties = items(actors[i], "ties");
        c.index(ties, at(path, "ties"));
        for (std::size_t t = 0; t < ties.size(); ++t) {
            c.ref(ties[t], "to", ix.actors, at(at(path, "ties"), t), "actor");
        }
    }
}

void check_entity_refs(Checker& c, const json& refs, const std::string& path, const Indexes& ix) {
    c.refs(refs, "actors", ix.actors, path, "actor");
    c.refs(refs, "variables", ix.variables, path, "variable");
    c.refs(refs, "links", ix.links, path, "link");
    c.refs(refs, "indicators", ix.indicators, path, "indicator");
}

void check_boundary(Checker& c, const json& doc, const Indexes& ix) {
    // CSH's "affected by model outcomes": the variables that bear on each actor.
    const json& actors = items(doc, "actors");
    for (std::size_t i = 0; i < actors.size(); ++i) {
        c.refs(actors[i], "affected_by", ix.variables, at("/actors", i), "variable");
    }
    const json& records = items(doc, "boundary");
    for (std::size_t i = 0; i < records.size(); ++i) {
        const std::string path = at("/boundary", i);
        if (const json* refs = member(records[i], "refs")) {
            check_entity_refs(c, *refs, at(path, "refs"), ix);
        }
        if (const json* perspective = member(records[i], "perspective")) {
            c.ref(*perspective, "actor", ix.actors, at(path, "perspective"), "actor");
        }
    }
}

void check_scenario_set(Checker& c, const json& set, const std::string& path, const Indexes& ix) {
    const json& descriptors = items(set, "descriptors");
    c.index(descriptors, at(path, "descriptors"));
    Index variants;                                   // across all descriptors of the set
    std::map<std::string, std::string> descriptor_of;  // variant id -> descriptor id
    for (std::size_t d = 0; d < descriptors.size(); ++d) {
        const std::string dpath = at(at(path, "descriptors"), d);
        c.refs(descriptors[d], "variables", ix.variables, dpath, "variable");
        const std::string* descriptor_id = string_member(descriptors[d], "id");
        const json& list = items(descriptors[d], "variants");
        for (std::size_t v = 0; v < list.size(); ++v) {
            const std::string vpath = at(at(dpath, "variants"), v);
            c.add_id(variants, list[v], vpath);
            if (const std::string* id = string_member(list[v], "id"); id != nullptr && descriptor_id != nullptr) {
                descriptor_of.emplace(*id, *descriptor_id);
            }
            const json& bindings = items(list[v], "bindings");
            for (std::size_t b = 0; b < bindings.size(); ++b) {
                const std::string bpath = at(at(vpath, "bindings"), b);
                c.ref(bindings[b], "variable", ix.variables, bpath, "variable");
                c.range(bindings[b], "min", "max", bpath);
            }
        }
    }

    const json& matrices = items(set, "matrices");
    c.index(matrices, at(path, "matrices"));
    for (std::size_t m = 0; m < matrices.size(); ++m) {
        const std::string mpath = at(at(path, "matrices"), m);
        const std::string* kind = string_member(matrices[m], "kind");
        const json* scale = member(matrices[m], "scale");
        if (scale != nullptr) {
            c.range(*scale, "min", "max", at(mpath, "scale"));
        }
        // A cross-impact matrix marked self_impacts may hold cells within one descriptor
        // (ScenarioWizard's diagonal blocks, counted in the impact balances); no other matrix may.
        const json* self_flag = member(matrices[m], "self_impacts");
        const bool self_impacts = self_flag != nullptr && self_flag->is_boolean() && self_flag->get<bool>();
        if (self_impacts && kind != nullptr && *kind != "cross-impact") {
            c.report(at(mpath, "self_impacts"), "only a cross-impact matrix can hold self-impacts");
        }
        const bool same_descriptor_allowed = self_impacts && kind != nullptr && *kind == "cross-impact";
        const json& cells = items(matrices[m], "cells");
        for (std::size_t k = 0; k < cells.size(); ++k) {
            const std::string cpath = at(at(mpath, "cells"), k);
            c.ref(cells[k], "from", variants, cpath, "variant");
            c.ref(cells[k], "to", variants, cpath, "variant");
            const std::string* from = string_member(cells[k], "from");
            const std::string* to = string_member(cells[k], "to");
            if (!same_descriptor_allowed && from != nullptr && to != nullptr && descriptor_of.contains(*from) &&
                descriptor_of.contains(*to) && descriptor_of[*from] == descriptor_of[*to]) {
                c.report(at(cpath, "to"), "variants '" + *from + "' and '" + *to + "' belong to the same descriptor '" +
                                              descriptor_of[*from] + "'" +
                                              (kind != nullptr && *kind == "cross-impact"
                                                   ? " (a self-impact needs the matrix marked \"self_impacts\": true)"
                                                   : ""));
            }
            const json* value = member(cells[k], "value");
            if (value == nullptr || kind == nullptr) {
                continue;
            }
            if (*kind == "cross-consistency" && !value->is_boolean()) {
                c.report(at(cpath, "value"), "cross-consistency cells hold true or false");
            } else if (*kind != "cross-consistency" && !value->is_number()) {
                c.report(at(cpath, "value"), *kind + " cells hold numbers");
            } else if (*kind == "cross-impact" && !value->is_number_integer() &&
                       !(value->is_number_float() && std::floor(value->get<double>()) == value->get<double>())) {
                // CIB balances are computed in exact integer arithmetic.
                c.report(at(cpath, "value"), "cross-impact cells hold integers");
            } else if (*kind == "consistency" &&
                       (value->get<double>() < 1 || value->get<double>() > 5 || std::floor(value->get<double>()) != value->get<double>())) {
                c.report(at(cpath, "value"), "consistency ratings are integers from 1 (excludes the pair) to 5");
            } else if (value->is_number() && scale != nullptr) {
                const json* lo = member(*scale, "min");
                const json* hi = member(*scale, "max");
                const double x = value->get<double>();
                if ((lo != nullptr && lo->is_number() && x < lo->get<double>()) ||
                    (hi != nullptr && hi->is_number() && x > hi->get<double>())) {
                    c.report(at(cpath, "value"), "value " + value->dump() + " is outside the matrix scale");
                }
            }
        }
    }

    const json& scenarios = items(set, "scenarios");
    c.index(scenarios, at(path, "scenarios"));
    for (std::size_t s = 0; s < scenarios.size(); ++s) {
        const std::string spath = at(at(path, "scenarios"), s);
        c.refs(scenarios[s], "variants", variants, spath, "variant");
        c.refs(scenarios[s], "signposts", ix.indicators, spath, "indicator");
        std::map<std::string, std::string> chosen;  // descriptor -> variant
        const json& list = items(scenarios[s], "variants");
        for (std::size_t v = 0; v < list.size(); ++v) {
            if (!list[v].is_string() || !descriptor_of.contains(list[v].get<std::string>())) {
                continue;
            }
            const std::string& id = list[v].get_ref<const std::string&>();
            const auto [it, inserted] = chosen.emplace(descriptor_of[id], id);
            if (!inserted) {
                c.report(at(at(spath, "variants"), v), "descriptor '" + it->first + "' already has variant '" +
                                                           it->second + "' in this scenario");
            }
        }
    }
}

void check_scenario_sets(Checker& c, const json& doc, const Indexes& ix) {
    const json& sets = items(doc, "scenario_sets");
    for (std::size_t i = 0; i < sets.size(); ++i) {
        check_scenario_set(c, sets[i], at("/scenario_sets", i), ix);
    }
}

// The units must form exactly one tree: one root, every parent known, no cycles.
void check_unit_tree(Checker& c, const json& units, const Index& unit_ids, const std::string& path) {
    std::map<std::string, std::string> parent_of;
    std::vector<std::size_t> roots;
    for (std::size_t u = 0; u < units.size(); ++u) {
        const std::string* id = string_member(units[u], "id");
        const std::string* parent = string_member(units[u], "parent");
        if (parent == nullptr) {
            if (id != nullptr) {
                roots.push_back(u);
            }
            continue;
        }
        if (!unit_ids.contains(*parent)) {
            c.report(at(at(path, u), "parent"), "unknown unit '" + *parent + "'");
        } else if (id != nullptr && *id == *parent) {
            c.report(at(at(path, u), "parent"), "unit '" + *id + "' is its own parent");
        } else if (id != nullptr) {
            parent_of.emplace(*id, *parent);
        }
    }
    if (!units.empty() && roots.empty()) {
        c.report(path, "no root unit: exactly one unit must have no parent");
    }
    for (std::size_t r = 1; r < roots.size(); ++r) {
        c.report(at(at(path, roots[r]), "parent"),
                 "second root unit: every unit except '" + *string_member(units[roots[0]], "id") +
                     "' needs a parent");
    }
    // Walk up from each unit not yet settled; meeting a unit of the current walk means a cycle.
    enum class State { unvisited, on_walk, settled };
    std::map<std::string, State> state;
    std::set<std::string> in_cycle;
    for (const auto& [start, unused] : parent_of) {
        std::vector<std::string> walk;
        std::string current = start;
        while (state[current] == State::unvisited) {
            state[current] = State::on_walk;
            walk.push_back(current);
            const auto up = parent_of.find(current);
            if (up == parent_of.end()) {
                break;
            }
            current = up->second;
        }
        if (state[current] == State::on_walk && parent_of.contains(current)) {
            for (auto it = std::find(walk.begin(), walk.end(), current); it != walk.end(); ++it) {
                in_cycle.insert(*it);
            }
        }
        for (const std::string& id : walk) {
            state[id] = State::settled;
        }
    }
    for (std::size_t u = 0; u < units.size(); ++u) {
        const std::string* id = string_member(units[u], "id");
        if (id != nullptr && in_cycle.contains(*id)) {
            c.report(at(at(path, u), "parent"), "unit '" + *id + "' is inside a cycle of parents");
        }
    }
    // recursion_level, when given, must be the unit's depth below the root (the root is 0).
    std::set<std::string> root_ids;
    for (std::size_t r : roots) {
        root_ids.insert(*string_member(units[r], "id"));
    }
    constexpr std::int64_t kUnknown = -1;  // the chain up from the unit never reaches the root
    std::map<std::string, std::int64_t> depth;
    for (const auto& [start, unused] : parent_of) {
        std::vector<std::string> chain;
        std::string current = start;
        while (!depth.contains(current) && parent_of.contains(current) && !in_cycle.contains(current)) {
            chain.push_back(current);
            current = parent_of[current];
        }
        std::int64_t base = kUnknown;
        if (depth.contains(current)) {
            base = depth[current];
        } else if (root_ids.contains(current)) {
            base = depth[current] = 0;
        }
        for (std::size_t k = chain.size(); k-- > 0;) {
            depth[chain[k]] = base == kUnknown ? kUnknown : base + static_cast<std::int64_t>(chain.size() - k);
        }
    }
    for (const std::string& root : root_ids) {
        depth.emplace(root, 0);
    }
    for (std::size_t u = 0; u < units.size(); ++u) {
        const std::string* id = string_member(units[u], "id");
        const json* level = member(units[u], "recursion_level");
        if (id == nullptr || level == nullptr || !level->is_number_integer() || !depth.contains(*id) ||
            depth[*id] == kUnknown) {
            continue;
        }
        if (level->get<std::int64_t>() != depth[*id]) {
            c.report(at(at(path, u), "recursion_level"),
                     "expected recursion level " + std::to_string(depth[*id]) + " (depth below the root unit)");
        }
    }
}

// A factor of 0 would divide by zero (attenuation) or silence the regulator (amplification):
// the schema admits 0 for older documents, the VSM cannot compute with it.
void check_variety_factors(Checker& c, const json& variety, const std::string& path) {
    for (const char* key : {"attenuation", "amplification"}) {
        const json* factor = member(variety, key);
        if (factor != nullptr && factor->is_number() && factor->get<double>() <= 0) {
            c.report(at(path, key), std::string(key) + " must be a factor greater than 0");
        }
    }
}

void check_organisation(Checker& c, const json& doc, const Indexes& ix) {
    const json* organisation = member(doc, "organisation");
    const json& units = organisation == nullptr ? empty_array : items(*organisation, "units");
    const Index unit_ids = c.index(units, "/organisation/units");
    const json& indicators = items(doc, "indicators");
    for (std::size_t i = 0; i < indicators.size(); ++i) {
        c.ref(indicators[i], "unit", unit_ids, at("/indicators", i), "unit");
    }
    if (organisation == nullptr) {
        return;
    }
    check_unit_tree(c, units, unit_ids, "/organisation/units");
    for (std::size_t u = 0; u < units.size(); ++u) {
        const json& roles = items(units[u], "roles");
        for (std::size_t r = 0; r < roles.size(); ++r) {
            c.ref(roles[r], "actor", ix.actors, at(at(at("/organisation/units", u), "roles"), r), "actor");
        }
        c.refs(units[u], "also_part_of", unit_ids, at("/organisation/units", u), "unit");
    }
    const json& channels = items(*organisation, "channels");
    c.index(channels, "/organisation/channels");
    for (std::size_t i = 0; i < channels.size(); ++i) {
        c.ref(channels[i], "from", unit_ids, at("/organisation/channels", i), "unit");
        c.ref(channels[i], "to", unit_ids, at("/organisation/channels", i), "unit");
    }
    const json& varieties = items(*organisation, "varieties");
    c.index(varieties, "/organisation/varieties");
    for (std::size_t i = 0; i < varieties.size(); ++i) {
        c.ref(varieties[i], "unit", unit_ids, at("/organisation/varieties", i), "unit");
        check_variety_factors(c, varieties[i], at("/organisation/varieties", i));
    }
}

void check_parties(Checker& c, const json& catwoe, const char* key, const std::string& path, const Indexes& ix) {
    const json& parties = items(catwoe, key);
    for (std::size_t p = 0; p < parties.size(); ++p) {
        c.ref(parties[p], "actor", ix.actors, at(at(path, key), p), "actor");
        // Only x- extension data (which satisfies the schema's minProperties) names nobody.
        if (parties[p].is_object() && member(parties[p], "actor") == nullptr && member(parties[p], "name") == nullptr) {
            c.report(at(at(path, key), p), "a CATWOE party needs an actor id or a name");
        }
    }
}

// The SSM plugin's structure fields: T's input/output variables, the activities a monitor
// watches, and the comparison rows a change is traced to.
void check_ssm_structure(Checker& c, const json& model, const std::string& path, const Index& activities,
                         const Indexes& ix) {
    if (const json* catwoe = member(model, "catwoe")) {
        if (const json* t = member(*catwoe, "transformation")) {
            const std::string tpath = at(at(path, "catwoe"), "transformation");
            for (const char* side : {"input_detail", "output_detail"}) {
                if (const json* detail = member(*t, side)) {
                    c.ref(*detail, "variable", ix.variables, at(tpath, side), "variable");
                }
            }
        }
    }
    const json& list = items(model, "activities");
    for (std::size_t a = 0; a < list.size(); ++a) {
        c.refs(list[a], "monitors", activities, at(at(path, "activities"), a), "activity");
    }
    const json& changes = items(model, "changes");
    c.index(changes, at(path, "changes"));
    for (std::size_t k = 0; k < changes.size(); ++k) {
        c.refs(changes[k], "rows", activities, at(at(path, "changes"), k), "activity");
    }
}

void check_activity_models(Checker& c, const json& doc, const Indexes& ix) {
    const json& models = items(doc, "activity_models");
    for (std::size_t m = 0; m < models.size(); ++m) {
        const std::string path = at("/activity_models", m);
        const json& model = models[m];
        if (const json* catwoe = member(model, "catwoe")) {
            const std::string cpath = at(path, "catwoe");
            for (const char* key : {"customers", "actors", "owners"}) {
                check_parties(c, *catwoe, key, cpath, ix);
            }
            const json& environment = items(*catwoe, "environment");
            for (std::size_t e = 0; e < environment.size(); ++e) {
                c.refs(environment[e], "variables", ix.variables, at(at(cpath, "environment"), e), "variable");
            }
        }
        c.ref(model, "worldview_record", ix.boundary, path, "boundary record");
        const Index activities = c.index(items(model, "activities"), at(path, "activities"));
        const json& dependencies = items(model, "dependencies");
        for (std::size_t d = 0; d < dependencies.size(); ++d) {
            c.ref(dependencies[d], "from", activities, at(at(path, "dependencies"), d), "activity");
            c.ref(dependencies[d], "to", activities, at(at(path, "dependencies"), d), "activity");
        }
        const json& measures = items(model, "measures");
        c.index(measures, at(path, "measures"));
        for (std::size_t e = 0; e < measures.size(); ++e) {
            c.ref(measures[e], "indicator", ix.indicators, at(at(path, "measures"), e), "indicator");
        }
        const json& comparison = items(model, "comparison");
        for (std::size_t r = 0; r < comparison.size(); ++r) {
            c.ref(comparison[r], "activity", activities, at(at(path, "comparison"), r), "activity");
        }
        check_ssm_structure(c, model, path, activities, ix);
    }
}

void check_indicators(Checker& c, const json& doc, const Indexes& ix) {
    const json& indicators = items(doc, "indicators");
    for (std::size_t i = 0; i < indicators.size(); ++i) {
        c.refs(indicators[i], "variables", ix.variables, at("/indicators", i), "variable");
    }
}

void check_data_series(Checker& c, const json& doc, const Indexes& ix) {
    const json& series = items(doc, "data_series");
    for (std::size_t i = 0; i < series.size(); ++i) {
        const std::string path = at("/data_series", i);
        c.ref(series[i], "variable", ix.variables, path, "variable");
        const json& time = items(series[i], "time");
        const json& values = items(series[i], "values");
        if (member(series[i], "values") != nullptr && time.size() != values.size()) {
            c.report(at(path, "values"), std::to_string(values.size()) + " values for " + std::to_string(time.size()) +
                                             " time points");
        }
        for (std::size_t t = 1; t < time.size(); ++t) {
            if (time[t].is_number() && time[t - 1].is_number() && time[t].get<double>() <= time[t - 1].get<double>()) {
                c.report(at(at(path, "time"), t), "time points must increase");
                break;
            }
        }
    }
}

}  // namespace

void check_semantics(const json& doc, std::vector<Issue>& issues) {
    if (!doc.is_object()) {
        return;
    }
    Checker c(issues);
    Indexes ix;
    ix.variables = c.index(items(doc, "variables"), "/variables");
    ix.links = c.index(items(doc, "links"), "/links");
    ix.actors = c.index(items(doc, "actors"), "/actors");
    ix.boundary = c.index(items(doc, "boundary"), "/boundary");
    ix.indicators = c.index(items(doc, "indicators"), "/indicators");
    c.index(items(doc, "scenario_sets"), "/scenario_sets");
    c.index(items(doc, "activity_models"), "/activity_models");
    c.index(items(doc, "data_series"), "/data_series");
    c.index(items(doc, "runs"), "/runs");

    check_variables(c, doc, ix);
    check_links(c, doc, ix);
    check_actors(c, doc, ix);
    check_boundary(c, doc, ix);
    check_scenario_sets(c, doc, ix);
    check_organisation(c, doc, ix);
    check_activity_models(c, doc, ix);
    check_indicators(c, doc, ix);
    check_data_series(c, doc, ix);
}

}  // namespace holon::model::detail
