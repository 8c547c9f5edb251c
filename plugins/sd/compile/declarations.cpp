// The first stage: the model's dimensions and variables indexed by canonical name, every equation
// parsed once (apply-to-all, or one per element), and one node per array element.
#include "compile/state.hpp"

#include "equations/parser.hpp"
#include "ir/error.hpp"
#include "ir/names.hpp"

namespace holon_sd::compiler {

namespace {

std::string element_label(const Model &m, const VariableInfo &vi, uint32_t flat) {
    if (vi.dims.empty()) return vi.v->name;
    std::vector<uint32_t> idx(vi.dims.size());
    for (size_t k = vi.dims.size(); k-- > 0;) {
        idx[k] = flat % vi.sizes[k];
        flat /= vi.sizes[k];
    }
    std::string s = vi.v->name + "[";
    for (size_t k = 0; k < idx.size(); ++k) {
        if (k) s += ",";
        s += m.dimensions[vi.dims[k]].elements[idx[k]];
    }
    return s + "]";
}

ExprPtr parse(const CompileState &s, const Variable &v, const std::string &text) {
    if (text == "?" "??")
        s.fail_var(v, "the equation is three question marks: left untranslated by the tool that wrote this file");
    try {
        return parse_equation(text);
    } catch (const ModelError &e) {
        s.fail_var(v, std::string(e.what()) + " in equation '" + text + "'");
    }
}

void index_dimensions(CompileState &s) {
    for (uint32_t i = 0; i < s.model.dimensions.size(); ++i) {
        const Dimension &d = s.model.dimensions[i];
        auto [it, added] = s.dims.emplace(canonical_name(d.name), i);
        // Written twice with the same elements (a model saved in pieces): the first one stands.
        if (!added && !same_elements(s.model.dimensions[it->second].elements, d.elements))
            throw ModelError("dimension '" + d.name + "' is defined twice with different elements");
    }
}

void index_variables(CompileState &s) {
    s.infos.resize(s.model.variables.size());
    for (size_t i = 0; i < s.model.variables.size(); ++i) {
        const Variable &v = s.model.variables[i];
        VariableInfo &vi = s.infos[i];
        vi.v = &v;
        if (!s.vars.emplace(canonical_name(v.name), i).second) s.fail_var(v, "defined twice");
        for (const std::string &dn : v.dimensions) {
            auto it = s.dims.find(canonical_name(dn));
            if (it == s.dims.end()) s.fail_var(v, "unknown dimension '" + dn + "'");
            vi.dims.push_back(it->second);
            vi.sizes.push_back(static_cast<uint32_t>(s.model.dimensions[it->second].elements.size()));
            vi.element_count *= vi.sizes.back();
            if (vi.element_count > max_elements)
                s.fail_var(v, "has over " + std::to_string(max_elements) + " array elements");
        }
        if (v.kind == VariableKind::aux && v.gf && v.equation.empty() && v.elements.empty()) {
            vi.table_only = true;
            vi.lookup = s.add_lookup(*v.gf);
            continue;
        }
        vi.parsed.push_back(v.equation.empty() ? nullptr : parse(s, v, v.equation));
        vi.element_equation.assign(vi.element_count, v.equation.empty() ? -1 : 0);
        for (const ElementEquation &ee : v.elements) {
            if (ee.subscripts.size() != vi.dims.size())
                s.fail_var(v, "element equation has " + std::to_string(ee.subscripts.size()) + " subscripts, expected " +
                                std::to_string(vi.dims.size()));
            uint32_t flat = 0;
            for (size_t k = 0; k < vi.dims.size(); ++k) {
                uint32_t e = s.element_index(vi.dims[k], ee.subscripts[k]);
                if (e == none) s.fail_var(v, "unknown element '" + ee.subscripts[k] + "'");
                flat = flat * vi.sizes[k] + e;
            }
            vi.parsed.push_back(parse(s, v, ee.equation));
            vi.element_equation[flat] = static_cast<int>(vi.parsed.size() - 1);
        }
    }
}

void make_nodes(CompileState &s) {
    for (size_t i = 0; i < s.model.variables.size(); ++i) {
        VariableInfo &vi = s.infos[i];
        if (vi.table_only) continue;
        const Variable &v = *vi.v;
        vi.first_node = static_cast<uint32_t>(s.nodes.size());
        for (uint32_t flat = 0; flat < vi.element_count; ++flat) {
            Node n;
            n.name = element_label(s.model, vi, flat);
            n.variable = i;
            n.role = v.kind == VariableKind::stock ? Role::stock : Role::aux;
            n.non_negative = v.non_negative;
            int eq = vi.element_equation[flat];
            if (eq < 0) s.fail_var(v, "no equation for element " + n.name);
            n.expr = vi.parsed[static_cast<size_t>(eq)].get();
            n.gf = v.gf ? &*v.gf : nullptr;
            if (eq > 0) {
                const ElementEquation &ee = v.elements[static_cast<size_t>(eq - 1)];
                if (ee.gf) n.gf = &*ee.gf;
            }
            uint32_t rest = flat;
            n.binding.resize(vi.dims.size());
            for (size_t k = vi.dims.size(); k-- > 0;) {
                n.binding[k] = {canonical_name(s.model.dimensions[vi.dims[k]].name), rest % vi.sizes[k]};
                rest /= vi.sizes[k];
            }
            n.slot = s.new_slot(n.role == Role::stock ? SlotKind::stock : SlotKind::value);
            s.nodes.push_back(std::move(n));
            s.program.outputs.push_back(OutputColumn{s.nodes.back().name, s.nodes.back().slot});
        }
    }
}

} // namespace

void declare(CompileState &s) {
    index_dimensions(s);
    index_variables(s);
    make_nodes(s);
}

} // namespace holon_sd::compiler
