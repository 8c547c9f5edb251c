#include "xmile/reader.hpp"

#include "ir/error.hpp"
#include "ir/names.hpp"
#include "xmile/macros.hpp"
#include "xmile/modules.hpp"
#include "xmile/views.hpp"
#include "xmile/xml_dom.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace holon_sd {

namespace {

using xml::Element;

[[noreturn]] void fail(const Element &at, const std::string &what, const std::string &variable = {}) {
    throw ModelError(what + " (line " + std::to_string(at.line) + ", column " + std::to_string(at.column) + ")",
                     variable, at.line, at.column);
}

double number(const Element &at, std::string_view text, const char *what) {
    std::string t = trim(text);
    char *end = nullptr;
    double v = std::strtod(t.c_str(), &end);
    if (t.empty() || end != t.c_str() + t.size() || !std::isfinite(v))
        fail(at, std::string("expected a number for ") + what + ", found '" + t + "'");
    return v;
}

// <non_negative/>, <non_negative>true</non_negative> or <non_negative>false</non_negative>
bool flag_value(const Element &e) {
    std::string t = canonical_name(e.text);
    if (t.empty() || t == "true") return true;
    if (t == "false") return false;
    fail(e, "expected true or false, found '" + trim(e.text) + "'");
}

std::vector<double> number_list(const Element &e, const char *what) {
    const std::string *sep_attr = e.attribute("sep");
    char sep = sep_attr && !sep_attr->empty() ? (*sep_attr)[0] : ',';
    std::vector<double> out;
    std::string_view s = e.text;
    size_t start = 0;
    while (start <= s.size()) {
        size_t end = s.find(sep, start);
        if (end == std::string_view::npos) end = s.size();
        std::string item = trim(s.substr(start, end - start));
        if (!item.empty() || end != s.size()) out.push_back(number(e, item, what));
        start = end + 1;
    }
    return out;
}

std::optional<Scale> read_scale(const Element &parent, const char *name) {
    const Element *e = parent.child(name);
    if (!e) return std::nullopt;
    const std::string *min = e->attribute("min");
    const std::string *max = e->attribute("max");
    if (!min || !max) fail(*e, std::string("<") + name + "> needs min and max");
    return Scale{number(*e, *min, "min"), number(*e, *max, "max")};
}

GraphicalFunction read_gf(const Element &e, const std::string &variable) {
    GraphicalFunction gf;
    if (const std::string *type = e.attribute("type")) {
        auto t = graphical_function_type_from_string(*type);
        if (!t) fail(e, "unknown graphical function type '" + *type + "'", variable);
        gf.type = *t;
    } else if (const std::string *discrete = e.attribute("discrete")) {
        if (canonical_name(*discrete) == "true") gf.type = GraphicalFunctionType::discrete;
    }
    gf.xscale = read_scale(e, "xscale");
    gf.yscale = read_scale(e, "yscale");
    const Element *ypts = e.child("ypts");
    if (!ypts) fail(e, "graphical function without <ypts>", variable);
    gf.ys = number_list(*ypts, "ypts");
    if (gf.ys.empty()) fail(*ypts, "graphical function without points", variable);
    if (const Element *xpts = e.child("xpts")) {
        gf.xs = number_list(*xpts, "xpts");
        if (gf.xs.size() != gf.ys.size())
            fail(*xpts, "graphical function has " + std::to_string(gf.xs.size()) + " x points but " +
                            std::to_string(gf.ys.size()) + " y points", variable);
    } else if (gf.xscale) {
        size_t n = gf.ys.size();
        for (size_t i = 0; i < n; ++i)
            gf.xs.push_back(n == 1 ? gf.xscale->min
                                   : gf.xscale->min + (gf.xscale->max - gf.xscale->min) * static_cast<double>(i) /
                                                          static_cast<double>(n - 1));
    } else {
        fail(e, "graphical function without <xpts> or <xscale>", variable);
    }
    for (size_t i = 1; i < gf.xs.size(); ++i)
        if (!(gf.xs[i] >= gf.xs[i - 1])) fail(e, "graphical function x points are not increasing", variable);
    return gf;
}

std::vector<std::string> split_subscripts(std::string_view s) {
    std::vector<std::string> out;
    size_t start = 0;
    for (;;) {
        size_t comma = s.find(',', start);
        out.push_back(trim(s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return out;
}

struct Defaults {
    bool stock_non_negative = false;
    bool flow_non_negative = false;
};

Variable read_variable(const Element &e, VariableKind kind, const Defaults &defaults) {
    Variable v;
    v.kind = kind;
    const std::string *name = e.attribute("name");
    if (!name || trim(*name).empty()) fail(e, "<" + e.local_name + "> without a name");
    v.name = trim(*name);
    if (const Element *eqn = e.child("eqn")) v.equation = trim(eqn->text);
    if (const Element *units = e.child("units")) v.units = trim(units->text);
    if (const Element *doc = e.child("doc")) v.documentation = trim(doc->text);
    if (kind == VariableKind::stock) {
        for (const Element *f : e.children_named("inflow")) v.inflows.push_back(trim(f->text));
        for (const Element *f : e.children_named("outflow")) v.outflows.push_back(trim(f->text));
        v.non_negative = defaults.stock_non_negative;
    } else if (kind == VariableKind::flow) {
        v.non_negative = defaults.flow_non_negative;
    }
    if (const Element *nn = e.child("non_negative")) v.non_negative = flag_value(*nn);
    if (const Element *gf = e.child("gf")) v.gf = read_gf(*gf, v.name);
    if (const Element *dims = e.child("dimensions")) {
        for (const Element *d : dims->children_named("dim")) {
            const std::string *dn = d->attribute("name");
            if (!dn) fail(*d, "<dim> without a name", v.name);
            v.dimensions.push_back(trim(*dn));
        }
    }
    for (const Element *el : e.children_named("element")) {
        ElementEquation ee;
        const std::string *sub = el->attribute("subscript");
        if (!sub) fail(*el, "<element> without a subscript", v.name);
        ee.subscripts = split_subscripts(*sub);
        if (const Element *eqn = el->child("eqn")) ee.equation = trim(eqn->text);
        if (const Element *gf = el->child("gf")) ee.gf = read_gf(*gf, v.name);
        v.elements.push_back(std::move(ee));
    }
    // A module input Stella leaves without an equation takes its value from a connection; the
    // module flattening refuses it when nothing is connected.
    const std::string *access = e.attribute("access");
    const bool input = access && canonical_name(*access) == "input";
    if (v.equation.empty() && v.elements.empty() && !(kind == VariableKind::aux && v.gf) && !input)
        fail(e, "variable '" + v.name + "' has no equation", v.name);
    return v;
}

// A <variables> block (or an XMILE draft's <model> holding its variables directly). Modules are
// collected into `modules`; where modules cannot be (inside a macro) it is null.
void read_variables(const Element &vars, const Defaults &defaults, std::vector<Variable> &out,
                    std::vector<ModuleUse> *modules, const std::string &macro = {}) {
    for (const Element &c : vars.children) {
        if (c.has_prefix) continue;
        if (c.local_name == "stock") out.push_back(read_variable(c, VariableKind::stock, defaults));
        else if (c.local_name == "flow") out.push_back(read_variable(c, VariableKind::flow, defaults));
        else if (c.local_name == "aux") out.push_back(read_variable(c, VariableKind::aux, defaults));
        else if (c.local_name == "gf") {
            // A standalone graphical function: a lookup table called like a function.
            Variable v;
            v.kind = VariableKind::aux;
            const std::string *name = c.attribute("name");
            if (!name) fail(c, "<gf> without a name");
            v.name = trim(*name);
            v.gf = read_gf(c, v.name);
            if (const Element *units = c.child("units")) v.units = trim(units->text);
            if (const Element *doc = c.child("doc")) v.documentation = trim(doc->text);
            out.push_back(std::move(v));
        } else if (c.local_name == "module") {
            const std::string *name = c.attribute("name");
            if (!name || trim(*name).empty()) fail(c, "<module> without a name");
            if (!modules)
                fail(c, "macro '" + macro + "' holds module '" + trim(*name) + "' (modules inside macros are not supported)");
            ModuleUse m;
            m.name = trim(*name);
            if (const std::string *model = c.attribute("model")) m.model = trim(*model);
            m.position = out.size();
            m.line = c.line;
            m.column = c.column;
            // Stella writes each connection twice, as <connect> and <connect2>; the second is
            // authoritative when present.
            const char *tag = c.children_named("connect2").empty() ? "connect" : "connect2";
            for (const Element *k : c.children_named(tag)) {
                const std::string *to = k->attribute("to");
                const std::string *from = k->attribute("from");
                if (!to || !from) fail(*k, "module '" + m.name + "': <" + tag + "> needs both to and from", m.name);
                m.connections.push_back({trim(*to), trim(*from)});
            }
            modules->push_back(std::move(m));
        }
    }
}

MacroDefinition read_macro(const Element &e, const Defaults &defaults) {
    MacroDefinition d;
    const std::string *name = e.attribute("name");
    if (!name || trim(*name).empty()) fail(e, "<macro> without a name");
    d.name = trim(*name);
    d.line = e.line;
    d.column = e.column;
    for (const Element *p : e.children_named("parm")) {
        MacroParameter parm;
        parm.name = trim(p->text);
        if (parm.name.empty()) fail(*p, "macro '" + d.name + "': <parm> without a name");
        if (const std::string *def = p->attribute("default")) {
            parm.default_value = trim(*def);
            if (parm.default_value.empty()) fail(*p, "macro '" + d.name + "': empty default for parameter '" + parm.name + "'");
        }
        d.parameters.push_back(std::move(parm));
    }
    const Element *eqn = e.child("eqn");
    if (!eqn || trim(eqn->text).empty()) fail(e, "macro '" + d.name + "' has no <eqn>");
    d.equation = trim(eqn->text);
    // Section 4.8.3: a macro with its own sim_specs runs as a separate simulation at every call,
    // which inline expansion cannot do.
    if (const Element *specs = e.child("sim_specs"))
        fail(*specs, "macro '" + d.name + "' has its own <sim_specs> (macros that run their own simulation are not supported)");
    if (const Element *vars = e.child("variables")) read_variables(*vars, defaults, d.variables, nullptr, d.name);
    return d;
}

void read_sim_specs(const Element &e, SimSpecs &specs) {
    if (const Element *s = e.child("start")) specs.start = number(*s, s->text, "start");
    if (const Element *s = e.child("stop")) specs.stop = number(*s, s->text, "stop");
    if (const Element *s = e.child("dt")) {
        specs.dt = number(*s, s->text, "dt");
        const std::string *rec = s->attribute("reciprocal");
        if (rec && canonical_name(*rec) == "true") {
            if (specs.dt == 0) fail(*s, "reciprocal dt of 0");
            specs.dt = 1.0 / specs.dt;
        }
    }
    if (const Element *s = e.child("save_step")) specs.save_step = number(*s, s->text, "save_step");
    if (const std::string *m = e.attribute("method")) {
        auto method = integration_method_from_string(*m);
        if (!method) fail(e, "unsupported integration method '" + *m + "' (euler, rk2 and rk4 are supported)");
        specs.method = *method;
    }
    if (const std::string *tu = e.attribute("time_units")) specs.time_units = *tu;
    if (!(specs.dt > 0)) fail(e, "dt must be positive");
    if (!(specs.stop >= specs.start)) fail(e, "stop time is before start time");
}

// The parts of `eqn` between commas outside parentheses, brackets and quotes.
std::vector<std::string> top_level_parts(const std::string &eqn) {
    std::vector<std::string> parts(1);
    int depth = 0;
    bool quoted = false;
    for (char c : eqn) {
        if (c == '"') quoted = !quoted;
        if (!quoted && (c == '(' || c == '[')) ++depth;
        if (!quoted && (c == ')' || c == ']')) --depth;
        if (!quoted && depth == 0 && c == ',') {
            parts.emplace_back();
            continue;
        }
        parts.back() += c;
    }
    return parts;
}

// Stella writes an arrayed variable whose elements have different values as one equation listing
// them separated by commas, in element order (the last dimension varying fastest): one element
// equation each.
void split_element_lists(Model &model) {
    for (Variable &v : model.variables) {
        if (v.dimensions.empty() || !v.elements.empty()) continue;
        std::vector<std::string> parts = top_level_parts(v.equation);
        if (parts.size() < 2) continue;
        std::vector<const Dimension *> dims;
        size_t count = 1;
        for (const std::string &dn : v.dimensions) {
            auto d = std::find_if(model.dimensions.begin(), model.dimensions.end(),
                                  [&](const Dimension &o) { return canonical_name(o.name) == canonical_name(dn); });
            if (d == model.dimensions.end()) return; // the compiler names the unknown dimension
            dims.push_back(&*d);
            count *= d->elements.size();
        }
        if (parts.size() != count)
            throw ModelError("variable '" + v.name + "': the equation lists " + std::to_string(parts.size()) +
                             " values for " + std::to_string(count) + " array elements");
        for (size_t i = 0; i < count; ++i) {
            ElementEquation e;
            size_t rest = i;
            e.subscripts.resize(dims.size());
            for (size_t k = dims.size(); k-- > 0;) {
                e.subscripts[k] = dims[k]->elements[rest % dims[k]->elements.size()];
                rest /= dims[k]->elements.size();
            }
            e.equation = trim(parts[i]);
            v.elements.push_back(std::move(e));
        }
        v.equation.clear();
    }
}

} // namespace

Model read_xmile(std::string_view document) {
    xml::Limits limits;
    // A variable definition left unclosed is closed where its parent ends (test_non_negative_flows
    // in the conformance suite; libxml2's recover mode, PySD's reader, reads it the same way).
    limits.max_repairs = 8;
    limits.repairable = {"stock", "flow", "aux", "gf", "eqn", "non_negative"};
    xml::Document parsed = xml::parse_repairing(document, limits);
    const xml::Element &root = parsed.root;
    if (root.local_name != "xmile") fail(root, "the root element is <" + root.name + ">, not <xmile>");
    Model model;
    model.source_format = "xmile";
    model.warnings = std::move(parsed.repairs);
    if (const Element *header = root.child("header"))
        if (const Element *name = header->child("name")) model.name = trim(name->text);
    if (const Element *specs = root.child("sim_specs")) read_sim_specs(*specs, model.sim_specs);
    if (const Element *dims = root.child("dimensions")) {
        for (const Element *d : dims->children_named("dim")) {
            Dimension dim;
            const std::string *name = d->attribute("name");
            if (!name) fail(*d, "<dim> without a name");
            dim.name = trim(*name);
            for (const Element *el : d->children_named("elem")) {
                const std::string *en = el->attribute("name");
                if (!en) fail(*el, "<elem> without a name");
                dim.elements.push_back(trim(*en));
            }
            if (dim.elements.empty()) {
                const std::string *size = d->attribute("size");
                if (!size) fail(*d, "dimension '" + dim.name + "' has neither elements nor a size");
                double n = number(*d, *size, "size");
                if (n < 1 || n > 1e6 || n != std::floor(n)) fail(*d, "bad dimension size '" + *size + "'");
                for (int i = 1; i <= static_cast<int>(n); ++i) dim.elements.push_back(std::to_string(i));
            }
            // Stella writes a dimension again with the same elements (a model saved from
            // pieces): one dimension. Other elements under the same name are an error.
            auto same = std::find_if(model.dimensions.begin(), model.dimensions.end(), [&](const Dimension &o) {
                return canonical_name(o.name) == canonical_name(dim.name);
            });
            if (same == model.dimensions.end()) model.dimensions.push_back(std::move(dim));
            else if (!same_elements(same->elements, dim.elements))
                fail(*d, "dimension '" + dim.name + "' is defined twice with different elements");
        }
    }
    read_views_and_units(root, model);
    Defaults defaults;
    if (const Element *behavior = root.child("behavior")) {
        if (const Element *s = behavior->child("stock"))
            if (const Element *nn = s->child("non_negative")) defaults.stock_non_negative = flag_value(*nn);
        if (const Element *f = behavior->child("flow"))
            if (const Element *nn = f->child("non_negative")) defaults.flow_non_negative = flag_value(*nn);
    }
    std::vector<const Element *> models = root.children_named("model");
    if (models.empty()) fail(root, "no <model> element");
    // The root model is the one without a name; the named ones are instantiated by <module>s.
    size_t root_index = 0;
    for (size_t i = models.size(); i-- > 0;)
        if (!models[i]->attribute("name")) root_index = i;
    const Element *main = models[root_index];
    std::vector<ModelDefinition> definitions;
    for (const Element *me : models) {
        ModelDefinition d;
        if (const std::string *name = me->attribute("name")) d.name = trim(*name);
        d.line = me->line;
        d.column = me->column;
        const Element *specs = me == main ? nullptr : me->child("sim_specs");
        if (specs) {
            d.sim_specs = model.sim_specs;
            read_sim_specs(*specs, *d.sim_specs);
        }
        // Older Stella files (XMILE drafts) put the variables directly inside <model>.
        const Element *vars = me->child("variables");
        if (!vars) vars = me;
        read_variables(*vars, defaults, d.variables, &d.modules);
        definitions.push_back(std::move(d));
    }
    flatten_modules(definitions, root_index, model);
    std::vector<MacroDefinition> macros;
    for (const Element *m : root.children_named("macro")) macros.push_back(read_macro(*m, defaults));
    expand_macros(macros, model);
    split_element_lists(model);
    return model;
}

} // namespace holon_sd
