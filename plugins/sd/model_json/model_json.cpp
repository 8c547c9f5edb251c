#include "model_json/model_json.hpp"

#include "compile/dependencies.hpp"
#include "ir/error.hpp"
#include "ir/names.hpp"

#include <nlohmann/json.hpp>

#include <limits>

#include <cstdint>
#include <cstdio>
#include <map>
#include <set>

namespace holon::sd {

using nlohmann::json;

namespace {

// The shared model allows ids of at most 128 characters: a longer id keeps its first 111 and
// gains a hash of the whole (FNV-1a, 16 hex digits) so that ids stay distinct.
std::string bounded_id(std::string id) {
    if (id.size() <= 128) return id;
    uint64_t h = 14695981039346656037ull;
    for (char c : id) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return id.substr(0, 111) + "_" + hex;
}

} // namespace

std::string slug(std::string_view name) {
    std::string out;
    bool gap = false;
    for (char c : name) {
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
        if (!alnum) {
            gap = !out.empty();
            continue;
        }
        if (gap) out += '_';
        gap = false;
        out += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    if (out.empty()) return "v";
    return bounded_id(std::move(out));
}

namespace {

json gf_json(const GraphicalFunction &gf) {
    json j{{"type", to_string(gf.type)}, {"x", gf.xs}, {"y", gf.ys}};
    if (gf.xscale) j["xscale"] = {{"min", gf.xscale->min}, {"max", gf.xscale->max}};
    if (gf.yscale) j["yscale"] = {{"min", gf.yscale->min}, {"max", gf.yscale->max}};
    return j;
}

GraphicalFunction gf_from(const json &j, const std::string &variable) {
    GraphicalFunction gf;
    if (j.contains("type")) {
        auto t = graphical_function_type_from_string(j.at("type").get<std::string>());
        if (!t) throw ModelError("variable '" + variable + "': unknown graphical function type", variable);
        gf.type = *t;
    }
    gf.xs = j.at("x").get<std::vector<double>>();
    // A Vensim :RAW: data series has no value between its points (NaN), which JSON writes as null.
    for (const json &y : j.at("y")) gf.ys.push_back(y.is_null() ? std::numeric_limits<double>::quiet_NaN() : y.get<double>());
    if (gf.xs.size() != gf.ys.size() || gf.xs.empty())
        throw ModelError("variable '" + variable + "': graphical function x and y differ in length", variable);
    if (j.contains("xscale")) gf.xscale = Scale{j["xscale"].at("min").get<double>(), j["xscale"].at("max").get<double>()};
    if (j.contains("yscale")) gf.yscale = Scale{j["yscale"].at("min").get<double>(), j["yscale"].at("max").get<double>()};
    return gf;
}

std::string string_or_empty(const json &j, const char *key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace

std::string to_model_json(const Model &m, std::string_view source_format) {
    json doc;
    doc["format"] = "holon-model/1";
    doc["id"] = slug(m.name.empty() ? "model" : m.name);
    doc["name"] = m.name;
    std::map<std::string, std::string> ids; // canonical name -> id
    std::set<std::string> used;
    json vars = json::array();
    for (const Variable &v : m.variables) {
        std::string id = slug(v.name);
        for (int k = 2; used.count(id); ++k) id = slug(v.name) + "_" + std::to_string(k);
        used.insert(id);
        ids[canonical_name(v.name)] = id;
        json sd = json::object();
        if (v.kind == VariableKind::stock) {
            sd["inflows"] = v.inflows;
            sd["outflows"] = v.outflows;
        }
        if (v.kind != VariableKind::aux) sd["non_negative"] = v.non_negative;
        if (v.gf) sd["gf"] = gf_json(*v.gf);
        if (!v.dimensions.empty()) sd["dimensions"] = v.dimensions;
        if (!v.elements.empty()) {
            json els = json::array();
            for (const ElementEquation &e : v.elements) {
                json ej{{"subscripts", e.subscripts}, {"equation", e.equation}};
                if (e.gf) ej["gf"] = gf_json(*e.gf);
                els.push_back(ej);
            }
            sd["elements"] = els;
        }
        vars.push_back({{"id", id},
                        {"name", v.name},
                        {"kind", to_string(v.kind)},
                        {"units", v.units},
                        {"equation", v.equation},
                        {"documentation", v.documentation},
                        {"sd", sd}});
    }
    doc["variables"] = vars;
    json links = json::array();
    for (const Dependency &d : dependencies(m)) {
        auto from = ids.find(canonical_name(d.from));
        auto to = ids.find(canonical_name(d.to));
        if (from == ids.end() || to == ids.end()) continue;
        links.push_back({{"id", bounded_id("l_" + from->second + "__" + to->second)},
                         {"from", from->second},
                         {"to", to->second},
                         {"polarity", std::string(1, d.polarity)}});
    }
    doc["links"] = links;
    json specs{{"start", m.sim_specs.start},
               {"stop", m.sim_specs.stop},
               {"dt", m.sim_specs.dt},
               {"method", to_string(m.sim_specs.method)},
               {"time_units", m.sim_specs.time_units}};
    if (m.sim_specs.save_step) specs["save_step"] = *m.sim_specs.save_step;
    if (!m.sim_specs.dt_variable.empty()) specs["dt_variable"] = m.sim_specs.dt_variable;
    if (!m.sim_specs.stop_variable.empty()) specs["stop_variable"] = m.sim_specs.stop_variable;
    if (!m.sim_specs.save_step_variable.empty()) specs["save_step_variable"] = m.sim_specs.save_step_variable;
    json dims = json::array();
    for (const Dimension &d : m.dimensions) dims.push_back({{"name", d.name}, {"elements", d.elements}});
    doc["methods"] = {{"sd", {{"sim_specs", specs}, {"dimensions", dims}, {"source_format", source_format}}}};
    if (!m.views.empty()) {
        json views = json::array();
        for (const View &v : m.views) {
            json els = json::array(), links = json::array();
            for (const ViewElement &e : v.elements)
                els.push_back({{"id", e.id}, {"type", e.type}, {"name", e.name}, {"x", e.x}, {"y", e.y},
                               {"width", e.width}, {"height", e.height}});
            for (const ViewLink &l : v.links) {
                json pts = json::array();
                for (const auto &[x, y] : l.points) pts.push_back({x, y});
                links.push_back({{"id", l.id}, {"from", l.from}, {"to", l.to}, {"points", pts}});
            }
            views.push_back({{"name", v.name}, {"elements", els}, {"links", links}});
        }
        doc["methods"]["sd"]["views"] = views;
    }
    return doc.dump(2);
}

Model from_model_json(std::string_view text) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::exception &e) {
        throw ModelError(std::string("model JSON: ") + e.what());
    }
    try {
        if (!doc.is_object()) throw ModelError("model JSON: not an object");
        Model m;
        m.name = string_or_empty(doc, "name");
        const json *sd = nullptr;
        if (doc.contains("methods") && doc["methods"].is_object() && doc["methods"].contains("sd")) sd = &doc["methods"]["sd"];
        if (sd && sd->contains("sim_specs")) {
            const json &s = (*sd)["sim_specs"];
            if (s.contains("start")) m.sim_specs.start = s["start"].get<double>();
            if (s.contains("stop")) m.sim_specs.stop = s["stop"].get<double>();
            if (s.contains("dt")) m.sim_specs.dt = s["dt"].get<double>();
            if (s.contains("save_step")) m.sim_specs.save_step = s["save_step"].get<double>();
            m.sim_specs.dt_variable = string_or_empty(s, "dt_variable");
            m.sim_specs.stop_variable = string_or_empty(s, "stop_variable");
            m.sim_specs.save_step_variable = string_or_empty(s, "save_step_variable");
            if (s.contains("method")) {
                auto method = integration_method_from_string(s["method"].get<std::string>());
                if (!method) throw ModelError("model JSON: unknown integration method");
                m.sim_specs.method = *method;
            }
            m.sim_specs.time_units = string_or_empty(s, "time_units");
        }
        if (sd && sd->contains("dimensions"))
            for (const json &d : (*sd)["dimensions"])
                m.dimensions.push_back(Dimension{d.at("name").get<std::string>(), d.at("elements").get<std::vector<std::string>>()});
        if (sd && sd->contains("views"))
            for (const json &vj : (*sd)["views"]) {
                View v;
                v.name = string_or_empty(vj, "name");
                for (const json &e : vj.value("elements", json::array()))
                    v.elements.push_back(ViewElement{e.value("id", 0), e.value("type", 0), e.value("name", std::string()),
                                                     e.value("x", 0.0), e.value("y", 0.0), e.value("width", 0.0),
                                                     e.value("height", 0.0)});
                for (const json &l : vj.value("links", json::array())) {
                    ViewLink link{l.value("id", 0), l.value("from", 0), l.value("to", 0), {}};
                    for (const json &p : l.value("points", json::array()))
                        if (p.is_array() && p.size() == 2) link.points.emplace_back(p[0].get<double>(), p[1].get<double>());
                    v.links.push_back(std::move(link));
                }
                m.views.push_back(std::move(v));
            }
        if (doc.contains("variables")) {
            for (const json &vj : doc["variables"]) {
                Variable v;
                v.name = vj.at("name").get<std::string>();
                v.equation = string_or_empty(vj, "equation");
                auto kind = variable_kind_from_string(string_or_empty(vj, "kind"));
                const json *vsd = vj.contains("sd") && vj["sd"].is_object() ? &vj["sd"] : nullptr;
                if (!kind) {
                    if (v.equation.empty() && !(vsd && vsd->contains("elements"))) continue;
                    kind = VariableKind::aux;
                }
                v.kind = *kind;
                v.units = string_or_empty(vj, "units");
                v.documentation = string_or_empty(vj, "documentation");
                if (vsd) {
                    if (vsd->contains("inflows")) v.inflows = (*vsd)["inflows"].get<std::vector<std::string>>();
                    if (vsd->contains("outflows")) v.outflows = (*vsd)["outflows"].get<std::vector<std::string>>();
                    if (vsd->contains("non_negative")) v.non_negative = (*vsd)["non_negative"].get<bool>();
                    if (vsd->contains("gf")) v.gf = gf_from((*vsd)["gf"], v.name);
                    if (vsd->contains("dimensions")) v.dimensions = (*vsd)["dimensions"].get<std::vector<std::string>>();
                    if (vsd->contains("elements"))
                        for (const json &ej : (*vsd)["elements"]) {
                            ElementEquation e;
                            e.subscripts = ej.at("subscripts").get<std::vector<std::string>>();
                            e.equation = string_or_empty(ej, "equation");
                            if (ej.contains("gf")) e.gf = gf_from(ej["gf"], v.name);
                            v.elements.push_back(std::move(e));
                        }
                }
                m.variables.push_back(std::move(v));
            }
        }
        return m;
    } catch (const json::exception &e) {
        throw ModelError(std::string("model JSON: ") + e.what());
    }
}

} // namespace holon::sd
