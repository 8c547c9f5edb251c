#include "diagnose/result_json.hpp"

#include <algorithm>
#include <array>

namespace holon_vsm {

using nlohmann::json;

namespace {

constexpr std::size_t max_listed_units = 50; // not_assessable lists at most this many unit ids

json units_of(const Organisation &org, const std::vector<int> &units) {
    json ids = json::array();
    for (int u : units) ids.push_back(org.units[static_cast<std::size_t>(u)].id);
    return ids;
}

json completeness(const Organisation &org, const Unit &u) {
    json systems = json::object();
    json missing = json::array();
    for (System s : {System::S2, System::S3, System::S3star, System::S4, System::S5}) {
        json actors = json::array();
        bool present = false;
        for (const Role &r : u.roles)
            if (r.system == s) {
                present = true;
                if (r.actor >= 0) actors.push_back(org.actors[static_cast<std::size_t>(r.actor)].name);
            }
        if (present) systems[system_name(s)] = actors;
        else if (s != System::S2 || u.children.size() >= 2) missing.push_back(system_name(s));
    }
    // Operations by state; "open" ones (neither unfolded nor leaf) by id, as I2 names them too.
    int unfolded = 0, leaves = 0;
    json open = json::array();
    for (int c : u.children) {
        const Unit &child = org.units[static_cast<std::size_t>(c)];
        if (child.expanded()) ++unfolded;
        else if (child.leaf) ++leaves;
        else open.push_back(child.id);
    }
    return {{"id", u.id}, {"name", u.name},
            {"operations", {{"count", u.children.size()}, {"unfolded", unfolded}, {"leaves", leaves}, {"open", open}}},
            {"systems", systems}, {"missing_systems", missing}};
}

} // namespace

json diagnosis_json(const Organisation &org, const Diagnosis &diagnosis, const DiagnoseOptions &options) {
    json findings = json::array();
    struct LevelCount {
        std::array<int, 3> by_severity{};
    };
    std::vector<LevelCount> per_level(static_cast<std::size_t>(org.depth) + 1);
    for (const Finding &f : diagnosis.findings) {
        const RuleInfo *rule = find_rule(f.code);
        json names = json::array();
        for (int u : f.units) names.push_back(org.units[static_cast<std::size_t>(u)].name);
        const int level = f.units.empty() ? 0 : org.units[static_cast<std::size_t>(f.units[0])].level;
        const std::string severity = rule->severity;
        per_level[static_cast<std::size_t>(level)].by_severity[severity == "error" ? 0 : severity == "warning" ? 1 : 2]++;
        findings.push_back({{"code", f.code},
                            {"name", rule->name},
                            {"severity", severity},
                            {"level", level},
                            {"units", units_of(org, f.units)},
                            {"unit_names", names},
                            {"entities", f.entities},
                            {"entity_names", f.entity_names},
                            {"message", f.message},
                            {"evidence", f.evidence}});
    }
    json not_assessable = json::array();
    for (const NotAssessable &n : diagnosis.not_assessable) {
        json entry{{"code", n.code}, {"name", find_rule(n.code)->name}, {"missing", n.missing}};
        if (!n.units.empty()) {
            std::vector<int> listed(n.units.begin(), n.units.begin() + static_cast<std::ptrdiff_t>(std::min(n.units.size(), max_listed_units)));
            entry["units"] = units_of(org, listed);
            json names = json::array();
            for (int u : listed) names.push_back(org.units[static_cast<std::size_t>(u)].name);
            entry["unit_names"] = names;
            entry["unit_count"] = n.units.size();
        }
        if (n.channels > 0) entry["channel_count"] = n.channels;
        not_assessable.push_back(std::move(entry));
    }
    json levels = json::array();
    for (int level = 0; level <= org.depth && !org.units.empty(); ++level) {
        int count = 0, expanded = 0, leaves = 0, open = 0;
        json units = json::array();
        for (const Unit &u : org.units) {
            if (u.level != level) continue;
            ++count;
            if (u.expanded()) {
                ++expanded;
                units.push_back(completeness(org, u));
            } else if (u.leaf) {
                ++leaves;
            } else {
                ++open;
            }
        }
        const auto &c = per_level[static_cast<std::size_t>(level)].by_severity;
        levels.push_back({{"level", level},
                          {"units", count},
                          {"unfolded", expanded},
                          {"leaves", leaves},
                          {"open", open},
                          {"findings", {{"error", c[0]}, {"warning", c[1]}, {"info", c[2]}}},
                          {"metasystems", units}});
    }
    json disabled = json::array();
    for (const RuleInfo &r : rules())
        if (options.disabled.count(r.code)) disabled.push_back(r.code);
    return {{"findings", findings},
            {"assessed", diagnosis.assessed},
            {"not_assessable", not_assessable},
            {"levels", levels},
            {"params_used",
             {{"disabled", disabled},
              {"i1_min_operations", options.i1_min_operations},
              {"i3_max_operations", options.i3_max_operations},
              {"iii2_max_sources", options.iii2_max_sources}}}};
}

} // namespace holon_vsm
