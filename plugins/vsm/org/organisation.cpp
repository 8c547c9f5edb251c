#include "org/organisation.hpp"

#include "reading/json_members.hpp"

#include <algorithm>

namespace holon_vsm {
namespace {

using nlohmann::json;

std::string at(const std::string &base, std::size_t i) { return base + "/" + std::to_string(i); }
std::string at(const std::string &base, const char *key) { return base + "/" + key; }

const json &array_of(const json &object, const char *key, const std::string &pointer) {
    static const json empty = json::array();
    if (!object.is_object()) return empty;
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return empty;
    if (!it->is_array()) throw ModelError(at(pointer, key), std::string(key) + " must be an array");
    return *it;
}

// A missing or non-string member reads as "" (plugins/common); arrays are read strictly below.
using holon_plugins::reading::string_or_empty;

std::optional<Number> number_of(const json &object, const char *key, const std::string &pointer) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return std::nullopt;
    if (!it->is_number()) throw ModelError(at(pointer, key), std::string(key) + " must be a number");
    const double v = it->get<double>();
    if (v < 0) throw ModelError(at(pointer, key), std::string(key) + " must not be negative");
    return Number{v, it->dump()};
}

System parse_system(const std::string &s) {
    if (s == "S1") return System::S1;
    if (s == "S2") return System::S2;
    if (s == "S3") return System::S3;
    if (s == "S3*") return System::S3star;
    if (s == "S4") return System::S4;
    if (s == "S5") return System::S5;
    if (s == "environment") return System::environment;
    return System::none;
}

ChannelType parse_channel_type(const std::string &s, const std::string &pointer) {
    static const std::unordered_map<std::string, ChannelType> types{
        {"command", ChannelType::command},           {"resource-bargain", ChannelType::resource_bargain},
        {"coordination", ChannelType::coordination}, {"audit", ChannelType::audit},
        {"algedonic", ChannelType::algedonic},       {"s3-s4", ChannelType::s3_s4},
        {"s4-environment", ChannelType::s4_environment}, {"s1-s1", ChannelType::s1_s1},
        {"s1-environment", ChannelType::s1_environment}, {"s4-s5", ChannelType::s4_s5},
        {"representation", ChannelType::representation}, {"other", ChannelType::other}};
    const auto it = types.find(s);
    if (it == types.end()) throw ModelError(pointer, "unknown channel type '" + s + "'");
    return it->second;
}

int unit_ref(const Organisation &org, const json &object, const char *key, const std::string &pointer, bool required) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        if (required) throw ModelError(at(pointer, key), std::string(key) + " must name a unit");
        return -1;
    }
    if (!it->is_string()) throw ModelError(at(pointer, key), std::string(key) + " must name a unit");
    const auto found = org.unit_index.find(it->get<std::string>());
    if (found == org.unit_index.end())
        throw ModelError(at(pointer, key), "unknown unit '" + it->get<std::string>() + "'");
    return found->second;
}

