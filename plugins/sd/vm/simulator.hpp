// Runs a compiled Program with fixed-step Euler, RK2 (Heun) or RK4, as XMILE and Stella define
// them: values at a time are computed from the stocks at that time, saved, and then the stocks
// advance by one dt. Or with SUNDIALS CVODE (vm/cvode.cpp), variable step, output at the
// save times, for models without per-dt builtins. A Simulator keeps its buffers between runs so
// repeated runs do not allocate.
#pragma once

#include "vm/program.hpp"

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace holon_sd {

struct RunSettings {
    std::optional<double> start, stop, dt, save_step;
    std::optional<IntegrationMethod> method;
    std::vector<size_t> outputs; // indexes into Program::outputs; empty = all
    uint64_t seed = 1;           // the run's random generator (calls without their own seed)
    struct Cvode {
        bool adams = false;      // BDF (stiff-safe) by default; Adams for smooth non-stiff models
        double rtol = 1e-6;
        double atol = 1e-8;
        long max_steps = 1000000; // internal steps over the whole run
    } cvode;
};

struct Results {
    std::vector<std::string> names; // output column names (without time)
    std::vector<double> times;
    std::vector<double> values; // row-major: times.size() rows of names.size() values
    size_t steps = 0;           // integration steps taken
    // Events the run survived but the user should hear about: a computed subscript outside its
    // dimension (that value is NaN), one line per reference and run.
    std::vector<std::string> warnings;
    double value(size_t row, size_t column) const { return values[row * names.size() + column]; }
};

class Simulator {
public:
    explicit Simulator(const Program &program) : p_(program) {}
    // Throws ModelError on invalid settings (e.g. dt <= 0).
    const Results &run(const RunSettings &settings = {});
    const Results &results() const { return results_; }
    // CVODE's right-hand side: derivatives of `stocks` at time t (used by vm/cvode.cpp).
    void rhs(double t, const double *stocks, double *derivatives);

private:
    const Results &run_unmarked(const RunSettings &settings);
    void mark_missing();
    void evaluate(const std::vector<Instr> &code);
    void derivatives_at(double t, std::vector<double> &out);
    void reset_state(const RunSettings &settings);
    void compute_derivatives();
    void record_delay_inputs();
    double delayed(uint32_t line) const;
    double draw(uint32_t call);
    double rank(uint32_t list, double ith);
    double indexed(uint32_t read, uint32_t stretch, double position);
    double array_call(uint32_t call);
    double allocate_available(const ArrayCall &call);
    void run_cvode(const RunSettings &settings, double start, double stop, double save_step);
    void advance(IntegrationMethod method, double t, double dt);
    void clamp_non_negative();
    void prepare_outflow_limits();
    void limit_outflows(double dt);
    // Which of the model's control variables change during this run (vm/varying_controls.cpp).
    struct VaryingControls {
        bool dt, stop, save_step;
    };
    void run_varying_controls(VaryingControls varying, IntegrationMethod method, double start, double stop, double dt,
                              double save_step);

    const Program &p_;
    std::vector<double> slots_;
    std::vector<double> y0_, k1_, k2_, k3_, k4_;
    std::vector<uint32_t> out_slots_;
    Results results_;
    bool names_valid_ = false;
    std::vector<size_t> last_outputs_;
    size_t step_index_ = 0; // the fixed step being evaluated (random draws are per step)
    double start_ = 0, dt_ = 1;
    std::vector<std::vector<double>> delay_history_;
    std::mt19937_64 run_rng_;
    std::vector<std::mt19937_64> call_rngs_;
    std::vector<size_t> drawn_at_;  // per random call: the step of its cached draw (+1; 0 = none)
    std::vector<double> drawn_;
    std::vector<std::pair<double, uint32_t>> rank_scratch_;
    std::vector<double> matrix_scratch_;
    std::vector<uint8_t> index_warned_; // per indexed read: already reported in this run
    // Per flow term: an outflow of a non-negative stock that drains no other stock, so it can be
    // reduced as Stella does (vm/simulator.cpp, limit_outflows).
    std::vector<uint8_t> limitable_outflow_;
};

// Evaluates a graphical function (exposed for tests).
double lookup_value(const Lookup &table, double x);

} // namespace holon_sd
