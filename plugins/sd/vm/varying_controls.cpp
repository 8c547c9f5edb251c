// Fixed-step runs of a model whose TIME STEP, FINAL TIME or SAVEPER change during the run, as
// Vensim runs them: at every step the control variables are evaluated first (at the step's time,
// from the stocks at that time), then the step's values; the step is saved when SAVEPER divides
// the time since the start (every step when SAVEPER is not longer than the step); the run ends
// when the time passes the final time of that moment; the stocks then advance by that step's dt.
#include "ir/error.hpp"
#include "vm/simulator.hpp"

#include <cmath>
#include <limits>
#include <sstream>
#include <string>

namespace holon_sd {

namespace {

std::string text(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

constexpr size_t max_steps = 1'000'000'000;
// A final time that keeps moving ahead with Time (FINAL TIME = Time + 10) is never reached: after
// this many steps in a row without coming nearer to it the run stops with that message, long
// before the saved rows would exhaust the memory.
constexpr size_t max_steps_without_progress = 100'000;

} // namespace

void Simulator::run_varying_controls(VaryingControls varying, IntegrationMethod method, double start, double stop,
                                     double dt, double save_step) {
    // A pipeline delay keeps one input per step and reads it back a fixed number of steps later.
    if (varying.dt && !p_.delays.empty())
        throw ModelError("DELAY or DELAY FIXED in a model whose TIME STEP changes during the run is not supported");
    results_.times.clear();
    results_.values.clear();
    bool any_non_negative = false;
    for (uint8_t nn : p_.stock_non_negative) any_non_negative = any_non_negative || nn;
    double t = start;
    double nearest = std::numeric_limits<double>::infinity(); // the least distance to the final time so far
    size_t stalled = 0;
    for (size_t i = 0;; ++i) {
        if (i == max_steps) throw ModelError("too many steps: the run has not reached its final time after 1e9 steps");
        slots_[slot_time] = t;
        if (varying.dt) {
            evaluate(p_.control_dt.code);
            dt = slots_[p_.control_dt.slot];
            if (!(dt > 0) || !std::isfinite(dt))
                throw ModelError("TIME STEP is " + text(dt) + " at time " + text(t) + ": it must be a positive number");
            slots_[slot_dt] = dt;
        }
        if (varying.stop) {
            evaluate(p_.control_stop.code);
            stop = slots_[p_.control_stop.slot];
            slots_[slot_stop] = stop;
        }
        if (varying.save_step) {
            evaluate(p_.control_save_step.code);
            save_step = slots_[p_.control_save_step.slot];
            if (!(save_step > 0))
                throw ModelError("SAVEPER is " + text(save_step) + " at time " + text(t) + ": it must be positive");
        }
        // The time is a running sum of steps: within a millionth of a step of the final time is on it.
        if (t > stop + dt * 1e-6) break;
        if (varying.stop) {
            if (stop - t < nearest) nearest = stop - t, stalled = 0;
            else if (++stalled == max_steps_without_progress)
                throw ModelError("FINAL TIME moves ahead with Time (at time " + text(t) + " it is " + text(stop) +
                                 ", no nearer than " + std::to_string(max_steps_without_progress) +
                                 " steps before): the run would never end");
        }
        evaluate(p_.step);
        double periods = (t - start) / save_step;
        if (save_step <= dt * (1 + 1e-9) || std::abs(periods - std::round(periods)) < 1e-6) {
            results_.times.push_back(t);
            for (uint32_t slot : out_slots_) results_.values.push_back(slots_[slot]);
        }
        for (const auto &[src, dst] : p_.previous_updates) slots_[dst] = slots_[src];
        if (!p_.delays.empty()) record_delay_inputs();
        advance(method, t, dt);
        step_index_ = i + 1;
        if (any_non_negative) clamp_non_negative();
        t += dt;
    }
    results_.steps = step_index_;
}

} // namespace holon_sd
