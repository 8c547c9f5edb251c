#include "model/inquiry.hpp"

#include <nlohmann/json.hpp>

namespace holon_ssm::model {
namespace {

using nlohmann::json;

const json &array_of(const json &object, const char *key) {
    static const json empty = json::array();
    if (!object.is_object()) return empty;
    const auto it = object.find(key);
    return it != object.end() && it->is_array() ? *it : empty;
}

std::string text(const json &object, const char *key) {
    if (!object.is_object()) return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<bool> flag(const json &object, const char *key) {
    if (!object.is_object()) return std::nullopt;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_boolean()) return std::nullopt;
    return it->get<bool>();
}

std::vector<std::string> strings(const json &object, const char *key) {
    std::vector<std::string> out;
    for (const json &item : array_of(object, key))
        if (item.is_string()) out.push_back(item.get<std::string>());
    return out;
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
    for (const json &p : array_of(catwoe, key)) {
        Party party{text(p, "actor"), text(p, "name")};
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
    d.entity = text(side, "entity");
    d.state = text(side, "state");
    d.nature = text(side, "nature");
    d.variable = text(side, "variable");
    return d;
}

Activity activity(const json &a) {
    Activity out;
    out.id = text(a, "id");
    out.name = text(a, "name");
    out.description = text(a, "description");
    const std::string kind = text(a, "kind");
    if (kind == "monitor") out.kind = Kind::monitor;
    else if (kind == "control") out.kind = Kind::control;
    else if (kind == "operational") out.kind = Kind::operational;
    else if (flag(a, "monitoring").value_or(false)) out.kind = Kind::monitor_and_control;
    out.takes_input = flag(a, "takes_input").value_or(false);
    out.reflects = strings(a, "reflects");
    if (a.is_object() && a.contains("monitors")) {
        out.monitors_all = false;
        out.monitors = strings(a, "monitors");
    }
    return out;
}

ActivityModel activity_model(const json &m, const std::map<std::string, Actor> &actors) {
    ActivityModel out;
    out.id = text(m, "id");
    out.name = text(m, "name");
    out.kind = text(m, "kind");
    if (m.contains("root_definition")) {
        const json &rd = m["root_definition"];
        out.rd_text = text(rd, "text");
        out.p = text(rd, "p");
        out.q = text(rd, "q");
        out.r = text(rd, "r");
    }
    if (m.contains("catwoe") && m["catwoe"].is_object()) {
        const json &c = m["catwoe"];
        out.has_catwoe = true;
        out.customers = parties(c, "customers", actors);
        out.actors = parties(c, "actors", actors);
        out.owners = parties(c, "owners", actors);
        out.worldview = text(c, "worldview");
        if (c.contains("transformation") && c["transformation"].is_object()) {
            const json &t = c["transformation"];
            out.t.present = true;
            out.t.input = text(t, "input");
            out.t.output = text(t, "output");
            out.t.in = detail(t, "input_detail");
            out.t.out = detail(t, "output_detail");
        }
        for (const json &e : array_of(c, "environment")) out.environment.push_back({text(e, "text"), strings(e, "variables")});
    }
    out.worldview_record = text(m, "worldview_record");
    for (const json &a : array_of(m, "activities")) out.activities.push_back(activity(a));
    for (const json &d : array_of(m, "dependencies")) out.dependencies.push_back({text(d, "from"), text(d, "to")});
    for (const json &e : array_of(m, "measures"))
        out.measures.push_back({text(e, "id"), text(e, "e"), text(e, "criterion"), text(e, "indicator")});
    for (const json &r : array_of(m, "comparison")) {
        Row row{text(r, "activity"), text(r, "exists"), text(r, "how"), text(r, "who"), text(r, "judged"),
                text(r, "alternatives"), text(r, "change"), flag(r, "desirable"), flag(r, "feasible")};
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
    for (const json &c : array_of(m, "changes")) {
        Change change;
        change.id = text(c, "id");
        change.text = text(c, "text");
        change.status = text(c, "status");
        change.rationale = text(c, "rationale");
        change.rows = strings(c, "rows");
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
    inquiry.name = text(document, "name");
    for (const json &a : array_of(document, "actors")) {
        Actor actor{text(a, "id"), text(a, "name"), rating(a, "power")};
        inquiry.actors[actor.id] = actor;
    }
    for (const json &v : array_of(document, "variables")) {
        Variable variable{text(v, "id"), text(v, "name"), text(v, "kind")};
        inquiry.variables[variable.id] = variable;
    }
    for (const json &l : array_of(document, "links")) inquiry.successors[text(l, "from")].push_back(text(l, "to"));
    for (const json &b : array_of(document, "boundary")) {
        BoundaryRecord record;
        record.id = text(b, "id");
        record.framework = text(b, "framework");
        if (record.framework.empty()) record.framework = "csh";
        record.mode = text(b, "mode");
        record.answer = text(b, "answer");
        if (b.contains("category") && b["category"].is_number_integer()) record.category = b["category"].get<int>();
        if (b.contains("perspective")) {
            record.perspective_actor = text(b["perspective"], "actor");
            record.perspective_name = text(b["perspective"], "name");
        }
        inquiry.boundary.push_back(std::move(record));
    }
    for (const json &i : array_of(document, "indicators")) inquiry.indicators[text(i, "id")] = text(i, "name");
    for (const json &m : array_of(document, "activity_models")) inquiry.models.push_back(activity_model(m, inquiry.actors));
    return inquiry;
}

} // namespace holon_ssm::model
