#include "formats/kumu.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <unordered_map>

namespace holon_cld {

using nlohmann::json;

std::string write_kumu(const CausalGraph &graph) {
    std::set<std::string> labels;
    bool unique_labels = true;
    for (const Variable &v : graph.variables()) unique_labels = labels.insert(v.name).second && unique_labels;
    json elements = json::array();
    for (const Variable &v : graph.variables()) {
        json e = {{"id", v.id}, {"label", v.name}};
        if (!v.kind.empty()) e["type"] = v.kind;
        elements.push_back(std::move(e));
    }
    json connections = json::array();
    for (const Link &l : graph.links()) {
        const Variable &from = graph.variables()[l.from];
        const Variable &to = graph.variables()[l.to];
        json c = {{"id", l.id},
                  {"from", unique_labels ? from.name : from.id},
                  {"to", unique_labels ? to.name : to.id},
                  {"type", std::string(polarity_symbol(l.polarity))},
                  {"direction", "directed"},
                  {"delay", l.delay}};
        if (l.weight) c["weight"] = *l.weight;
        connections.push_back(std::move(c));
    }
    return json{{"elements", std::move(elements)}, {"connections", std::move(connections)}}.dump(2);
}

namespace {

std::pair<std::uint64_t, std::uint64_t> line_and_column(std::string_view text, std::size_t byte) {
    std::uint64_t line = 1, column = 1;
    for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

// A field of a Kumu object, looked up directly and inside its "attributes".
const json *field(const json &object, std::initializer_list<const char *> names) {
    for (const char *n : names) {
        if (auto it = object.find(n); it != object.end() && !it->is_null()) return &*it;
        if (auto a = object.find("attributes"); a != object.end() && a->is_object())
            if (auto it = a->find(n); it != a->end() && !it->is_null()) return &*it;
    }
    return nullptr;
}

std::string text_of(const json *value) {
    if (!value) return {};
    if (value->is_string()) return value->get<std::string>();
    if (value->is_number() || value->is_boolean()) return value->dump();
    return {};
}

bool truthy(const json *value) {
    if (!value) return false;
    if (value->is_boolean()) return value->get<bool>();
    const std::string t = text_of(value);
    return t == "true" || t == "yes" || t == "1";
}

} // namespace

Imported read_kumu(std::string_view json_text, std::size_t max_bytes) {
    if (json_text.size() > max_bytes) throw ImportError("the Kumu document is larger than " + std::to_string(max_bytes) + " bytes");
    json doc;
    try {
        doc = json::parse(json_text.begin(), json_text.end());
    } catch (const json::parse_error &e) {
        const auto [line, column] = line_and_column(json_text, e.byte > 0 ? e.byte - 1 : 0);
        throw ImportError("malformed JSON", line, column);
    }
    if (!doc.is_object()) throw ImportError("a Kumu blueprint is a JSON object with \"elements\" and \"connections\"");
    Imported result;
    std::unordered_map<std::string, std::string> id_of_label;
    std::set<std::string> used_ids;
    if (auto elements = doc.find("elements"); elements != doc.end()) {
        if (!elements->is_array()) throw ImportError("\"elements\" must be an array");
        for (std::size_t i = 0; i < elements->size(); ++i) {
            const json &e = (*elements)[i];
            const std::string where = "elements[" + std::to_string(i) + "]";
            if (!e.is_object()) throw ImportError(where + " is not an object");
            const std::string label = text_of(field(e, {"label"}));
            if (label.empty()) throw ImportError(where + " has no label");
            std::string id = text_of(field(e, {"id", "_id"}));
            if (id.empty()) {
                const std::string base = id_from_label(label);
                id = base;
                for (int n = 2; used_ids.count(id); ++n) id = base + "-" + std::to_string(n);
            }
            if (!used_ids.insert(id).second) throw ImportError(where + " repeats the id '" + id + "'");
            if (!id_of_label.emplace(label, id).second)
                result.warnings.push_back("several elements are labelled '" + label + "'; connections by label use the first");
            result.graph.add_variable(Variable{id, label, text_of(field(e, {"kind", "type", "element type"})), ""});
        }
    }
    auto resolve = [&](const std::string &ref, const std::string &where) {
        if (result.graph.find_variable(ref)) return ref;
        if (auto it = id_of_label.find(ref); it != id_of_label.end()) return it->second;
        throw ImportError(where + " refers to an unknown element '" + ref + "'");
    };
    if (auto connections = doc.find("connections"); connections != doc.end()) {
        if (!connections->is_array()) throw ImportError("\"connections\" must be an array");
        for (std::size_t i = 0; i < connections->size(); ++i) {
            const json &c = (*connections)[i];
            const std::string where = "connections[" + std::to_string(i) + "]";
            if (!c.is_object()) throw ImportError(where + " is not an object");
            const std::string from = resolve(text_of(field(c, {"from"})), where);
            const std::string to = resolve(text_of(field(c, {"to"})), where);
            const std::string polarity_text = text_of(field(c, {"polarity", "connection type", "type", "sign"}));
            Polarity polarity = Polarity::unknown;
            if (!polarity_text.empty()) {
                if (auto p = parse_polarity(polarity_text)) polarity = *p;
                else if (polarity_text == "positive") polarity = Polarity::positive;
                else if (polarity_text == "negative") polarity = Polarity::negative;
                else result.warnings.push_back(where + ": type '" + polarity_text + "' is not a polarity; imported as ?");
            }
            std::optional<double> weight;
            if (const json *w = field(c, {"weight", "strength"})) {
                if (w->is_number()) weight = w->get<double>();
                else throw ImportError(where + ": weight must be a number");
            }
            std::string id = text_of(field(c, {"id", "_id"}));
            if (id.empty()) id = numbered_id("c", i + 1);
            const bool delay = truthy(field(c, {"delay"}));
            const std::string direction = text_of(field(c, {"direction"}));
            try {
                result.graph.add_link(id, from, to, polarity, delay, weight);
                if (direction == "mutual") result.graph.add_link(id + "-back", to, from, polarity, delay, weight);
                else if (direction == "undirected")
                    result.warnings.push_back(where + " is undirected; imported as " + from + " -> " + to);
            } catch (const GraphError &e) {
                throw ImportError(where + ": " + e.what());
            }
        }
    }
    return result;
}

} // namespace holon_cld
