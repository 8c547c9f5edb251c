#include "checks/checks.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

namespace holon_ssm::checks {
namespace {

using model::Activity;
using model::ActivityModel;
using model::Inquiry;
using model::Party;

constexpr const char *kce_rd = "KCE process book 5.1.2.2, PQR and CATWOE (processbook.kce.be/book/export/html/271)";
constexpr const char *kce_models = "KCE process book, Build activity models (processbook.kce.fgov.be/node/532)";
constexpr const char *checkland_1993 = "Checkland (1993) Systems Thinking, Systems Practice, p. 317";

const std::vector<CheckInfo> checks_list = {
    {"SSM-RD-001", Severity::error, "T, W or O missing from the root definition", kce_rd},
    {"SSM-RD-002", Severity::error, "T does not turn an input into the same entity in a changed state, of the same nature",
     "Checkland 1993 p. 317 (input -> output); same-nature rule as taught (creatingtheatre.net, secondary)"},
    {"SSM-RD-003", Severity::warning, "PQR incomplete (do P, by Q, in order to help achieve R)", kce_rd},
    {"SSM-RD-004", Severity::error, "more than one worldview in one model",
     "Checkland & Poulter (2006/2010): each model encapsulates a single worldview (abstract, ch. 5 in Reynolds & Holwell)"},
    {"SSM-RD-005", Severity::warning, "C, A or E missing from the root definition", kce_rd},
    {"SSM-RD-006", Severity::warning, "P does not name what T transforms",
     "OR Society teaching notes: reconsider the root definition and CATWOE in the light of each other"},
    {"SSM-PAM-001", Severity::warning, "operational activities outside 7 +/- 2",
     "Checkland's models use about seven plus or minus two activities (secondary: Wikipedia, SSM conceptual models)"},
    {"SSM-PAM-002", Severity::error, "no monitoring and control", kce_models},
    {"SSM-PAM-003", Severity::warning, "an E of the 3Es missing, or a measure without an indicator", kce_models},
    {"SSM-PAM-004", Severity::warning, "a root-definition element reflected in no activity",
     "Checkland 1993 p. 317: every element in the definition must be reflected in the model"},
    {"SSM-PAM-005", Severity::error, "a cycle in the operational dependencies",
     "logical dependency is a precedence (Checkland's models; Wilson 2001)"},
    {"SSM-PAM-006", Severity::warning, "operational activity not reachable from the activity that takes in T's input",
     "methods.md 4.3 [design]: all activities reachable from the input"},
    {"SSM-PAM-007", Severity::warning, "operational activity that no monitor watches", kce_models},
    {"SSM-PAM-008", Severity::info, "activity linked to no element of the root definition", kce_models},
    {"SSM-CMP-001", Severity::warning, "activity without a comparison row",
     "Checkland & Scholes (1990) seven-stage model: compare models with the real world"},
    {"SSM-CMP-002", Severity::warning, "comparison row that does not say whether the activity exists",
     "Checkland & Scholes (1990): comparison table (exists? how? judged how?)"},
    {"SSM-CMP-003", Severity::info, "no comparison yet", "Checkland & Scholes (1990): compare models with the real world"},
    {"SSM-CHG-001", Severity::error, "change traced to no comparison row",
     "Checkland & Scholes (1990): changes come from the comparison"},
    {"SSM-CHG-002", Severity::warning, "change agreed without being judged both desirable and feasible",
     "Checkland & Scholes (1990): changes systemically desirable and culturally feasible"},
    {"SSM-CHG-003", Severity::info, "change not yet judged desirable and feasible",
     "Checkland & Scholes (1990): changes systemically desirable and culturally feasible"},
    {"SSM-JOIN-001", Severity::warning, "CATWOE party that is not an actor of the model", "methods.md 11, J6: CATWOE <-> actors"},
    {"SSM-JOIN-002", Severity::warning, "owner whose power rating says they cannot stop the system",
     "KCE 5.1.2.2: O could change or stop the system; power from the actors' ratings"},
    {"SSM-JOIN-003", Severity::warning, "environmental constraint bound to a variable that is not exogenous",
     "Checkland 1993: E is taken as given; methods.md 11, J6: E <-> exogenous variables"},
    {"SSM-JOIN-004", Severity::info, "environmental constraint bound to no variable", "methods.md 11, J6: E <-> exogenous variables"},
    {"SSM-JOIN-005", Severity::warning, "no causal path from T's input variable to its output variable",
     "methods.md 4.3: T <-> a CLD/SD sub-model"},
    {"SSM-JOIN-006", Severity::error, "worldview record that is not a worldview",
     "CSH category 12 is the worldview (Ulrich); boundary records of framework ssm-worldview"},
    {"SSM-JOIN-007", Severity::info, "no CSH worldview answer (category 12) from the worldview's perspective",
     "methods.md 11, J6: W <-> CSH Q12"},
};

std::string lower(std::string s) {
    for (char &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Lower case, single spaces, no leading article: "The  Fence" == "fence".
std::string normal(const std::string &text) {
    std::string out;
    for (char c : lower(text)) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    for (const char *article : {"the ", "a ", "an "})
        if (out.rfind(article, 0) == 0) out = out.substr(std::char_traits<char>::length(article));
    return out;
}

bool same_word(const std::string &a, const std::string &b) {
    if (a == b) return true;
    // paint/painted, market/marketed, fence/fences
    return a.size() >= 5 && b.size() >= 5 && a.compare(0, 5, b, 0, 5) == 0;
}

std::string named(const std::string &name, const std::string &id) { return name.empty() || name == id ? id : name + " (" + id + ")"; }

std::string list_text(const std::vector<std::string> &items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
    return out;
}

const char *element_name(const std::string &letter) {
    static const std::map<std::string, const char *> names = {
        {"C", "customers"}, {"A", "actors"}, {"T", "transformation"}, {"W", "worldview"}, {"O", "owners"},
        {"E", "environmental constraints"}, {"P", "P (what)"}, {"Q", "Q (how)"}, {"R", "R (why)"}};
    const auto it = names.find(letter);
    return it != names.end() ? it->second : "element";
}

Entity element(const std::string &letter) { return {"element", letter, element_name(letter)}; }
Entity activity_entity(const Activity &a) { return {"activity", a.id, a.name}; }

// Collects one model's findings and which checks ran.
class Recorder {
public:
    Recorder(Report &report, const ActivityModel &m) : report_(report), m_(m) {}

    void add(const std::string &code, std::vector<Entity> entities, const std::string &message) {
        report_.findings.push_back({code, info(code).severity, m_.id, m_.name, std::move(entities), message});
        failed_.insert(code);
    }
    void skip(const std::string &code, const std::string &why) { skipped_.emplace(code, why); }

    void finish() {
        Assessment a{m_.id, m_.name, {}, {}, {}};
        for (const CheckInfo &c : catalogue()) {
            if (failed_.count(c.code)) a.failed.push_back(c.code);
            else if (const auto it = skipped_.find(c.code); it != skipped_.end()) a.not_assessed.emplace_back(c.code, it->second);
            else a.passed.push_back(c.code);
        }
        report_.assessed.push_back(std::move(a));
    }


private:
    Report &report_;
    const ActivityModel &m_;
    std::set<std::string> failed_;
    std::map<std::string, std::string> skipped_;
};

std::string model_label(const ActivityModel &m) { return named(m.name, m.id); }

bool has_t(const ActivityModel &m) { return m.t.present && !m.t.input.empty() && !m.t.output.empty(); }
bool has_w(const ActivityModel &m) { return !m.worldview.empty() || !m.worldview_record.empty(); }

void check_catwoe_presence(Recorder &r, const ActivityModel &m) {
    const std::string who = "The root definition of " + model_label(m);
    if (!has_t(m)) r.add("SSM-RD-001", {element("T")}, who + " has no transformation (T): what input does it change into what output?");
    if (!has_w(m)) r.add("SSM-RD-001", {element("W")}, who + " states no worldview (W): what belief makes this transformation meaningful?");
    if (m.owners.empty()) r.add("SSM-RD-001", {element("O")}, who + " names no owner (O): who could change or stop this system?");
    if (m.customers.empty())
        r.add("SSM-RD-005", {element("C")}, who + " names no customers (C): who are the beneficiaries or victims of T?");
    if (m.actors.empty()) r.add("SSM-RD-005", {element("A")}, who + " names no actors (A): who would do the activities?");
    if (m.environment.empty())
        r.add("SSM-RD-005", {element("E")}, who + " names no environmental constraints (E): what does it take as given?");
}

void check_transformation(Recorder &r, const ActivityModel &m) {
    if (!has_t(m)) return r.skip("SSM-RD-002", "there is no transformation (SSM-RD-001)");
    const std::string t = "T of " + model_label(m) + " (" + m.t.input + " -> " + m.t.output + ")";
    const Entity te{"element", "T", m.t.input + " -> " + m.t.output};
    if (normal(m.t.input) == normal(m.t.output)) return r.add("SSM-RD-002", {te}, t + ": input and output are the same, so nothing is transformed");
    if (!m.t.in.present || !m.t.out.present)
        return r.skip("SSM-RD-002", "T has no input_detail/output_detail (entity, state, nature) to compare");
    std::vector<std::string> why;
    if (normal(m.t.in.entity) != normal(m.t.out.entity))
        why.push_back("the input entity '" + m.t.in.entity + "' is not the output entity '" + m.t.out.entity +
                      "' (T should change one entity's state, not turn one thing into another)");
    else if (normal(m.t.in.state) == normal(m.t.out.state))
        why.push_back("the " + m.t.in.entity + " is in the same state ('" + m.t.in.state + "') before and after");
    if (!m.t.in.nature.empty() && !m.t.out.nature.empty() && m.t.in.nature != m.t.out.nature)
        why.push_back("the input is " + m.t.in.nature + " but the output is " + m.t.out.nature);
    if (!why.empty()) r.add("SSM-RD-002", {te}, t + ": " + list_text(why));
}

void check_pqr(Recorder &r, const ActivityModel &m) {
    std::vector<Entity> missing;
    std::vector<std::string> names;
    for (const auto &[letter, value] : {std::pair<std::string, std::string>{"P", m.p}, {"Q", m.q}, {"R", m.r}})
        if (value.empty()) {
            missing.push_back(element(letter));
            names.push_back(element_name(letter));
        }
    if (!missing.empty())
        r.add("SSM-RD-003", missing,
              "The root definition of " + model_label(m) + " does not state " + list_text(names) +
                  ": write it as do P, by Q, in order to help achieve R");
    if (m.p.empty() || !has_t(m)) return r.skip("SSM-RD-006", "P or T is missing");
    std::vector<std::string> t_words =
        m.t.in.present ? content_words(m.t.in.entity + " " + m.t.out.entity) : content_words(m.t.input + " " + m.t.output);
    for (const std::string &p : content_words(m.p))
        for (const std::string &w : t_words)
            if (same_word(p, w)) return;
    r.add("SSM-RD-006", {element("P"), element("T")},
          "P of " + model_label(m) + " ('" + m.p + "') does not name what T transforms ('" + m.t.input + "' -> '" +
              m.t.output + "'): P and T describe different systems");
}

void check_worldview(Recorder &r, const Inquiry &inquiry, const ActivityModel &m, Joins &joins) {
    const model::BoundaryRecord *record = m.worldview_record.empty() ? nullptr : inquiry.record(m.worldview_record);
    if (record == nullptr || m.worldview.empty()) r.skip("SSM-RD-004", "W is stated in one place only");
    else if (normal(record->answer) != normal(m.worldview))
        r.add("SSM-RD-004", {element("W"), {"boundary", record->id, record->answer}},
              model_label(m) + " states two worldviews: CATWOE's W '" + m.worldview + "' and the worldview record " +
                  record->id + " '" + record->answer + "'. Build one model per worldview");
    if (record == nullptr) {
        r.skip("SSM-JOIN-006", "the model has no worldview record");
        r.skip("SSM-JOIN-007", "the model has no worldview record");
        return;
    }
    const bool worldview = record->framework == "ssm-worldview" || (record->framework == "csh" && record->category == 12);
    if (!worldview)
        r.add("SSM-JOIN-006", {{"boundary", record->id, record->answer}},
              "The worldview record of " + model_label(m) + " (" + record->id + ") is " +
                  (record->framework == "csh" ? "a CSH answer to category " + std::to_string(record->category) + ", not 12 (worldview)"
                                              : "an " + record->framework + " record") );
    if (record->perspective_actor.empty() && record->perspective_name.empty())
        return r.skip("SSM-JOIN-007", "the worldview record names no perspective");
    for (const model::BoundaryRecord &b : inquiry.boundary) {
        if (b.framework != "csh" || b.category != 12 || b.id == record->id) continue;
        const bool same = record->perspective_actor.empty() ? normal(b.perspective_name) == normal(record->perspective_name)
                                                            : b.perspective_actor == record->perspective_actor;
        if (same) joins.worldview_answers.push_back(b.id);
    }
    if (joins.worldview_answers.empty()) {
        const std::string who = record->perspective_actor.empty()
                                    ? record->perspective_name
                                    : named(inquiry.actor_name(record->perspective_actor), record->perspective_actor);
        r.add("SSM-JOIN-007",
              {record->perspective_actor.empty() ? Entity{"party", "perspective", record->perspective_name}
                                                 : Entity{"actor", record->perspective_actor, inquiry.actor_name(record->perspective_actor)}},
              "The worldview of " + model_label(m) + " is " + who +
                  "'s, but " + who + " has no CSH worldview answer (category 12) to set beside it");
    }
}

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
                  "The constraint '" + e.text + "' of " + model_label(m) + " is bound to no variable of the model");
}

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
                  std::to_string(options.min_operational) + " to " + std::to_string(options.max_operational) + ")");
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
                      named(a->name, a->id) + " in " + model_label(m) + " is watched by no monitoring activity");

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
                  named(a.name, a.id) + " in " + model_label(m) + " is linked to no element of the root definition");
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
                      " cannot be reached from the activity that takes in T's input along the dependencies");
}

