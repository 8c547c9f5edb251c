#include "model/inquiry.hpp"

#include "reading/json_members.hpp"

#include <nlohmann/json.hpp>

namespace holon_ssm::model {
namespace {

using nlohmann::json;

using holon_plugins::reading::array_or_empty;
using holon_plugins::reading::string_or_empty;
using holon_plugins::reading::strings_of;

std::optional<bool> flag(const json &object, const char *key) {
    if (!object.is_object()) return std::nullopt;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_boolean()) return std::nullopt;
    return it->get<bool>();
}

// A rating is a number or {value, provenance}.
std::optional<double> rating(const json &object, const char *key) {
    if (!object.is_object()) return std::nullopt;
    const auto it = object.find(key);
    if (it == object.end()) return std::nullopt;
    if (it->is_number()) return it->get<double>();
    if (it->is_object() && it->contains("value") && (*it)["value"].is_number()) return (*it)["value"].get<double>();
    return std::nullopt;
}

std::vector<Party> parties(const json &catwoe, const char *key, const std::map<std::string, Actor> &actors) {
    std::vector<Party> out;
    for (const json &p : array_or_empty(catwoe, key)) {
        Party party{string_or_empty(p, "actor"), string_or_empty(p, "name")};
        if (party.name.empty() && !party.actor.empty()) {
            const auto it = actors.find(party.actor);
            party.name = it != actors.end() ? it->second.name : party.actor;
        }
        out.push_back(std::move(party));
    }
    return out;
}

Detail detail(const json &t, const char *key) {
    Detail d;
    if (!t.is_object() || !t.contains(key) || !t[key].is_object()) return d;
    const json &side = t[key];
    d.present = true;
    d.entity = string_or_empty(side, "entity");
    d.state = string_or_empty(side, "state");
    d.nature = string_or_empty(side, "nature");
    d.variable = string_or_empty(side, "variable");
    return d;
}

Activity activity(const json &a) {
    Activity out;
    out.id = string_or_empty(a, "id");
    out.name = string_or_empty(a, "name");
    out.description = string_or_empty(a, "description");
    const std::string kind = string_or_empty(a, "kind");
    if (kind == "monitor") out.kind = Kind::monitor;
    else if (kind == "control") out.kind = Kind::control;
    else if (kind == "operational") out.kind = Kind::operational;
    else if (flag(a, "monitoring").value_or(false)) out.kind = Kind::monitor_and_control;
    out.takes_input = flag(a, "takes_input").value_or(false);
    out.reflects = strings_of(a, "reflects");
    if (a.is_object() && a.contains("monitors")) {
        out.monitors_all = false;
        out.monitors = strings_of(a, "monitors");
    }
    return out;
}

ActivityModel activity_model(const json &m, const std::map<std::string, Actor> &actors) {
    ActivityModel out;
    out.id = string_or_empty(m, "id");
    out.name = string_or_empty(m, "name");
    out.kind = string_or_empty(m, "kind");
    if (m.contains("root_definition")) {
        const json &rd = m["root_definition"];
        out.rd_text = string_or_empty(rd, "text");
        out.p = string_or_empty(rd, "p");
        out.q = string_or_empty(rd, "q");
        out.r = string_or_empty(rd, "r");
    }
    if (m.contains("catwoe") && m["catwoe"].is_object()) {
        const json &c = m["catwoe"];
        out.has_catwoe = true;
        out.customers = parties(c, "customers", actors);
        out.actors = parties(c, "actors", actors);
        out.owners = parties(c, "owners", actors);
        out.worldview = string_or_empty(c, "worldview");
        if (c.contains("transformation") && c["transformation"].is_object()) {
            const json &t = c["transformation"];
            out.t.present = true;
            out.t.input = string_or_empty(t, "input");
            out.t.output = string_or_empty(t, "output");
            out.t.in = detail(t, "input_detail");
            out.t.out = detail(t, "output_detail");
        }
        for (const json &e : array_or_empty(c, "environment"))
            out.environment.push_back({string_or_empty(e, "text"), strings_of(e, "variables")});
    }
    out.worldview_record = string_or_empty(m, "worldview_record");
    for (const json &a : array_or_empty(m, "activities")) out.activities.push_back(activity(a));
    for (const json &d : array_or_empty(m, "dependencies"))
        out.dependencies.push_back({string_or_empty(d, "from"), string_or_empty(d, "to")});
    for (const json &e : array_or_empty(m, "measures"))
        out.measures.push_back({string_or_empty(e, "id"), string_or_empty(e, "e"), string_or_empty(e, "criterion"),
                                string_or_empty(e, "indicator")});
    for (const json &r : array_or_empty(m, "comparison")) {
        Row row{string_or_empty(r, "activity"), string_or_empty(r, "exists"), string_or_empty(r, "how"),
                string_or_empty(r, "who"), string_or_empty(r, "judged"), string_or_empty(r, "alternatives"),
                string_or_empty(r, "change"), flag(r, "desirable"), flag(r, "feasible")};
        if (!row.change.empty()) {
            Change change;
            change.id = "row:" + row.activity;
            change.text = row.change;
            change.rows = {row.activity};
            change.desirable = row.desirable;
            change.feasible = row.feasible;
            change.from_row = true;
            out.changes.push_back(change);
        }
        out.rows.push_back(std::move(row));
    }
    for (const json &c : array_or_empty(m, "changes")) {
        Change change;
        change.id = string_or_empty(c, "id");
        change.text = string_or_empty(c, "text");
        change.status = string_or_empty(c, "status");
        change.rationale = string_or_empty(c, "rationale");
        change.rows = strings_of(c, "rows");
        change.desirable = flag(c, "desirable");
        change.feasible = flag(c, "feasible");
        out.changes.push_back(std::move(change));
    }
    return out;
}

} // namespace

