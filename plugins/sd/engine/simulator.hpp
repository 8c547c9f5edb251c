// Runs a compiled Program with fixed-step Euler, RK2 (Heun) or RK4, as XMILE and Stella define
// them: values at a time are computed from the stocks at that time, saved, and then the stocks
// advance by one dt. A Simulator keeps its buffers between runs so repeated runs do not allocate.
#pragma once

#include "compile/program.hpp"

#include <optional>
#include <string>
#include <vector>

namespace holon::sd {

struct RunSettings {
    std::optional<double> start, stop, dt, save_step;
    std::optional<IntegrationMethod> method;
    std::vector<size_t> outputs; // indexes into Program::outputs; empty = all
};

struct Results {
    std::vector<std::string> names; // output column names (without time)
    std::vector<double> times;
    std::vector<double> values; // row-major: times.size() rows of names.size() values
    size_t steps = 0;           // integration steps taken
    double value(size_t row, size_t column) const { return values[row * names.size() + column]; }
};

class Simulator {
public:
    explicit Simulator(const Program &program) : p_(program) {}
    // Throws ModelError on invalid settings (e.g. dt <= 0).
    const Results &run(const RunSettings &settings = {});
    const Results &results() const { return results_; }

private:
    void evaluate(const std::vector<Instr> &code);
    void derivatives_at(double t, std::vector<double> &out);
    const Program &p_;
    std::vector<double> slots_;
    std::vector<double> y0_, k1_, k2_, k3_, k4_;
    std::vector<uint32_t> out_slots_;
    Results results_;
};

// Evaluates a graphical function (exposed for tests).
double lookup_value(const Lookup &table, double x);

} // namespace holon::sd
