// libFuzzer target: any bytes as the equation of one variable beside a stock, an array and a
// graphical function, through the parser, the compiler and a 10-step run. Only ModelError may
// escape.
#include "compile/compiler.hpp"
#include "equations/parser.hpp"
#include "ir/error.hpp"
#include "vm/simulator.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace holon_sd;

namespace {

Model context_model(std::string equation) {
    Model m;
    m.sim_specs.stop = 10;
    m.dimensions.push_back(Dimension{"d", {"a", "b", "c"}});
    Variable arr;
    arr.name = "arr";
    arr.equation = "d * 2";
    arr.dimensions = {"d"};
    Variable s;
    s.name = "s";
    s.kind = VariableKind::stock;
    s.equation = "1";
    s.inflows = {"x"};
    Variable g;
    g.name = "g";
    g.gf = GraphicalFunction{GraphicalFunctionType::continuous, {0, 1, 2}, {0, 5, 3}, std::nullopt, std::nullopt};
    Variable x;
    x.name = "x";
    x.kind = VariableKind::flow;
    x.equation = std::move(equation);
    m.variables = {arr, s, g, x};
    return m;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    if (size > 4096) return 0;
    std::string text(reinterpret_cast<const char *>(data), size);
    try {
        parse_equation(text);
        Program program = compile(context_model(text));
        Simulator sim(program);
        sim.run();
    } catch (const ModelError &) {
    }
    return 0;
}