void read_units(Organisation &org, const json &units, const std::unordered_map<std::string, int> &actors) {
    const std::string base = "/organisation/units";
    org.units.resize(units.size());
    for (std::size_t i = 0; i < units.size(); ++i) {
        const json &u = units[i];
        if (!u.is_object()) throw ModelError(at(base, i), "a unit must be an object");
        Unit &unit = org.units[i];
        unit.position = i;
        unit.id = string_or_empty(u, "id");
        if (unit.id.empty()) throw ModelError(at(at(base, i), "id"), "every unit needs a string id");
        unit.name = string_or_empty(u, "name");
        if (unit.name.empty()) unit.name = unit.id;
        if (!org.unit_index.emplace(unit.id, static_cast<int>(i)).second)
            throw ModelError(at(at(base, i), "id"), "duplicate unit id '" + unit.id + "'");
    }
    for (std::size_t i = 0; i < units.size(); ++i) {
        const json &u = units[i];
        const std::string pointer = at(base, i);
        Unit &unit = org.units[i];
        unit.parent = unit_ref(org, u, "parent", pointer, false);
        unit.identity = string_or_empty(u, "identity");
        unit.environment = string_or_empty(u, "environment");
        unit.leaf = u.value("leaf", false);
        if (u.contains("pursues_own_ends") && u["pursues_own_ends"].is_boolean())
            unit.pursues_own_ends = u["pursues_own_ends"].get<bool>();
        for (const json &claim : array_of(u, "identity_claims", pointer))
            if (claim.is_object() && claim.contains("text") && claim["text"].is_string())
                unit.identity_claims.push_back(claim["text"].get<std::string>());
        for (const json &r : array_of(u, "resources", pointer))
            if (r.is_string()) unit.resources.push_back(r.get<std::string>());
        const json &also = array_of(u, "also_part_of", pointer);
        for (std::size_t k = 0; k < also.size(); ++k) {
            const std::string p = at(at(pointer, "also_part_of"), k);
            if (!also[k].is_string()) throw ModelError(p, "also_part_of must list unit ids");
            const auto found = org.unit_index.find(also[k].get<std::string>());
            if (found == org.unit_index.end()) throw ModelError(p, "unknown unit '" + also[k].get<std::string>() + "'");
            unit.also_part_of.push_back(found->second);
        }
        const json &roles = array_of(u, "roles", pointer);
        for (std::size_t r = 0; r < roles.size(); ++r) {
            const std::string rp = at(at(pointer, "roles"), r);
            if (!roles[r].is_object()) throw ModelError(rp, "a role must be an object");
            Role role;
            role.system = parse_system(string_or_empty(roles[r], "system"));
            if (role.system == System::none || role.system == System::environment)
                throw ModelError(at(rp, "system"), "system must be one of S1, S2, S3, S3*, S4, S5");
            const std::string actor = string_or_empty(roles[r], "actor");
            if (!actor.empty()) {
                const auto found = actors.find(actor);
                if (found == actors.end()) throw ModelError(at(rp, "actor"), "unknown actor '" + actor + "'");
                role.actor = found->second;
            }
            unit.roles.push_back(role);
        }
    }
}

// Exactly one root and no cycle of parents; then children and levels.
void build_tree(Organisation &org) {
    const std::string base = "/organisation/units";
    for (std::size_t i = 0; i < org.units.size(); ++i) {
        if (org.units[i].parent >= 0) continue;
        if (org.root >= 0) throw ModelError(at(at(base, i), "parent"), "a second root unit '" + org.units[i].id +
                                                                             "' (only one unit may have no parent)");
        org.root = static_cast<int>(i);
    }
    if (org.root < 0 && !org.units.empty()) throw ModelError(base, "no root unit: every unit has a parent");
    for (std::size_t i = 0; i < org.units.size(); ++i)
        if (org.units[i].parent >= 0) org.units[static_cast<std::size_t>(org.units[i].parent)].children.push_back(static_cast<int>(i));
    // Breadth-first from the root: whatever is not reached sits on a cycle of parents.
    std::vector<char> reached(org.units.size(), 0);
    std::vector<int> queue;
    if (org.root >= 0) {
        queue.push_back(org.root);
        reached[static_cast<std::size_t>(org.root)] = 1;
    }
    for (std::size_t q = 0; q < queue.size(); ++q) {
        const Unit &u = org.units[static_cast<std::size_t>(queue[q])];
        for (int c : u.children) {
            org.units[static_cast<std::size_t>(c)].level = u.level + 1;
            org.depth = std::max(org.depth, u.level + 1);
            reached[static_cast<std::size_t>(c)] = 1;
            queue.push_back(c);
        }
    }
    for (std::size_t i = 0; i < org.units.size(); ++i)
        if (!reached[i])
            throw ModelError(at(at(base, i), "parent"), "unit '" + org.units[i].id + "' is its own ancestor (a cycle of parents)");
}

