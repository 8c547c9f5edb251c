#include "xmile/reader.hpp"

#include "ir/error.hpp"
#include "ir/names.hpp"
#include "xmile/xml_dom.hpp"

#include <cmath>
#include <cstdlib>

namespace holon::sd {

namespace {

using xml::Element;

std::string trim(std::string_view s) {
    size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r')) ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' || s[e - 1] == '\r')) --e;
    return std::string(s.substr(b, e - b));
}

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
    if (v.equation.empty() && v.elements.empty() && !(kind == VariableKind::aux && v.gf))
        fail(e, "variable '" + v.name + "' has no equation", v.name);
    return v;
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
            model.dimensions.push_back(std::move(dim));
        }
    }
    Defaults defaults;
    if (const Element *behavior = root.child("behavior")) {
        if (const Element *s = behavior->child("stock"))
            if (const Element *nn = s->child("non_negative")) defaults.stock_non_negative = flag_value(*nn);
        if (const Element *f = behavior->child("flow"))
            if (const Element *nn = f->child("non_negative")) defaults.flow_non_negative = flag_value(*nn);
    }
    std::vector<const Element *> models = root.children_named("model");
    if (models.empty()) fail(root, "no <model> element");
    const Element *main = models.front();
    if (models.size() > 1) fail(*models[1], "several <model> elements (modules or macros) are not supported yet");
    if (!root.children_named("macro").empty())
        fail(*root.children_named("macro").front(), "XMILE macros are not supported yet");
    // Older Stella files (XMILE drafts) put the variables directly inside <model>.
    const Element *vars = main->child("variables");
    if (!vars) vars = main;
    {
        for (const Element &c : vars->children) {
            if (c.has_prefix) continue;
            if (c.local_name == "stock") model.variables.push_back(read_variable(c, VariableKind::stock, defaults));
            else if (c.local_name == "flow") model.variables.push_back(read_variable(c, VariableKind::flow, defaults));
            else if (c.local_name == "aux") model.variables.push_back(read_variable(c, VariableKind::aux, defaults));
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
                model.variables.push_back(std::move(v));
            } else if (c.local_name == "module") {
                fail(c, "modules are not supported yet", c.attribute("name") ? *c.attribute("name") : "");
            } else if (c.local_name == "group") {
                continue;
            }
        }
    }
    return model;
}

} // namespace holon::sd
