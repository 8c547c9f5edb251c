#include "engine/simulator.hpp"

#include "ir/error.hpp"

#include <algorithm>
#include <cmath>

namespace holon::sd {

double lookup_value(const Lookup &t, double x) {
    const std::vector<double> &xs = t.xs;
    const std::vector<double> &ys = t.ys;
    if (std::isnan(x) || xs.empty()) return std::nan("");
    size_t n = xs.size();
    if (n == 1) return ys[0];
    if (t.type == GraphicalFunctionType::discrete) {
        if (x < xs[0]) return ys[0];
        size_t i = static_cast<size_t>(std::upper_bound(xs.begin(), xs.end(), x) - xs.begin());
        return ys[i - 1];
    }
    if (x <= xs[0]) {
        if (t.type == GraphicalFunctionType::extrapolate && xs[1] != xs[0])
            return ys[0] + (x - xs[0]) * (ys[1] - ys[0]) / (xs[1] - xs[0]);
        return ys[0];
    }
    if (x >= xs[n - 1]) {
        if (t.type == GraphicalFunctionType::extrapolate && xs[n - 1] != xs[n - 2])
            return ys[n - 1] + (x - xs[n - 1]) * (ys[n - 1] - ys[n - 2]) / (xs[n - 1] - xs[n - 2]);
        return ys[n - 1];
    }
    size_t i = static_cast<size_t>(std::upper_bound(xs.begin(), xs.end(), x) - xs.begin()); // xs[i-1] <= x < xs[i]
    double x0 = xs[i - 1], x1 = xs[i];
    if (x1 == x0) return ys[i];
    return ys[i - 1] + (x - x0) * (ys[i] - ys[i - 1]) / (x1 - x0);
}

namespace {

inline double truth(bool b) { return b ? 1.0 : 0.0; }

inline double pulse(double volume, double first, double interval, double t, double dt) {
    double half = dt / 2;
    if (t + half < first) return 0;
    if (interval <= 0) return std::fabs(t - first) < half ? volume / dt : 0;
    double k = std::floor((t - first) / interval + 0.5);
    return std::fabs(t - (first + k * interval)) < half ? volume / dt : 0;
}

} // namespace

// The interpreter: one switch per instruction over the slot array.
void Simulator::evaluate(const std::vector<Instr> &code) {
    double *s = slots_.data();
    const Lookup *tables = p_.lookups.data();
    for (const Instr &in : code) {
        switch (in.op) {
        case Op::copy: s[in.d] = s[in.a]; break;
        case Op::add: s[in.d] = s[in.a] + s[in.b]; break;
        case Op::sub: s[in.d] = s[in.a] - s[in.b]; break;
        case Op::mul: s[in.d] = s[in.a] * s[in.b]; break;
        case Op::div: s[in.d] = s[in.a] / s[in.b]; break;
        case Op::pow: s[in.d] = std::pow(s[in.a], s[in.b]); break;
        case Op::mod: s[in.d] = std::fmod(s[in.a], s[in.b]); break;
        case Op::neg: s[in.d] = -s[in.a]; break;
        case Op::lt: s[in.d] = truth(s[in.a] < s[in.b]); break;
        case Op::le: s[in.d] = truth(s[in.a] <= s[in.b]); break;
        case Op::gt: s[in.d] = truth(s[in.a] > s[in.b]); break;
        case Op::ge: s[in.d] = truth(s[in.a] >= s[in.b]); break;
        case Op::eq: s[in.d] = truth(s[in.a] == s[in.b]); break;
        case Op::ne: s[in.d] = truth(s[in.a] != s[in.b]); break;
        case Op::land: s[in.d] = truth(s[in.a] != 0 && s[in.b] != 0); break;
        case Op::lor: s[in.d] = truth(s[in.a] != 0 || s[in.b] != 0); break;
        case Op::lnot: s[in.d] = truth(s[in.a] == 0); break;
        case Op::select: s[in.d] = s[in.a] != 0 ? s[in.b] : s[in.c]; break;
        case Op::abs: s[in.d] = std::fabs(s[in.a]); break;
        case Op::sqrt: s[in.d] = std::sqrt(s[in.a]); break;
        case Op::exp: s[in.d] = std::exp(s[in.a]); break;
        case Op::ln: s[in.d] = std::log(s[in.a]); break;
        case Op::log10: s[in.d] = std::log10(s[in.a]); break;
        case Op::sin: s[in.d] = std::sin(s[in.a]); break;
        case Op::cos: s[in.d] = std::cos(s[in.a]); break;
        case Op::tan: s[in.d] = std::tan(s[in.a]); break;
        case Op::asin: s[in.d] = std::asin(s[in.a]); break;
        case Op::acos: s[in.d] = std::acos(s[in.a]); break;
        case Op::atan: s[in.d] = std::atan(s[in.a]); break;
        case Op::trunc: s[in.d] = std::trunc(s[in.a]); break;
        case Op::min: s[in.d] = std::min(s[in.a], s[in.b]); break;
        case Op::max: s[in.d] = std::max(s[in.a], s[in.b]); break;
        case Op::safediv: s[in.d] = s[in.b] == 0 ? s[in.c] : s[in.a] / s[in.b]; break;
        case Op::clamp0: s[in.d] = std::max(s[in.a], 0.0); break;
        case Op::lookup: s[in.d] = lookup_value(tables[in.b], s[in.a]); break;
        case Op::step: s[in.d] = s[slot_time] >= s[in.b] ? s[in.a] : 0.0; break;
        case Op::ramp: {
            double t = s[slot_time];
            s[in.d] = t > s[in.b] ? s[in.a] * (std::min(t, s[in.c]) - s[in.b]) : 0.0;
            break;
        }
        case Op::pulse: s[in.d] = pulse(s[in.a], s[in.b], s[in.c], s[slot_time], s[slot_dt]); break;
        case Op::trend_out: {
            double denom = s[in.b] * s[in.c];
            s[in.d] = denom == 0 ? 0.0 : (s[in.a] - s[in.b]) / denom;
            break;
        }
        }
    }
}

// Derivatives of the stocks as they are in slots_ at time t (stocks are read, not changed).
void Simulator::derivatives_at(double t, std::vector<double> &out) {
    slots_[slot_time] = t;
    evaluate(p_.step);
    const double *d = slots_.data() + p_.derivative_base;
    out.assign(d, d + p_.stock_count);
}

const Results &Simulator::run(const RunSettings &settings) {
    double start = settings.start.value_or(p_.sim_specs.start);
    double stop = settings.stop.value_or(p_.sim_specs.stop);
    double dt = settings.dt.value_or(p_.sim_specs.dt);
    double save_step = settings.save_step.value_or(p_.sim_specs.save_step.value_or(dt));
    IntegrationMethod method = settings.method.value_or(p_.sim_specs.method);
    if (!(dt > 0) || !std::isfinite(dt)) throw ModelError("dt must be a positive number");
    if (!(stop >= start)) throw ModelError("stop time is before start time");
    if (!(save_step > 0)) throw ModelError("save_step must be positive");
    double span = (stop - start) / dt;
    if (span > 1e9) throw ModelError("too many steps: (stop - start) / dt is over 1e9");
    size_t steps = static_cast<size_t>(std::llround(span));
    size_t save_every = std::max<size_t>(1, static_cast<size_t>(std::llround(save_step / dt)));

    out_slots_.clear();
    results_.names.clear();
    if (settings.outputs.empty()) {
        for (const OutputColumn &o : p_.outputs) {
            out_slots_.push_back(o.slot);
            results_.names.push_back(o.name);
        }
    } else {
        for (size_t i : settings.outputs) {
            out_slots_.push_back(p_.outputs.at(i).slot);
            results_.names.push_back(p_.outputs.at(i).name);
        }
    }
    size_t rows = steps / save_every + 1;
    // Sized once; rows are written in place (no per-value push_back in the loop).
    results_.times.resize(rows);
    results_.values.resize(rows * out_slots_.size());
    double *out = results_.values.data();
    size_t row = 0;
    const size_t out_count = out_slots_.size();
    const uint32_t *out_slots = out_slots_.data();
    bool any_non_negative = false;
    for (uint8_t nn : p_.stock_non_negative) any_non_negative = any_non_negative || nn;
    results_.steps = steps;

    slots_ = p_.initial_slots;
    slots_[slot_time] = start;
    slots_[slot_dt] = dt;
    slots_[slot_start] = start;
    slots_[slot_stop] = stop;
    evaluate(p_.initial);

    const uint32_t n = p_.stock_count;
    double *stocks = slots_.data() + slot_first_stock;
    const double *deriv = slots_.data() + p_.derivative_base;
    for (size_t i = 0;; ++i) {
        double t = start + static_cast<double>(i) * dt;
        slots_[slot_time] = t;
        evaluate(p_.step);
        if (i % save_every == 0) {
            results_.times[row++] = t;
            const double *values = slots_.data();
            for (size_t c = 0; c < out_count; ++c) *out++ = values[out_slots[c]];
        }
        if (i == steps) break;
        for (const auto &[src, dst] : p_.previous_updates) slots_[dst] = slots_[src];
        switch (method) {
        case IntegrationMethod::euler:
            for (uint32_t k = 0; k < n; ++k) stocks[k] += dt * deriv[k];
            break;
        case IntegrationMethod::rk2:
            y0_.assign(stocks, stocks + n);
            k1_.assign(deriv, deriv + n);
            for (uint32_t k = 0; k < n; ++k) stocks[k] = y0_[k] + dt * k1_[k];
            derivatives_at(t + dt, k2_);
            for (uint32_t k = 0; k < n; ++k) stocks[k] = y0_[k] + dt / 2 * (k1_[k] + k2_[k]);
            break;
        case IntegrationMethod::rk4:
            y0_.assign(stocks, stocks + n);
            k1_.assign(deriv, deriv + n);
            for (uint32_t k = 0; k < n; ++k) stocks[k] = y0_[k] + dt / 2 * k1_[k];
            derivatives_at(t + dt / 2, k2_);
            for (uint32_t k = 0; k < n; ++k) stocks[k] = y0_[k] + dt / 2 * k2_[k];
            derivatives_at(t + dt / 2, k3_);
            for (uint32_t k = 0; k < n; ++k) stocks[k] = y0_[k] + dt * k3_[k];
            derivatives_at(t + dt, k4_);
            for (uint32_t k = 0; k < n; ++k)
                stocks[k] = y0_[k] + dt / 6 * (k1_[k] + 2 * k2_[k] + 2 * k3_[k] + k4_[k]);
            break;
        }
        if (any_non_negative)
            for (uint32_t k = 0; k < n; ++k)
                if (p_.stock_non_negative[k] && stocks[k] < 0) stocks[k] = 0;
    }
    return results_;
}

} // namespace holon::sd
