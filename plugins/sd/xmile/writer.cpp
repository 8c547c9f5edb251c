#include "xmile/writer.hpp"

#include "ir/error.hpp"

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace holon::sd {

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
    o << "        </variables>\n    </model>\n</xmile>\n";
    return o.str();
}

} // namespace holon::sd
