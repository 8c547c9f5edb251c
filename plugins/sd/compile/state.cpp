#include "compile/state.hpp"

#include "ir/error.hpp"
#include "ir/names.hpp"

#include <cmath>

namespace holon_sd::compiler {

uint32_t CompileState::new_slot(SlotKind k) {
    kinds.push_back(k);
    return static_cast<uint32_t>(kinds.size() - 1);
}

uint32_t CompileState::literal(double v) {
    auto it = literal_slots.find(v);
    if (it != literal_slots.end() && !std::isnan(v)) return it->second;
    uint32_t s = new_slot(SlotKind::literal);
    literal_values[s] = v;
    if (!std::isnan(v)) literal_slots[v] = s; // NaN has no place in an ordered map
    return s;
}

bool CompileState::is_literal(uint32_t s, double &v) const {
    auto it = literal_values.find(s);
    if (it == literal_values.end()) return false;
    v = it->second;
    return true;
}

uint32_t CompileState::element_index(uint32_t dim, std::string_view name) const {
    const auto &els = model.dimensions[dim].elements;
    std::string c = canonical_name(name);
    for (uint32_t i = 0; i < els.size(); ++i)
        if (canonical_name(els[i]) == c) return i;
    return none;
}

uint32_t CompileState::add_lookup(const GraphicalFunction &gf) {
    program.lookups.push_back(Lookup{gf.type, gf.xs, gf.ys});
    return static_cast<uint32_t>(program.lookups.size() - 1);
}

const VariableInfo *CompileState::find_variable(const std::string &canonical) const {
    auto it = vars.find(canonical);
    return it == vars.end() ? nullptr : &infos[it->second];
}

void CompileState::fail_var(const Variable &v, const std::string &what) const {
    throw ModelError("variable '" + v.name + "': " + what, v.name);
}

} // namespace holon_sd::compiler