const Activity *ActivityModel::activity(const std::string &wanted) const {
    for (const Activity &a : activities)
        if (a.id == wanted) return &a;
    return nullptr;
}

std::string ActivityModel::activity_name(const std::string &wanted) const {
    const Activity *a = activity(wanted);
    return a ? a->name : wanted;
}

const BoundaryRecord *Inquiry::record(const std::string &wanted) const {
    for (const BoundaryRecord &b : boundary)
        if (b.id == wanted) return &b;
    return nullptr;
}

std::string Inquiry::actor_name(const std::string &id) const {
    const auto it = actors.find(id);
    return it != actors.end() ? it->second.name : id;
}

std::string Inquiry::variable_name(const std::string &id) const {
    const auto it = variables.find(id);
    return it != variables.end() ? it->second.name : id;
}

std::string Inquiry::indicator_name(const std::string &id) const {
    const auto it = indicators.find(id);
    return it != indicators.end() ? it->second : id;
}

Inquiry read_inquiry(const json &document) {
    Inquiry inquiry;
    inquiry.name = string_or_empty(document, "name");
    for (const json &a : array_or_empty(document, "actors")) {
        Actor actor{string_or_empty(a, "id"), string_or_empty(a, "name"), rating(a, "power")};
        inquiry.actors[actor.id] = actor;
    }
    for (const json &v : array_or_empty(document, "variables")) {
        Variable variable{string_or_empty(v, "id"), string_or_empty(v, "name"), string_or_empty(v, "kind")};
        inquiry.variables[variable.id] = variable;
    }
    for (const json &l : array_or_empty(document, "links"))
        inquiry.successors[string_or_empty(l, "from")].push_back(string_or_empty(l, "to"));
    for (const json &b : array_or_empty(document, "boundary")) {
        BoundaryRecord record;
        record.id = string_or_empty(b, "id");
        record.framework = string_or_empty(b, "framework");
        if (record.framework.empty()) record.framework = "csh";
        record.mode = string_or_empty(b, "mode");
        record.answer = string_or_empty(b, "answer");
        if (b.contains("category") && b["category"].is_number_integer()) record.category = b["category"].get<int>();
        if (b.contains("perspective")) {
            record.perspective_actor = string_or_empty(b["perspective"], "actor");
            record.perspective_name = string_or_empty(b["perspective"], "name");
        }
        inquiry.boundary.push_back(std::move(record));
    }
    for (const json &i : array_or_empty(document, "indicators")) inquiry.indicators[string_or_empty(i, "id")] = string_or_empty(i, "name");
    for (const json &m : array_or_empty(document, "activity_models")) inquiry.models.push_back(activity_model(m, inquiry.actors));
    return inquiry;
}

} // namespace holon_ssm::model