void read_channels(Organisation &org, const json &channels) {
    const std::string base = "/organisation/channels";
    org.channels.resize(channels.size());
    for (std::size_t i = 0; i < channels.size(); ++i) {
        const json &c = channels[i];
        const std::string pointer = at(base, i);
        if (!c.is_object()) throw ModelError(pointer, "a channel must be an object");
        Channel &ch = org.channels[i];
        ch.position = i;
        ch.id = string_or_empty(c, "id");
        ch.type = parse_channel_type(string_or_empty(c, "type"), at(pointer, "type"));
        ch.from = unit_ref(org, c, "from", pointer, true);
        ch.to = unit_ref(org, c, "to", pointer, false);
        ch.from_system = parse_system(string_or_empty(c, "from_system"));
        ch.to_system = parse_system(string_or_empty(c, "to_system"));
        ch.capacity = number_of(c, "capacity", pointer);
        ch.demand = number_of(c, "demand", pointer);
        ch.transducer = number_of(c, "transducer", pointer);
        ch.in_states = string_or_empty(c, "measure") == "states";
        org.units[static_cast<std::size_t>(ch.from)].channels_out.push_back(static_cast<int>(i));
        if (ch.to >= 0) org.units[static_cast<std::size_t>(ch.to)].channels_in.push_back(static_cast<int>(i));
    }
}

void read_varieties(Organisation &org, const json &varieties) {
    const std::string base = "/organisation/varieties";
    for (std::size_t i = 0; i < varieties.size(); ++i) {
        const json &v = varieties[i];
        const std::string pointer = at(base, i);
        if (!v.is_object()) throw ModelError(pointer, "a variety must be an object");
        Variety var;
        var.position = i;
        var.id = string_or_empty(v, "id");
        var.of = string_or_empty(v, "of");
        var.unit = unit_ref(org, v, "unit", pointer, true);
        var.states = number_of(v, "states", pointer);
        var.attenuation = number_of(v, "attenuation", pointer);
        var.amplification = number_of(v, "amplification", pointer);
        var.responses = number_of(v, "responses", pointer);
        var.acceptable = number_of(v, "acceptable_outcomes", pointer);
        for (const auto *f : {&var.attenuation, &var.amplification})
            if (*f && (*f)->value <= 0)
                throw ModelError(at(pointer, f == &var.attenuation ? "attenuation" : "amplification"),
                                 "a factor must be greater than 0");
        org.varieties.push_back(std::move(var));
    }
}

void read_indicators(Organisation &org, const json &indicators) {
    for (std::size_t i = 0; i < indicators.size(); ++i) {
        const json &d = indicators[i];
        const std::string pointer = at("/indicators", i);
        if (!d.is_object()) throw ModelError(pointer, "an indicator must be an object");
        Indicator ind;
        ind.position = i;
        ind.id = string_or_empty(d, "id");
        ind.name = string_or_empty(d, "name");
        if (ind.name.empty()) ind.name = ind.id;
        ind.source = string_or_empty(d, "source");
        ind.units = string_or_empty(d, "units");
        ind.unit = unit_ref(org, d, "unit", pointer, false);
        for (const json &v : array_of(d, "variables", pointer))
            if (v.is_string()) ind.variables.push_back(v.get<std::string>());
        const json &actuals = array_of(d, "actuals", pointer);
        for (std::size_t k = 0; k < actuals.size(); ++k) {
            const std::string ap = at(at(pointer, "actuals"), k);
            if (!actuals[k].is_object() || !actuals[k].contains("value") || !actuals[k]["value"].is_number())
                throw ModelError(ap, "an actual needs a numeric value");
            ind.actuals.push_back(Number{actuals[k]["value"].get<double>(), actuals[k]["value"].dump()});
            ind.actual_labels.push_back(string_or_empty(actuals[k], "at"));
        }
        ind.capability = number_of(d, "capability", pointer);
        ind.potentiality = number_of(d, "potentiality", pointer);
        const json &thresholds = array_of(d, "thresholds", pointer);
        for (std::size_t k = 0; k < thresholds.size(); ++k) {
            const json &t = thresholds[k];
            const std::string tp = at(at(pointer, "thresholds"), k);
            if (!t.is_object() || !t.contains("value") || !t["value"].is_number())
                throw ModelError(tp, "a threshold needs a numeric value");
            Threshold th;
            th.level = string_or_empty(t, "level");
            if (th.level.empty()) th.level = "alarm";
            th.below = string_or_empty(t, "comparison") != "above";
            th.value = Number{t["value"].get<double>(), t["value"].dump()};
            if (t.contains("periods") && t["periods"].is_number_integer()) th.periods = std::max(1, t["periods"].get<int>());
            ind.thresholds.push_back(th);
        }
        org.indicators.push_back(std::move(ind));
    }
}

} // namespace

