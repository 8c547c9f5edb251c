#include "checks/detail.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace holon_ssm::checks::detail {

void check_parties(Recorder &r, const Inquiry &inquiry, const ActivityModel &m, const Options &options) {
    const std::pair<const char *, const std::vector<Party> *> roles[] = {
        {"customers", &m.customers}, {"actors", &m.actors}, {"owners", &m.owners}};
    for (const auto &[role, list] : roles)
        for (std::size_t i = 0; i < list->size(); ++i)
            if ((*list)[i].actor.empty())
                r.add("SSM-JOIN-001", {{"party", std::string(role) + "/" + std::to_string(i), (*list)[i].name}},
                      "'" + (*list)[i].name + "' (" + role + " of " + model_label(m) +
                          ") is not an actor of the model: add it to the actors so its stake and power can be seen");
    for (const Party &owner : m.owners) {
        if (owner.actor.empty()) continue;
        const auto it = inquiry.actors.find(owner.actor);
        if (it == inquiry.actors.end() || !it->second.power) continue;
        if (*it->second.power < options.owner_min_power)
            r.add("SSM-JOIN-002", {{"actor", owner.actor, it->second.name}},
                  named(it->second.name, owner.actor) + " is the owner of " + model_label(m) + " but their power is rated " +
                      std::to_string(*it->second.power).substr(0, 4) + " (below " +
                      std::to_string(options.owner_min_power).substr(0, 4) + "): an owner must be able to stop the system");
    }
}

void check_environment(Recorder &r, const Inquiry &inquiry, const ActivityModel &m) {
    for (const model::Constraint &e : m.environment)
        for (const std::string &v : e.variables) {
            const auto it = inquiry.variables.find(v);
            if (it != inquiry.variables.end() && it->second.kind != "exogenous")
                r.add("SSM-JOIN-003", {{"variable", v, it->second.name}},
                      "The constraint '" + e.text + "' of " + model_label(m) + " is bound to " + named(it->second.name, v) +
                          ", a " + it->second.kind + " variable: a constraint taken as given should be exogenous");
        }
    if (inquiry.variables.empty()) return r.skip("SSM-JOIN-004", "the shared model has no variables");
    for (const model::Constraint &e : m.environment)
        if (e.variables.empty())
            r.add("SSM-JOIN-004", {{"element", "E", e.text}},
                  "The constraint '" + e.text + "' of " + model_label(m) +
                      " is bound to no variable of the model: bind it to the exogenous variable that expresses it");
}

namespace {

// Breadth-first search in the causal map; the path from `from` to `to`, empty when none.
std::vector<std::string> causal_path(const Inquiry &inquiry, const std::string &from, const std::string &to) {
    if (from == to) return {from};
    std::map<std::string, std::string> parent{{from, ""}};
    std::vector<std::string> queue{from};
    for (std::size_t head = 0; head < queue.size(); ++head) {
        const auto it = inquiry.successors.find(queue[head]);
        if (it == inquiry.successors.end()) continue;
        for (const std::string &next : it->second) {
            if (!parent.emplace(next, queue[head]).second) continue;
            if (next == to) {
                std::vector<std::string> path{to};
                for (std::string at = queue[head]; !at.empty(); at = parent[at]) path.push_back(at);
                std::reverse(path.begin(), path.end());
                return path;
            }
            queue.push_back(next);
        }
    }
    return {};
}

} // namespace

void check_t_variables(Recorder &r, const Inquiry &inquiry, const ActivityModel &m, Joins &joins) {
    const std::string &in = m.t.in.variable, &out = m.t.out.variable;
    if (in.empty() || out.empty()) return r.skip("SSM-JOIN-005", "T's input and output are not both bound to variables");
    joins.t_path = causal_path(inquiry, in, out);
    if (joins.t_path.empty())
        r.add("SSM-JOIN-005", {{"variable", in, inquiry.variable_name(in)}, {"variable", out, inquiry.variable_name(out)}},
              "The causal map has no path from " + named(inquiry.variable_name(in), in) + " (T's input in " +
                  model_label(m) + ") to " + named(inquiry.variable_name(out), out) +
                  " (its output): the model does not show how the transformation happens");
}

} // namespace holon_ssm::checks::detail
