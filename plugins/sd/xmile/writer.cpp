#include "xmile/writer.hpp"

#include "ir/error.hpp"
#include "ir/names.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>

namespace holon_sd {

namespace {

std::string escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

// Shortest text that reads back as the same double.
std::string number(double v) {
    char buf[32];
    for (int precision = 6; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    return buf;
}

std::string list(const std::vector<double> &v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) {
        if (i) s += ',';
        s += number(v[i]);
    }
    return s;
}

void write_gf(std::ostringstream &o, const GraphicalFunction &gf, const std::string &indent, const std::string &name = {}) {
    o << indent << "<gf" << (name.empty() ? "" : " name=\"" + escape(name) + "\"") << " type=\"" << to_string(gf.type)
      << "\">\n";
    if (gf.xscale) o << indent << "    <xscale min=\"" << number(gf.xscale->min) << "\" max=\"" << number(gf.xscale->max) << "\"/>\n";
    if (gf.yscale) o << indent << "    <yscale min=\"" << number(gf.yscale->min) << "\" max=\"" << number(gf.yscale->max) << "\"/>\n";
    o << indent << "    <xpts>" << list(gf.xs) << "</xpts>\n";
    o << indent << "    <ypts>" << list(gf.ys) << "</ypts>\n";
    o << indent << "</gf>\n";
}

const char *method_name(IntegrationMethod m) {
    switch (m) {
    case IntegrationMethod::euler: return "Euler";
    case IntegrationMethod::rk2: return "RK2";
    case IntegrationMethod::rk4: return "RK4";
    case IntegrationMethod::cvode: return "cvode"; // not an XMILE name; Holon reads it back
    }
    return "Euler";
}

std::string attribute(const char *name, double v) { return std::string(" ") + name + "=\"" + number(v) + "\""; }

// XMILE's connector angle: the direction the connector leaves its start, in degrees
// counterclockwise from east with y upwards (the page's y grows downwards). A Vensim arrow is an
// arc through its ends and its control point: the angle is the arc's tangent at the start.
double connector_angle(const ViewElement &from, const ViewElement &to, const ViewLink &l) {
    double x0 = from.x, y0 = from.y, x2 = to.x, y2 = to.y;
    double tx = x2 - x0, ty = y2 - y0;
    if (!l.points.empty()) {
        auto [x1, y1] = l.points.front();
        double d = 2 * (x0 * (y1 - y2) + x1 * (y2 - y0) + x2 * (y0 - y1));
        if (std::abs(d) > 1e-9) {
            double s0 = x0 * x0 + y0 * y0, s1 = x1 * x1 + y1 * y1, s2 = x2 * x2 + y2 * y2;
            double cx = (s0 * (y1 - y2) + s1 * (y2 - y0) + s2 * (y0 - y1)) / d;
            double cy = (s0 * (x2 - x1) + s1 * (x0 - x2) + s2 * (x1 - x0)) / d;
            // The tangent is perpendicular to the radius, pointing the way the arc goes (to the control point).
            tx = -(y0 - cy);
            ty = x0 - cx;
            if (tx * (x1 - x0) + ty * (y1 - y0) < 0) {
                tx = -tx;
                ty = -ty;
            }
        }
    }
    double degrees = std::atan2(-ty, tx) * 180.0 / 3.14159265358979323846;
    if (degrees < 0) degrees += 360;
    return std::round(degrees * 1000) / 1000;
}

// The XMILE element a view element becomes, or nullptr to leave it out: clouds are implicit in
// XMILE, and a drawing of something that is not a variable of the model would not read back.
const char *xmile_tag(const ViewElement &e, const std::map<std::string, VariableKind> &kinds) {
    switch (e.kind) {
    case ViewElementKind::cloud: return nullptr;
    case ViewElementKind::comment: return e.name.empty() ? nullptr : "text_box";
    case ViewElementKind::module: return e.name.empty() ? nullptr : "module";
    case ViewElementKind::alias: return kinds.count(canonical_name(e.name)) ? "alias" : nullptr;
    case ViewElementKind::stock:
    case ViewElementKind::flow:
    case ViewElementKind::aux: {
        auto it = kinds.find(canonical_name(e.name));
        return it == kinds.end() ? nullptr : to_string(it->second);
    }
    }
    return nullptr;
}

void write_view(std::ostringstream &o, const View &v, const std::map<std::string, VariableKind> &kinds) {
    const std::string in = "                ";
    o << "            <view type=\"stock_flow\"";
    if (!v.name.empty()) o << " name=\"" << escape(v.name) << "\"";
    if (v.width > 0 && v.height > 0) o << attribute("page_width", v.width) << attribute("page_height", v.height);
    o << ">\n";
    std::map<int, const ViewElement *> written;
    for (const ViewElement &e : v.elements) {
        const char *tag = xmile_tag(e, kinds);
        if (!tag) continue;
        written[e.id] = &e;
        o << in << "<" << tag << " uid=\"" << e.id << "\"";
        if (e.kind != ViewElementKind::comment && e.kind != ViewElementKind::alias)
            o << " name=\"" << escape(e.name) << "\"";
        // A text box is placed by its top-left corner, everything else by its centre.
        bool corner = e.kind == ViewElementKind::comment;
        o << attribute("x", corner ? e.x - e.width / 2 : e.x) << attribute("y", corner ? e.y - e.height / 2 : e.y);
        if (e.width > 0) o << attribute("width", e.width);
        if (e.height > 0) o << attribute("height", e.height);
        if (!e.label_side.empty()) o << " label_side=\"" << escape(e.label_side) << "\"";
        if (e.kind == ViewElementKind::comment) {
            o << ">" << escape(e.name) << "</" << tag << ">\n";
        } else if (e.kind == ViewElementKind::alias) {
            o << ">\n" << in << "    <of>" << escape(e.name) << "</of>\n" << in << "</alias>\n";
        } else if (!e.points.empty() && std::string_view(tag) == "flow") {
            o << ">\n" << in << "    <pts>\n";
            for (const auto &[x, y] : e.points) o << in << "        <pt" << attribute("x", x) << attribute("y", y) << "/>\n";
            o << in << "    </pts>\n" << in << "</" << tag << ">\n";
        } else {
            o << "/>\n";
        }
    }
    auto end = [&](const ViewElement &e) {
        if (e.kind == ViewElementKind::alias) return "<alias uid=\"" + std::to_string(e.id) + "\"/>";
        return escape(e.name);
    };
    for (const ViewLink &l : v.links) {
        auto from = written.find(l.from), to = written.find(l.to);
        if (from == written.end() || to == written.end()) continue;
        if (from->second->kind == ViewElementKind::comment || to->second->kind == ViewElementKind::comment) continue;
        double angle = l.angle ? *l.angle : connector_angle(*from->second, *to->second, l);
        o << in << "<connector uid=\"" << l.id << "\"" << attribute("angle", angle) << ">\n";
        o << in << "    <from>" << end(*from->second) << "</from>\n";
        o << in << "    <to>" << end(*to->second) << "</to>\n";
        o << in << "</connector>\n";
    }
    o << "            </view>\n";
}

void write_model_units(std::ostringstream &o, const std::vector<UnitDefinition> &units) {
    o << "    <model_units>\n";
    for (const UnitDefinition &u : units) {
        o << "        <unit name=\"" << escape(u.name) << "\">\n";
        if (!u.equation.empty()) o << "            <eqn>" << escape(u.equation) << "</eqn>\n";
        for (const std::string &a : u.aliases) o << "            <alias>" << escape(a) << "</alias>\n";
        o << "        </unit>\n";
    }
    o << "    </model_units>\n";
}

} // namespace

std::string write_xmile(const Model &m) {
    std::ostringstream o;
    o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    o << "<xmile version=\"1.0\" xmlns=\"http://docs.oasis-open.org/xmile/ns/XMILE/v1.0\">\n";
    o << "    <header>\n        <name>" << escape(m.name) << "</name>\n";
    o << "        <vendor>Holon</vendor>\n        <product version=\"0.1.0\">Holon</product>\n    </header>\n";
    const SimSpecs &s = m.sim_specs;
    // XMILE's sim_specs are numbers: a control that changes during the run would be written as
    // its start value and silently run differently.
    for (const std::string *control : {&s.dt_variable, &s.stop_variable, &s.save_step_variable})
        if (!control->empty())
            throw ModelError("'" + *control + "' changes during the run, which XMILE's sim_specs cannot express");
    o << "    <sim_specs method=\"" << method_name(s.method) << "\"";
    if (!s.time_units.empty()) o << " time_units=\"" << escape(s.time_units) << "\"";
    o << ">\n        <start>" << number(s.start) << "</start>\n        <stop>" << number(s.stop) << "</stop>\n";
    o << "        <dt>" << number(s.dt) << "</dt>\n";
    if (s.save_step) o << "        <save_step>" << number(*s.save_step) << "</save_step>\n";
    o << "    </sim_specs>\n";
    if (!m.units.empty()) write_model_units(o, m.units);
    if (!m.dimensions.empty()) {
        o << "    <dimensions>\n";
        for (const Dimension &d : m.dimensions) {
            o << "        <dim name=\"" << escape(d.name) << "\">\n";
            for (const std::string &e : d.elements) o << "            <elem name=\"" << escape(e) << "\"/>\n";
            o << "        </dim>\n";
        }
        o << "    </dimensions>\n";
    }
    o << "    <model>\n        <variables>\n";
    for (const Variable &v : m.variables) {
        const std::string in = "                ";
        if (v.kind == VariableKind::aux && v.gf && v.equation.empty() && v.elements.empty()) {
            write_gf(o, *v.gf, "            ", v.name);
            continue;
        }
        o << "            <" << to_string(v.kind) << " name=\"" << escape(v.name) << "\">\n";
        if (!v.dimensions.empty()) {
            o << in << "<dimensions>\n";
            for (const std::string &d : v.dimensions) o << in << "    <dim name=\"" << escape(d) << "\"/>\n";
            o << in << "</dimensions>\n";
        }
        if (!v.equation.empty()) o << in << "<eqn>" << escape(v.equation) << "</eqn>\n";
        for (const ElementEquation &e : v.elements) {
            std::string sub;
            for (size_t i = 0; i < e.subscripts.size(); ++i) {
                if (i) sub += ", ";
                sub += e.subscripts[i];
            }
            o << in << "<element subscript=\"" << escape(sub) << "\">\n";
            o << in << "    <eqn>" << escape(e.equation) << "</eqn>\n";
            if (e.gf) write_gf(o, *e.gf, in + "    ");
            o << in << "</element>\n";
        }
        for (const std::string &f : v.inflows) o << in << "<inflow>" << escape(f) << "</inflow>\n";
        for (const std::string &f : v.outflows) o << in << "<outflow>" << escape(f) << "</outflow>\n";
        if (v.kind != VariableKind::aux) o << in << "<non_negative>" << (v.non_negative ? "true" : "false") << "</non_negative>\n";
        if (v.gf) write_gf(o, *v.gf, in);
        if (!v.units.empty()) o << in << "<units>" << escape(v.units) << "</units>\n";
        if (!v.documentation.empty()) o << in << "<doc>" << escape(v.documentation) << "</doc>\n";
        o << "            </" << to_string(v.kind) << ">\n";
    }
    o << "        </variables>\n";
    if (!m.views.empty()) {
        std::map<std::string, VariableKind> kinds;
        for (const Variable &v : m.variables) kinds.emplace(canonical_name(v.name), v.kind);
        o << "        <views>\n";
        for (const View &v : m.views) write_view(o, v, kinds);
        o << "        </views>\n";
    }
    o << "    </model>\n</xmile>\n";
    return o.str();
}

} // namespace holon_sd