const char *system_name(System s) {
    switch (s) {
    case System::S1: return "S1";
    case System::S2: return "S2";
    case System::S3: return "S3";
    case System::S3star: return "S3*";
    case System::S4: return "S4";
    case System::S5: return "S5";
    case System::environment: return "environment";
    case System::none: break;
    }
    return "";
}

const char *channel_type_name(ChannelType t) {
    switch (t) {
    case ChannelType::command: return "command";
    case ChannelType::resource_bargain: return "resource-bargain";
    case ChannelType::coordination: return "coordination";
    case ChannelType::audit: return "audit";
    case ChannelType::algedonic: return "algedonic";
    case ChannelType::s3_s4: return "s3-s4";
    case ChannelType::s4_environment: return "s4-environment";
    case ChannelType::s1_s1: return "s1-s1";
    case ChannelType::s1_environment: return "s1-environment";
    case ChannelType::s4_s5: return "s4-s5";
    case ChannelType::representation: return "representation";
    case ChannelType::other: return "other";
    }
    return "other";
}

bool Unit::has(System s) const {
    return std::any_of(roles.begin(), roles.end(), [s](const Role &r) { return r.system == s; });
}

std::string Organisation::label(int unit) const {
    const Unit &u = units.at(static_cast<std::size_t>(unit));
    return u.name == u.id ? u.id : u.name + " (" + u.id + ")";
}

bool Organisation::is_ancestor(int ancestor, int unit) const {
    for (int p = units.at(static_cast<std::size_t>(unit)).parent; p >= 0; p = units[static_cast<std::size_t>(p)].parent)
        if (p == ancestor) return true;
    return false;
}

Organisation read_organisation(const json &model) {
    Organisation org;
    std::unordered_map<std::string, int> actor_index;
    const json &actors = array_of(model, "actors", "");
    for (std::size_t i = 0; i < actors.size(); ++i) {
        if (!actors[i].is_object()) continue;
        Actor a{string_or_empty(actors[i], "id"), string_or_empty(actors[i], "name")};
        if (a.name.empty()) a.name = a.id;
        actor_index.emplace(a.id, static_cast<int>(org.actors.size()));
        org.actors.push_back(std::move(a));
    }
    static const json empty = json::object();
    const json *organisation = &empty;
    if (model.is_object() && model.contains("organisation") && !model["organisation"].is_null()) {
        organisation = &model["organisation"];
        if (!organisation->is_object()) throw ModelError("/organisation", "organisation must be an object");
    }
    read_units(org, array_of(*organisation, "units", "/organisation"), actor_index);
    build_tree(org);
    read_channels(org, array_of(*organisation, "channels", "/organisation"));
    read_varieties(org, array_of(*organisation, "varieties", "/organisation"));
    read_indicators(org, array_of(model, "indicators", ""));
    return org;
}

} // namespace holon_vsm
