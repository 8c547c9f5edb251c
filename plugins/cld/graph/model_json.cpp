#include "graph/model_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace holon_cld {
namespace {

using nlohmann::json;

const json *member(const json &object, const char *key) {
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

std::string required_string(const json &object, const char *key, const std::string &pointer) {
    const json *value = member(object, key);
    if (!value) throw ModelError("missing '" + std::string(key) + "'", pointer);
    if (!value->is_string()) throw ModelError("'" + std::string(key) + "' must be a string", pointer + "/" + key);
    return value->get<std::string>();
}

std::string optional_string(const json &object, const char *key, const std::string &pointer) {
    const json *value = member(object, key);
    if (!value || value->is_null()) return {};
    if (!value->is_string()) throw ModelError("'" + std::string(key) + "' must be a string", pointer + "/" + key);
    return value->get<std::string>();
}

void read_variables(const json &doc, CausalGraph &graph) {
    const json *variables = member(doc, "variables");
    if (!variables) return;
    if (!variables->is_array()) throw ModelError("'variables' must be an array", "/variables");
    for (std::size_t i = 0; i < variables->size(); ++i) {
        const std::string pointer = "/variables/" + std::to_string(i);
        const json &v = (*variables)[i];
        if (!v.is_object()) throw ModelError("a variable must be an object", pointer);
        Variable variable;
        variable.id = required_string(v, "id", pointer);
        variable.name = optional_string(v, "name", pointer);
        if (variable.name.empty()) variable.name = variable.id;
        variable.kind = optional_string(v, "kind", pointer);
        variable.units = optional_string(v, "units", pointer);
        try {
            graph.add_variable(std::move(variable));
        } catch (const GraphError &e) {
            throw ModelError(e.what(), pointer + "/id");
        }
    }
}

void read_links(const json &doc, CausalGraph &graph) {
    const json *links = member(doc, "links");
    if (!links) return;
    if (!links->is_array()) throw ModelError("'links' must be an array", "/links");
    for (std::size_t i = 0; i < links->size(); ++i) {
        const std::string pointer = "/links/" + std::to_string(i);
        const json &l = (*links)[i];
        if (!l.is_object()) throw ModelError("a link must be an object", pointer);
        std::string id = optional_string(l, "id", pointer);
        if (id.empty()) id = "link" + std::to_string(i + 1);
        const std::string from = required_string(l, "from", pointer);
        const std::string to = required_string(l, "to", pointer);
        Polarity polarity = Polarity::unknown;
        if (const std::string text = optional_string(l, "polarity", pointer); !text.empty()) {
            const auto parsed = parse_polarity(text);
            if (!parsed) throw ModelError("polarity must be \"+\", \"-\" or \"?\", not \"" + text + "\"", pointer + "/polarity");
            polarity = *parsed;
        }
        bool delay = false;
        if (const json *d = member(l, "delay"); d && !d->is_null()) {
            if (!d->is_boolean()) throw ModelError("'delay' must be true or false", pointer + "/delay");
            delay = d->get<bool>();
        }
        std::optional<double> weight;
        if (const json *w = member(l, "weight"); w && !w->is_null()) {
            if (!w->is_number()) throw ModelError("'weight' must be a number", pointer + "/weight");
            weight = w->get<double>();
        }
        if (!graph.find_variable(from)) throw ModelError("unknown variable '" + from + "'", pointer + "/from");
        if (!graph.find_variable(to)) throw ModelError("unknown variable '" + to + "'", pointer + "/to");
        try {
            graph.add_link(std::move(id), from, to, polarity, delay, weight);
        } catch (const GraphError &e) {
            throw ModelError(e.what(), pointer + "/id");
        }
    }
}

} // namespace

CausalGraph read_model(std::string_view model_json) {
    json doc = json::parse(model_json.begin(), model_json.end(), nullptr, false);
    if (doc.is_discarded()) throw ModelError("the model is not valid JSON", "");
    if (!doc.is_object()) throw ModelError("the model must be a JSON object", "");
    CausalGraph graph;
    read_variables(doc, graph);
    read_links(doc, graph);
    return graph;
}

std::string write_model(const CausalGraph &graph, const ModelHeader &header) {
    json variables = json::array();
    for (const Variable &v : graph.variables()) {
        json variable = {{"id", v.id}, {"name", v.name.empty() ? v.id : v.name}, {"kind", v.kind.empty() ? "factor" : v.kind}};
        if (!v.units.empty()) variable["units"] = v.units;
        variables.push_back(std::move(variable));
    }
    json links = json::array();
    for (const Link &l : graph.links()) {
        json out = {{"id", l.id},
                    {"from", graph.variables()[l.from].id},
                    {"to", graph.variables()[l.to].id},
                    {"polarity", std::string(polarity_symbol(l.polarity))},
                    {"delay", l.delay}};
        if (l.weight) out["weight"] = *l.weight;
        if (!header.asserted_by.empty()) out["provenance"] = {{"asserted_by", header.asserted_by}, {"method", header.method}};
        links.push_back(std::move(out));
    }
    json doc = {{"format", "holon-model/1"},
                {"id", header.id},
                {"name", header.name},
                {"variables", std::move(variables)},
                {"links", std::move(links)}};
    return doc.dump(2);
}

bool is_model_id(const std::string &id) {
    if (id.empty() || id.size() > 128) return false;
    const auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
    if (!letter(id.front())) return false;
    return std::all_of(id.begin(), id.end(), [&](char c) {
        return letter(c) || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' || c == '-';
    });
}

std::string model_id(const std::string &raw, const std::string &prefix, std::set<std::string> &taken) {
    std::string id;
    if (is_model_id(raw)) {
        id = raw;
    } else {
        for (char c : raw) {
            const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                            c == '.' || c == ':' || c == '-';
            id += ok ? c : '-';
        }
        if (id.empty() || !((id.front() >= 'A' && id.front() <= 'Z') || (id.front() >= 'a' && id.front() <= 'z')))
            id = prefix + id;
        if (id.size() > 120) id.resize(120);
    }
    const std::string base = id;
    for (std::size_t n = 2; taken.count(id); ++n) id = base + "-" + std::to_string(n);
    taken.insert(id);
    return id;
}

} // namespace holon_cld
