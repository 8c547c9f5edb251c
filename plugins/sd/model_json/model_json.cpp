#include "model_json/model_json.hpp"

#include "ir/error.hpp"
#include "ir/names.hpp"
#include "sketch/sketch.hpp"
#include "structure/dependencies.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <set>

namespace holon_sd {

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
    if (out[0] >= '0' && out[0] <= '9') out = "v_" + out;
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

json points_json(const std::vector<std::pair<double, double>> &points) {
    json pts = json::array();
    for (const auto &[x, y] : points) pts.push_back({x, y});
    return pts;
}

std::vector<std::pair<double, double>> points_from(const json &j) {
    std::vector<std::pair<double, double>> out;
    for (const json &p : j.value("points", json::array()))
        if (p.is_array() && p.size() == 2) out.emplace_back(p[0].get<double>(), p[1].get<double>());
    return out;
}

json views_json(const std::vector<View> &views) {
    json out = json::array();
    for (const View &v : views) {
        json els = json::array(), links = json::array();
        for (const ViewElement &e : v.elements) {
            json ej{{"id", e.id}, {"kind", to_string(e.kind)}, {"name", e.name}, {"x", e.x},
                    {"y", e.y},   {"width", e.width},          {"height", e.height}};
            if (!e.label_side.empty()) ej["label_side"] = e.label_side;
            if (!e.points.empty()) ej["points"] = points_json(e.points);
            els.push_back(ej);
        }
        for (const ViewLink &l : v.links) {
            json lj{{"id", l.id}, {"from", l.from}, {"to", l.to}, {"points", points_json(l.points)}};
            if (l.angle) lj["angle"] = *l.angle;
            links.push_back(lj);
        }
        json vj{{"name", v.name}, {"elements", els}, {"links", links}};
        if (v.width > 0) vj["width"] = v.width;
        if (v.height > 0) vj["height"] = v.height;
        out.push_back(vj);
    }
    return out;
}

// An integer field of a diagram (ids, Vensim record types); 0 when absent. A number outside int's
// range or with a fraction is refused: converting it would be undefined behaviour, not an error.
int int_field(const json &j, const char *key) {
    if (!j.is_object() || !j.contains(key)) return 0;
    const json &v = j[key];
    if (v.is_number_integer()) {
        const auto n = v.get<long long>();
        if (n >= std::numeric_limits<int>::min() && n <= std::numeric_limits<int>::max()) return static_cast<int>(n);
    } else if (v.is_number_unsigned()) {
        if (v.get<unsigned long long>() <= static_cast<unsigned long long>(std::numeric_limits<int>::max())) return v.get<int>();
    } else if (v.is_number_float()) {
        const double d = v.get<double>();
        if (std::trunc(d) == d && d >= std::numeric_limits<int>::min() && d <= std::numeric_limits<int>::max())
            return static_cast<int>(d);
    }
    throw ModelError(std::string("model JSON: a view's '") + key + "' must be an integer that fits in 32 bits, not " + v.dump());
}

// Models stored before views held XMILE diagrams kept Vensim's own records: "type" 10 (variable),
// 11 (valve) or 12 (cloud or comment), half extents, and pipes as links. They are read through
// the same conversion as a fresh .mdl sketch, the model's variables deciding the kinds.
View legacy_view(const json &vj, const std::vector<Variable> &variables) {
    std::vector<SketchObject> objects;
    std::vector<SketchArrow> arrows;
    for (const json &e : vj.value("elements", json::array())) {
        SketchObject o;
        o.type = int_field(e, "type");
        o.id = int_field(e, "id");
        o.name = e.value("name", std::string());
        o.x = e.value("x", 0.0);
        o.y = e.value("y", 0.0);
        o.half_width = e.value("width", 0.0);
        o.half_height = e.value("height", 0.0);
        o.cloud = o.type == 12; // the old form kept no comment text
        objects.push_back(std::move(o));
    }
    for (const json &l : vj.value("links", json::array()))
        arrows.push_back(SketchArrow{int_field(l, "id"), int_field(l, "from"), int_field(l, "to"), 0, points_from(l)});
    std::map<std::string, VariableKind> kinds;
    for (const Variable &v : variables) kinds.emplace(canonical_name(v.name), v.kind);
    auto kind_of = [&kinds](const std::string &name) -> std::optional<VariableKind> {
        auto it = kinds.find(canonical_name(name));
        if (it == kinds.end()) return std::nullopt;
        return it->second;
    };
    return view_from_sketch(string_or_empty(vj, "name"), objects, arrows, kind_of);
}

std::vector<View> views_from(const json &views, const std::vector<Variable> &variables) {
    std::vector<View> out;
    for (const json &vj : views) {
        const json els = vj.value("elements", json::array());
        bool legacy = !els.empty() && els.front().contains("type") && !els.front().contains("kind");
        if (legacy) {
            out.push_back(legacy_view(vj, variables));
            continue;
        }
        View v;
        v.name = string_or_empty(vj, "name");
        v.width = vj.value("width", 0.0);
        v.height = vj.value("height", 0.0);
        for (const json &e : els) {
            ViewElement el;
            el.id = int_field(e, "id");
            auto kind = view_element_kind_from_string(string_or_empty(e, "kind"));
            if (!kind) throw ModelError("model JSON: view '" + v.name + "': unknown element kind '" + string_or_empty(e, "kind") + "'");
            el.kind = *kind;
            el.name = string_or_empty(e, "name");
            el.x = e.value("x", 0.0);
            el.y = e.value("y", 0.0);
            el.width = e.value("width", 0.0);
            el.height = e.value("height", 0.0);
            el.label_side = string_or_empty(e, "label_side");
            el.points = points_from(e);
            v.elements.push_back(std::move(el));
        }
        for (const json &l : vj.value("links", json::array())) {
            ViewLink link;
            link.id = int_field(l, "id");
            link.from = int_field(l, "from");
            link.to = int_field(l, "to");
            if (l.contains("angle")) link.angle = l["angle"].get<double>();
            link.points = points_from(l);
            v.links.push_back(std::move(link));
        }
        out.push_back(std::move(v));
    }
    return out;
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
    if (!m.views.empty()) doc["methods"]["sd"]["views"] = views_json(m.views);
    if (!m.units.empty()) {
        json units = json::array();
        for (const UnitDefinition &u : m.units) {
            json uj{{"name", u.name}, {"aliases", u.aliases}};
            if (!u.equation.empty()) uj["equation"] = u.equation;
            units.push_back(uj);
        }
        doc["methods"]["sd"]["units"] = units;
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
        if (sd && sd->is_object() && sd->contains("source_format") && (*sd)["source_format"].is_string())
            m.source_format = (*sd)["source_format"].get<std::string>();
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
        if (sd && sd->contains("views")) m.views = views_from((*sd)["views"], m.variables);
        if (sd && sd->contains("units"))
            for (const json &u : (*sd)["units"]) {
                UnitDefinition d;
                d.name = u.at("name").get<std::string>();
                d.equation = string_or_empty(u, "equation");
                if (u.contains("aliases")) d.aliases = u["aliases"].get<std::vector<std::string>>();
                m.units.push_back(std::move(d));
            }
        return m;
    } catch (const json::exception &e) {
        throw ModelError(std::string("model JSON: ") + e.what());
    }
}

} // namespace holon_sd
