#include "checks/detail.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace holon_ssm::checks::detail {

void check_activities(Recorder &r, const ActivityModel &m, const Options &options) {
    std::vector<const Activity *> operational;
    bool monitor = false, control = false;
    for (const Activity &a : m.activities) {
        if (a.operational()) operational.push_back(&a);
        monitor = monitor || a.monitor();
        control = control || a.control();
    }
    const int n = static_cast<int>(operational.size());
    if (n < options.min_operational || n > options.max_operational)
        r.add("SSM-PAM-001", {},
              model_label(m) + " has " + std::to_string(n) + " operational activities; models usually have 7 +/- 2 (" +
                  std::to_string(options.min_operational) + " to " + std::to_string(options.max_operational) + "): " +
                  (n < options.min_operational ? "does it cover everything T needs, or are some activities missing?"
                                               : "group them into fewer, broader activities and expand one at the next level"));
    std::vector<std::string> missing;
    if (!monitor) missing.push_back("no monitoring activity");
    if (!control) missing.push_back("no control activity");
    if (!missing.empty())
        r.add("SSM-PAM-002", {},
              model_label(m) + " has " + list_text(missing) +
                  ": add the monitor-and-control subsystem (define measures, monitor, take control action)");

    // Monitoring coverage.
    std::set<std::string> watched;
    bool watches_all = false;
    for (const Activity &a : m.activities)
        if (a.monitor()) {
            watches_all = watches_all || a.monitors_all;
            watched.insert(a.monitors.begin(), a.monitors.end());
        }
    if (!monitor) r.skip("SSM-PAM-007", "there is no monitor (SSM-PAM-002)");
    else if (!watches_all)
        for (const Activity *a : operational)
            if (!watched.count(a->id))
                r.add("SSM-PAM-007", {activity_entity(*a)},
                      named(a->name, a->id) + " in " + model_label(m) +
                          " is watched by no monitoring activity: add it to a monitor's list (monitors)");

    // Measures.
    for (const char *e : {"efficacy", "efficiency", "effectiveness"})
        if (std::none_of(m.measures.begin(), m.measures.end(), [&](const model::Measure &x) { return x.e == e; }))
            r.add("SSM-PAM-003", {{"element", e, e}},
                  model_label(m) + " has no measure of " + e +
                      (std::string(e) == "efficacy"        ? " (does the means work: is the output produced?)"
                       : std::string(e) == "efficiency"    ? " (is T achieved with minimum resources?)"
                                                           : " (does T help achieve the longer-term aim?)"));
    for (const model::Measure &x : m.measures)
        if (x.indicator.empty())
            r.add("SSM-PAM-003", {{"measure", x.id, x.criterion}},
                  "The " + x.e + " measure '" + x.criterion + "' (" + x.id + ") of " + model_label(m) +
                      " is bound to no indicator, so it cannot be monitored");
}

void check_reflection(Recorder &r, const ActivityModel &m) {
    std::set<std::string> reflected;
    for (const Activity &a : m.activities) reflected.insert(a.reflects.begin(), a.reflects.end());
    if (reflected.empty()) {
        r.skip("SSM-PAM-004", "no activity says which root-definition elements it reflects (reflects)");
        r.skip("SSM-PAM-008", "no activity says which root-definition elements it reflects (reflects)");
        return;
    }
    std::vector<std::string> required;
    if (has_t(m)) required.push_back("T");
    if (!m.customers.empty()) required.push_back("C");
    if (!m.actors.empty()) required.push_back("A");
    if (!m.environment.empty()) required.push_back("E");
    if (!m.q.empty()) required.push_back("Q");
    for (const std::string &e : required)
        if (!reflected.count(e))
            r.add("SSM-PAM-004", {element(e)},
                  "No activity of " + model_label(m) + " reflects the " + element_name(e) +
                      " of its root definition: every element of the definition must be reflected in the model");
    for (const Activity &a : m.activities)
        if (a.operational() && a.reflects.empty())
            r.add("SSM-PAM-008", {activity_entity(a)},
                  named(a.name, a.id) + " in " + model_label(m) +
                      " is linked to no element of the root definition: say which element it serves (reflects), or ask whether "
                      "it belongs to this system");
}

void check_dependencies(Recorder &r, const ActivityModel &m) {
    std::map<std::string, std::vector<std::string>> next;
    std::set<std::string> operational;
    for (const Activity &a : m.activities)
        if (a.operational()) operational.insert(a.id);
    for (const model::Dependency &d : m.dependencies)
        if (operational.count(d.from) && operational.count(d.to)) next[d.from].push_back(d.to);

    // Cycles: strongly connected components (Tarjan) with more than one activity, or a self-loop.
    std::map<std::string, int> index, low;
    std::set<std::string> on_stack;
    std::vector<std::string> stack;
    int counter = 0;
    std::function<void(const std::string &)> visit = [&](const std::string &v) {
        index[v] = low[v] = counter++;
        stack.push_back(v);
        on_stack.insert(v);
        for (const std::string &w : next[v]) {
            if (!index.count(w)) {
                visit(w);
                low[v] = std::min(low[v], low[w]);
            } else if (on_stack.count(w)) {
                low[v] = std::min(low[v], index[w]);
            }
        }
        if (low[v] != index[v]) return;
        std::vector<std::string> component;
        std::string w;
        do {
            w = stack.back();
            stack.pop_back();
            on_stack.erase(w);
            component.push_back(w);
        } while (w != v);
        const auto &succ = next[v];
        if (component.size() > 1 || std::find(succ.begin(), succ.end(), v) != succ.end()) {
            std::reverse(component.begin(), component.end());
            std::vector<Entity> entities;
            std::vector<std::string> names;
            for (const Activity &a : m.activities)
                if (std::find(component.begin(), component.end(), a.id) != component.end()) {
                    entities.push_back(activity_entity(a));
                    names.push_back(named(a.name, a.id));
                }
            r.add("SSM-PAM-005", entities,
                  "The operational activities " + list_text(names) + " of " + model_label(m) +
                      " depend on each other in a circle: logical dependencies must have a start");
        }
    };
    for (const Activity &a : m.activities)
        if (a.operational() && !index.count(a.id)) visit(a.id);

    // Reachability from the activity that takes in T's input.
    std::vector<std::string> queue;
    for (const Activity &a : m.activities)
        if (a.operational() && a.takes_input) queue.push_back(a.id);
    if (queue.empty()) return r.skip("SSM-PAM-006", "no operational activity is marked takes_input");
    std::set<std::string> seen(queue.begin(), queue.end());
    for (std::size_t head = 0; head < queue.size(); ++head)
        for (const std::string &w : next[queue[head]])
            if (seen.insert(w).second) queue.push_back(w);
    for (const Activity &a : m.activities)
        if (a.operational() && !seen.count(a.id))
            r.add("SSM-PAM-006", {activity_entity(a)},
                  named(a.name, a.id) + " in " + model_label(m) +
                      " cannot be reached from the activity that takes in T's input along the dependencies: add the "
                      "dependency it needs, or ask whether it belongs to this transformation");
}

} // namespace holon_ssm::checks::detail