void check_comparison(Recorder &r, const ActivityModel &m) {
    if (m.rows.empty()) {
        r.add("SSM-CMP-003", {}, model_label(m) + " has not been compared with the real situation yet");
        r.skip("SSM-CMP-001", "no comparison yet (SSM-CMP-003)");
        r.skip("SSM-CMP-002", "no comparison yet (SSM-CMP-003)");
    } else {
        std::set<std::string> with_row;
        for (const model::Row &row : m.rows) with_row.insert(row.activity);
        for (const Activity &a : m.activities)
            if (!with_row.count(a.id))
                r.add("SSM-CMP-001", {activity_entity(a)},
                      named(a.name, a.id) + " in " + model_label(m) + " has no row in the comparison table");
        for (const model::Row &row : m.rows)
            if (row.exists.empty())
                r.add("SSM-CMP-002", {{"activity", row.activity, m.activity_name(row.activity)}},
                      "The comparison row of " + named(m.activity_name(row.activity), row.activity) + " in " + model_label(m) +
                          " does not say whether the activity exists in the real situation");
    }
    std::set<std::string> with_row;
    for (const model::Row &row : m.rows) with_row.insert(row.activity);
    for (const model::Change &c : m.changes) {
        const Entity ce{"change", c.id, c.text};
        std::vector<std::string> untraced;
        for (const std::string &a : c.rows)
            if (!with_row.count(a)) untraced.push_back(named(m.activity_name(a), a));
        if (c.rows.empty())
            r.add("SSM-CHG-001", {ce}, "The change '" + c.text + "' (" + c.id + ") of " + model_label(m) + " is traced to no comparison row");
        else if (!untraced.empty())
            r.add("SSM-CHG-001", {ce},
                  "The change '" + c.text + "' (" + c.id + ") of " + model_label(m) + " is traced to " + list_text(untraced) +
                      ", which " + (untraced.size() == 1 ? "has" : "have") + " no comparison row");
        const bool judged = c.desirable.has_value() && c.feasible.has_value();
        const bool both = c.desirable.value_or(false) && c.feasible.value_or(false);
        if ((c.status == "agreed" || c.status == "implemented") && !both)
            r.add("SSM-CHG-002", {ce},
                  "The change '" + c.text + "' (" + c.id + ") of " + model_label(m) + " is " + c.status +
                      " but not judged both systemically desirable and culturally feasible");
        else if (!judged && c.status != "rejected")
            r.add("SSM-CHG-003", {ce},
                  "The change '" + c.text + "' (" + c.id + ") of " + model_label(m) +
                      " has not been judged desirable and feasible yet");
    }
}

