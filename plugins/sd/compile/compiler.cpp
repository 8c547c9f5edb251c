#include "compile/compiler.hpp"

#include "compile/state.hpp"

namespace holon_sd {

Program compile(const Model &model) {
    compiler::CompileState s(model);
    s.program.sim_specs = model.sim_specs;
    s.program.variable_count = model.variables.size();
    for (uint32_t i = 0; i < 4; ++i) s.new_slot(compiler::SlotKind::fixed); // time, dt, start, stop
    compiler::declare(s);
    compiler::lower_all(s);
    compiler::connect_stocks(s);
    compiler::order_and_emit(s);
    compiler::layout(s);
    return std::move(s.program);
}

} // namespace holon_sd
