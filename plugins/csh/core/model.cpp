#include "core/model.hpp"

#include "reading/json_members.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace holon_csh {
namespace {

using nlohmann::json;

using holon_plugins::reading::array_or_empty;
using holon_plugins::reading::string_or_empty;
using holon_plugins::reading::strings_of;

[[noreturn]] void refuse(const std::string &pointer, const std::string &message) {
    throw std::invalid_argument(pointer + ": " + message);
}

// Every provenance object below `node` (scenario matrices keep one per cell and one per matrix).
void collect_provenance(const json &node, const std::string &pointer, std::vector<Judgement> &out) {
    if (node.is_object()) {
        for (const auto &[key, value] : node.items()) {
            if (key == "provenance" && value.is_object()) {
                const std::string who = string_or_empty(value, "asserted_by");
                if (!who.empty()) out.push_back({pointer, who});
            } else {
                collect_provenance(value, pointer + "/" + key, out);
            }
        }
    } else if (node.is_array()) {
        for (std::size_t i = 0; i < node.size(); ++i) collect_provenance(node[i], pointer + "/" + std::to_string(i), out);
    }
}

} // namespace

void Model::index() {
    actor_at.clear();
    variable_at.clear();
    link_at.clear();
    indicator_at.clear();
    for (std::size_t i = 0; i < actors.size(); ++i) actor_at.emplace(actors[i].id, i);
    for (std::size_t i = 0; i < variables.size(); ++i) variable_at.emplace(variables[i].id, i);
    for (std::size_t i = 0; i < links.size(); ++i) link_at.emplace(links[i].id, i);
    for (std::size_t i = 0; i < indicators.size(); ++i) indicator_at.emplace(indicators[i].id, i);
}

std::string Model::name_of(const Ref &ref) const {
    auto find = [&](const std::map<std::string, std::size_t> &at, auto &list) -> std::string {
        const auto it = at.find(ref.id);
        return it == at.end() ? ref.id : list[it->second].name;
    };
    if (ref.type == "actor") return find(actor_at, actors);
    if (ref.type == "variable") return find(variable_at, variables);
    if (ref.type == "indicator") return find(indicator_at, indicators);
    if (ref.type == "link") {
        const auto it = link_at.find(ref.id);
        if (it == link_at.end()) return ref.id;
        const Link &l = links[it->second];
        return name_of({"variable", l.from}) + " \u2192 " + name_of({"variable", l.to});
    }
    return ref.id;
}

std::string Model::label(const Ref &ref) const {
    const std::string name = name_of(ref);
    return name == ref.id ? ref.id : name + " (" + ref.id + ")";
}