void check_model(Report &report, const Inquiry &inquiry, const ActivityModel &m, const Options &options) {
    Recorder r(report, m);
    Joins joins{m.id, {}, {}};
    check_catwoe_presence(r, m);
    check_transformation(r, m);
    check_pqr(r, m);
    check_worldview(r, inquiry, m, joins);
    if (m.activities.empty()) {
        for (const char *code : {"SSM-PAM-001", "SSM-PAM-002", "SSM-PAM-003", "SSM-PAM-004", "SSM-PAM-005", "SSM-PAM-006",
                                 "SSM-PAM-007", "SSM-PAM-008", "SSM-CMP-001", "SSM-CMP-002", "SSM-CMP-003", "SSM-CHG-001",
                                 "SSM-CHG-002", "SSM-CHG-003"})
            r.skip(code, "the model has only its root definition, no activities yet");
    } else {
        check_activities(r, m, options);
        check_reflection(r, m);
        check_dependencies(r, m);
        check_comparison(r, m);
    }
    check_parties(r, inquiry, m, options);
    check_environment(r, inquiry, m);
    check_t_variables(r, inquiry, m, joins);
    r.finish();
    report.joins.push_back(std::move(joins));
}

} // namespace

const char *severity_name(Severity s) {
    switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: return "info";
    }
    return "info";
}

const std::vector<CheckInfo> &catalogue() { return checks_list; }

const CheckInfo &info(const std::string &code) {
    for (const CheckInfo &c : checks_list)
        if (code == c.code) return c;
    throw std::logic_error("unknown SSM check " + code);
}

std::vector<std::string> content_words(const std::string &text) {
    static const std::set<std::string> stop = {"the", "and", "for", "with", "from", "into", "its", "their", "this",
                                               "that", "are", "who", "which", "by", "of", "to", "in", "on", "at", "as"};
    std::vector<std::string> words;
    std::string word;
    for (char c : lower(text) + " ") {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            word += c;
        } else {
            if (word.size() >= 3 && !stop.count(word)) words.push_back(word);
            word.clear();
        }
    }
    return words;
}

Report check(const Inquiry &inquiry, const Options &options, const std::vector<std::string> &only) {
    Report report;
    for (const ActivityModel &m : inquiry.models)
        if (only.empty() || std::find(only.begin(), only.end(), m.id) != only.end()) check_model(report, inquiry, m, options);
    // Findings in catalogue order within each model, so output is stable and reads top-down.
    std::map<std::string, std::size_t> rank;
    for (std::size_t i = 0; i < checks_list.size(); ++i) rank[checks_list[i].code] = i;
    std::map<std::string, std::size_t> model_rank;
    for (std::size_t i = 0; i < report.assessed.size(); ++i) model_rank[report.assessed[i].model] = i;
    std::stable_sort(report.findings.begin(), report.findings.end(), [&](const Finding &a, const Finding &b) {
        if (model_rank[a.model] != model_rank[b.model]) return model_rank[a.model] < model_rank[b.model];
        return rank[a.code] < rank[b.code];
    });
    return report;
}

} // namespace holon_ssm::checks