Model read_model(const json &doc) {
    if (!doc.is_object()) refuse("", "the model must be a JSON object");
    Model m;
    const json &actors = array_or_empty(doc, "actors");
    for (std::size_t i = 0; i < actors.size(); ++i) {
        Actor a{string_or_empty(actors[i], "id"), string_or_empty(actors[i], "name"), strings_of(actors[i], "affected_by")};
        if (a.id.empty()) refuse("/actors/" + std::to_string(i) + "/id", "every actor needs an id");
        if (a.name.empty()) a.name = a.id;
        m.actors.push_back(std::move(a));
    }
    const json &variables = array_or_empty(doc, "variables");
    for (std::size_t i = 0; i < variables.size(); ++i) {
        const json &v = variables[i];
        Variable var{string_or_empty(v, "id"), string_or_empty(v, "name"), string_or_empty(v, "kind"),
                     !string_or_empty(v, "equation").empty()};
        if (var.id.empty()) refuse("/variables/" + std::to_string(i) + "/id", "every variable needs an id");
        if (var.name.empty()) var.name = var.id;
        m.variables.push_back(std::move(var));
        if (v.contains("provenance"))
            collect_provenance(json{{"provenance", v["provenance"]}}, "/variables/" + std::to_string(i), m.judgements);
    }
    const json &links = array_or_empty(doc, "links");
    for (std::size_t i = 0; i < links.size(); ++i) {
        const json &l = links[i];
        Link link{string_or_empty(l, "id"), string_or_empty(l, "from"), string_or_empty(l, "to"), std::nullopt, std::nullopt};
        if (const auto p = l.find("provenance"); p != l.end() && p->is_object()) {
            const std::string who = string_or_empty(*p, "asserted_by");
            if (!who.empty()) {
                link.asserted_by = who;
                m.judgements.push_back({"/links/" + std::to_string(i), who});
            }
            if (const auto c = p->find("confidence"); c != p->end() && c->is_number()) link.confidence = c->get<double>();
        }
        m.links.push_back(std::move(link));
    }
    const json &indicators = array_or_empty(doc, "indicators");
    for (const json &ind : indicators)
        m.indicators.push_back({string_or_empty(ind, "id"), string_or_empty(ind, "name"), strings_of(ind, "variables")});
    for (auto &ind : m.indicators)
        if (ind.name.empty()) ind.name = ind.id;
    collect_provenance(array_or_empty(doc, "scenario_sets"), "/scenario_sets", m.judgements);
    m.index();

    std::map<std::string, std::size_t> perspective_at;
    auto perspective_of = [&](const json &record) {
        Perspective p;
        const json party = record.is_object() && record.contains("perspective") ? record["perspective"] : json();
        p.actor = string_or_empty(party, "actor");
        const std::string name = string_or_empty(party, "name");
        if (!p.actor.empty()) {
            p.key = p.actor;
            const auto it = m.actor_at.find(p.actor);
            p.name = it != m.actor_at.end() ? m.actors[it->second].name : (name.empty() ? p.actor : name);
        } else if (!name.empty()) {
            p.key = "name:" + name;
            p.name = name;
        } else {
            p.key = "unattributed";
            p.name = "Unattributed";
        }
        const auto [it, inserted] = perspective_at.emplace(p.key, m.perspectives.size());
        if (inserted) m.perspectives.push_back(std::move(p));
        return it->second;
    };

    const json &boundary = array_or_empty(doc, "boundary");
    for (std::size_t i = 0; i < boundary.size(); ++i) {
        const json &b = boundary[i];
        const std::string pointer = "/boundary/" + std::to_string(i);
        const std::string framework = string_or_empty(b, "framework");
        if (!framework.empty() && framework != "csh") continue;
        Record r;
        r.id = string_or_empty(b, "id");
        r.index = i;
        const auto category = b.is_object() ? b.find("category") : b.end();
        if (!b.is_object() || category == b.end() || !category->is_number_integer() || category->get<int>() < 1 ||
            category->get<int>() > category_count)
            refuse(pointer + "/category", "a CSH record needs a category from 1 to 12");
        r.category = category->get<int>();
        const std::string mode = string_or_empty(b, "mode");
        if (mode != "is" && mode != "ought") refuse(pointer + "/mode", "a CSH record needs mode \"is\" or \"ought\"");
        r.mode = mode == "is" ? Mode::is : Mode::ought;
        r.perspective = perspective_of(b);
        r.answer = string_or_empty(b, "answer");
        r.declared_gap = string_or_empty(b, "gap");
        const json refs = b.contains("refs") ? b["refs"] : json::object();
        const std::pair<const char *, const char *> kinds[] = {
            {"actors", "actor"}, {"variables", "variable"}, {"links", "link"}, {"indicators", "indicator"}};
        for (const auto &[key, type] : kinds) {
            const auto &at = std::string(type) == "actor"      ? m.actor_at
                             : std::string(type) == "variable" ? m.variable_at
                             : std::string(type) == "link"     ? m.link_at
                                                               : m.indicator_at;
            const json &list = array_or_empty(refs, key);
            for (std::size_t k = 0; k < list.size(); ++k) {
                const std::string id = list[k].is_string() ? list[k].get<std::string>() : std::string();
                if (!at.contains(id))
                    refuse(pointer + "/refs/" + key + "/" + std::to_string(k), "unknown " + std::string(type) + " '" + id + "'");
                r.refs.insert({type, id});
            }
        }
        m.records.push_back(std::move(r));
    }
    return m;
}

} // namespace holon_csh
