#include "vm/simulator.hpp"

#include "ir/error.hpp"
#include "vm/clock.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace holon_sd {

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
        case Op::delay: s[in.d] = delayed(in.a); break;
        case Op::random: s[in.d] = draw(in.a); break;
        case Op::rank: s[in.d] = rank(in.a, s[in.b]); break;
        case Op::array_call: s[in.d] = array_call(in.a); break;
        case Op::clock: s[in.d] = clock_now(s[in.a]); break;
        case Op::index: s[in.d] = indexed(in.a, in.c, s[in.b]); break;
        case Op::subscript_check: {
            double whole = std::floor(s[in.a] + position_tolerance);
            s[in.d] = whole >= 1 && whole <= s[in.b] ? whole : std::nan("");
            break;
        }
        case Op::trend_out: {
            double denom = s[in.b] * s[in.c];
            s[in.d] = denom == 0 ? 0.0 : (s[in.a] - s[in.b]) / denom;
            break;
        }
        }
    }
}

// The input of a delay line as it was `delay time` before now. Samples were recorded at
// start + k * dt for the steps already taken; between samples the value is interpolated.
double Simulator::delayed(uint32_t line) const {
    const DelayLine &l = p_.delays[line];
    const std::vector<double> &h = delay_history_[line];
    const double *s = slots_.data();
    double k = (s[slot_time] - s[l.delay_time] - start_) / dt_;
    if (h.empty() || k < -1e-9) return s[l.initial];
    if (k >= static_cast<double>(h.size() - 1)) return h.back();
    double whole = std::floor(k + 1e-9);
    auto i = static_cast<size_t>(std::max(0.0, whole));
    double frac = std::max(0.0, k - whole);
    if (frac < 1e-9 || i + 1 >= h.size()) return h[i];
    return h[i] + frac * (h[i + 1] - h[i]);
}

void Simulator::record_delay_inputs() {
    for (size_t i = 0; i < p_.delays.size(); ++i) delay_history_[i].push_back(slots_[p_.delays[i].input]);
}

// One draw per call and time step: RK2/RK4 evaluate a step several times and must see one value.
double Simulator::draw(uint32_t index) {
    if (drawn_at_[index] == step_index_ + 1) return drawn_[index];
    const RandomCall &call = p_.randoms[index];
    const double *s = slots_.data();
    std::mt19937_64 &rng = call.has_seed ? call_rngs_[index] : run_rng_;
    double a = s[call.p1], b = s[call.p2], v = 0;
    switch (call.distribution) {
    case Distribution::uniform: v = a + (b - a) * std::uniform_real_distribution<double>(0.0, 1.0)(rng); break;
    case Distribution::normal: {
        std::normal_distribution<double> normal(a, std::max(b, 0.0));
        v = normal(rng);
        // NORMAL(mean, sd, seed, min, max): redraw outside [min, max] (bounded tries, then clamp).
        for (int tries = 0; call.truncated && (v < s[call.low] || v > s[call.high]) && tries < 1000; ++tries)
            v = normal(rng);
        if (call.truncated) v = std::clamp(v, s[call.low], std::max(s[call.low], s[call.high]));
        break;
    }
    case Distribution::lognormal: {
        // mean and sd are the distribution's own; the underlying normal's follow from them.
        double var = std::log(1 + (b * b) / (a * a));
        v = a > 0 ? std::lognormal_distribution<double>(std::log(a) - var / 2, std::sqrt(var))(rng) : std::nan("");
        break;
    }
    case Distribution::exponential: v = a > 0 ? std::exponential_distribution<double>(1.0 / a)(rng) : 0.0; break;
    case Distribution::poisson:
        v = a > 0 ? static_cast<double>(std::poisson_distribution<long>(a)(rng)) : 0.0;
        break;
    }
    drawn_at_[index] = step_index_ + 1;
    drawn_[index] = v;
    return v;
}

// RANK(array, i): the 1-based position of the i-th smallest element (ties keep array order);
// i counts from the largest when negative; NaN when out of range.
double Simulator::rank(uint32_t list, double ith) {
    const std::vector<uint32_t> &slots = p_.lists[list];
    rank_scratch_.clear();
    for (uint32_t i = 0; i < slots.size(); ++i) rank_scratch_.emplace_back(slots_[slots[i]], i);
    std::stable_sort(rank_scratch_.begin(), rank_scratch_.end(),
                     [](const auto &x, const auto &y) { return x.first < y.first; });
    auto n = static_cast<double>(slots.size());
    double r = std::trunc(ith);
    if (r < 0) r = n + 1 + r;
    if (!(r >= 1 && r <= n)) return std::nan("");
    return static_cast<double>(rank_scratch_[static_cast<size_t>(r) - 1].second + 1);
}

// A computed subscript: the element at a 1-based position among the candidates of one element
// (stretch) of the reference. A position outside them (or NaN) reads NaN, reported once per
// reference and run: a clamp to the nearest element would hide a modelling error behind
// plausible numbers.
double Simulator::indexed(uint32_t read, uint32_t stretch, double position) {
    const IndexedRead &r = p_.indexed_reads[read];
    const uint32_t *slots = p_.lists[r.list].data() + size_t{stretch} * r.stride;
    double whole = std::floor(position + position_tolerance);
    if (whole >= 1 && whole <= static_cast<double>(r.stride)) return slots_[slots[static_cast<size_t>(whole) - 1]];
    if (!index_warned_[read]) {
        index_warned_[read] = 1;
        std::ostringstream w;
        if (std::isnan(position)) // one of several computed subscripts was outside its dimension
            w << r.what << " falls outside its dimension at time " << slots_[slot_time] << ": the value is NaN";
        else
            w << r.what << " is " << position << " at time " << slots_[slot_time] << ", outside 1.." << r.stride
              << ": the value is NaN";
        results_.warnings.push_back(w.str());
    }
    return std::nan("");
}

namespace {

// The share of its request a requester receives when the clearing priority is x (Vensim's
// priority profiles: each curve is the complementary cumulative distribution of a shape centred
// on the priority). Every share falls continuously from 1 to 0 as x rises.
double profile_share(int type, double priority, double width, double x) {
    double u = x - priority;
    switch (type) {
    case 1: return std::clamp(0.5 - u / width, 0.0, 1.0); // rectangular of full width `width`
    case 2: {                                              // triangular of full width `width`
        double half = width / 2;
        if (u <= -half) return 1;
        if (u >= half) return 0;
        double d = u < 0 ? u + half : half - u;
        double tail = 2 * d * d / (width * width);
        return u < 0 ? 1 - tail : tail;
    }
    case 3: return 0.5 * std::erfc(u / (std::sqrt(2.0) * width)); // normal, standard deviation `width`
    case 4: return u < 0 ? 1 - 0.5 * std::exp(u / width) : 0.5 * std::exp(-u / width); // two-sided exponential
    default: return std::nan("");
    }
}

// How far beyond its priority a profile's share is 0 or 1 to double precision, in widths.
constexpr double profile_reach = 40;

} // namespace

// ALLOCATE AVAILABLE (Vensim): request k receives request_k * share_k(x) at the clearing
// priority x where the total equals the supply; the total falls continuously as x rises, so
// bisection finds x. Everyone is served in full when the supply covers all requests.
double Simulator::allocate_available(const ArrayCall &call) {
    const std::vector<uint32_t> &a = p_.lists[call.a];
    const std::vector<uint32_t> &pp = p_.lists[call.b];
    const double *s = slots_.data();
    double total = 0, lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (size_t k = 0; k < a.size(); ++k) {
        double type = s[pp[4 * k]], width = s[pp[4 * k + 2]];
        if (!(type == 1 || type == 2 || type == 3 || type == 4)) {
            std::ostringstream message;
            message << "ALLOCATE AVAILABLE: priority profile type " << type
                    << " is not supported (1 rectangular, 2 triangular, 3 normal, 4 exponential)";
            throw ModelError(message.str());
        }
        if (!(width > 0)) throw ModelError("ALLOCATE AVAILABLE: priority profile widths must be positive");
        total += std::max(0.0, s[a[k]]);
        lo = std::min(lo, s[pp[4 * k + 1]] - profile_reach * width);
        hi = std::max(hi, s[pp[4 * k + 1]] + profile_reach * width);
    }
    double supply = s[call.supply];
    double request = std::max(0.0, s[a[call.element]]);
    if (supply >= total) return request;
    if (supply <= 0) return 0;
    auto share = [&](size_t k, double x) {
        return profile_share(static_cast<int>(s[pp[4 * k]]), s[pp[4 * k + 1]], s[pp[4 * k + 2]], x);
    };
    auto allocated = [&](double x) {
        double sum = 0;
        for (size_t k = 0; k < a.size(); ++k) sum += std::max(0.0, s[a[k]]) * share(k, x);
        return sum;
    };
    for (int i = 0; i < 2000; ++i) {
        double mid = lo + (hi - lo) / 2;
        if (mid <= lo || mid >= hi) break;
        (allocated(mid) > supply ? lo : hi) = mid;
    }
    // Of the two neighbouring levels, the one whose total is closer to the supply.
    double x = std::fabs(allocated(lo) - supply) <= std::fabs(allocated(hi) - supply) ? lo : hi;
    return request * share(call.element, x);
}

// ALLOCATE BY PRIORITY (Vensim): each request has a rectangular priority profile of `width`
// ending at its priority; the supply goes to requests from the highest priority down, so that at
// the clearing level x request k receives request_k * clamp((priority_k - x) / width, 0, 1) and
// the total is the supply. The total falls continuously as x rises: bisection finds x.
// INVERT MATRIX: Gauss-Jordan elimination with partial pivoting (NaN when singular).
double Simulator::array_call(uint32_t index) {
    const ArrayCall &call = p_.array_calls[index];
    if (call.function == ArrayFunction::allocate_available) return allocate_available(call);
    const std::vector<uint32_t> &a = p_.lists[call.a];
    const double *s = slots_.data();
    if (call.function == ArrayFunction::allocate) {
        const std::vector<uint32_t> &prio = p_.lists[call.b];
        double width = std::max(s[call.width], 1e-12);
        double supply = s[call.supply];
        double total = 0, lo = std::numeric_limits<double>::infinity(), hi = -lo;
        for (size_t k = 0; k < a.size(); ++k) {
            total += std::max(0.0, s[a[k]]);
            lo = std::min(lo, s[prio[k]] - width);
            hi = std::max(hi, s[prio[k]]);
        }
        double request = std::max(0.0, s[a[call.element]]);
        if (supply <= 0) return 0;
        if (supply >= total) return request;
        auto allocated = [&](double x) {
            double sum = 0;
            for (size_t k = 0; k < a.size(); ++k)
                sum += std::max(0.0, s[a[k]]) * std::clamp((s[prio[k]] - x) / width, 0.0, 1.0);
            return sum;
        };
        for (int i = 0; i < 200 && hi - lo > 0; ++i) {
            double mid = lo + (hi - lo) / 2;
            if (mid <= lo || mid >= hi) break;
            (allocated(mid) > supply ? lo : hi) = mid;
        }
        double x = lo + (hi - lo) / 2;
        return request * std::clamp((s[prio[call.element]] - x) / width, 0.0, 1.0);
    }
    auto n = static_cast<size_t>(std::llround(std::sqrt(static_cast<double>(a.size()))));
    matrix_scratch_.assign(n * 2 * n, 0.0);
    auto m = [&](size_t r, size_t c) -> double & { return matrix_scratch_[r * 2 * n + c]; };
    for (size_t r = 0; r < n; ++r) {
        for (size_t c = 0; c < n; ++c) m(r, c) = s[a[r * n + c]];
        m(r, n + r) = 1;
    }
    for (size_t col = 0; col < n; ++col) {
        size_t pivot = col;
        for (size_t r = col + 1; r < n; ++r)
            if (std::fabs(m(r, col)) > std::fabs(m(pivot, col))) pivot = r;
        if (m(pivot, col) == 0) return std::nan("");
        for (size_t c = 0; c < 2 * n; ++c) std::swap(m(col, c), m(pivot, c));
        double p = m(col, col);
        for (size_t c = 0; c < 2 * n; ++c) m(col, c) /= p;
        for (size_t r = 0; r < n; ++r) {
            if (r == col || m(r, col) == 0) continue;
            double f = m(r, col);
            for (size_t c = 0; c < 2 * n; ++c) m(r, c) -= f * m(col, c);
        }
    }
    return m(call.element / n, n + call.element % n);
}

void Simulator::reset_state(const RunSettings &settings) {
    for (auto &h : delay_history_) h.clear();
    delay_history_.resize(p_.delays.size());
    // Seeding a Mersenne twister costs more than a small model's whole run: only when drawn from.
    if (!p_.randoms.empty()) run_rng_.seed(settings.seed);
    call_rngs_.resize(p_.randoms.size());
    for (size_t i = 0; i < p_.randoms.size(); ++i)
        if (p_.randoms[i].has_seed)
            call_rngs_[i].seed(static_cast<uint64_t>(std::llround(p_.initial_slots[p_.randoms[i].seed])));
    drawn_at_.assign(p_.randoms.size(), 0);
    drawn_.assign(p_.randoms.size(), 0.0);
    index_warned_.assign(p_.indexed_reads.size(), 0);
    results_.warnings.clear();
    for (const std::string &name : p_.clock_readers)
        results_.warnings.push_back("variable '" + name +
                                    "' reads the computer's clock (GET TIME VALUE relative to 2): this run cannot be repeated");
    step_index_ = 0;
}

void Simulator::compute_derivatives() {
    double *s = slots_.data();
    double *d = s + p_.derivative_base;
    const FlowTerm *terms = p_.flow_terms.data();
    const uint32_t *begin = p_.flow_begin.data();
    for (uint32_t k = 0; k < p_.stock_count; ++k) {
        double sum = 0;
        for (uint32_t i = begin[k]; i < begin[k + 1]; ++i) sum += terms[i].sign * s[terms[i].slot];
        d[k] = sum;
    }
}

void Simulator::rhs(double t, const double *stocks, double *derivatives) {
    std::copy(stocks, stocks + p_.stock_count, slots_.data() + slot_first_stock);
    slots_[slot_time] = t;
    evaluate(p_.step);
    compute_derivatives();
    const double *d = slots_.data() + p_.derivative_base;
    std::copy(d, d + p_.stock_count, derivatives);
}

// Derivatives of the stocks as they are in slots_ at time t (stocks are read, not changed).
void Simulator::derivatives_at(double t, std::vector<double> &out) {
    slots_[slot_time] = t;
    evaluate(p_.step);
    compute_derivatives();
    const double *d = slots_.data() + p_.derivative_base;
    out.assign(d, d + p_.stock_count);
}

// One fixed step of `dt` from time t: the step's values (slots_) are already computed at t.
void Simulator::advance(IntegrationMethod method, double t, double dt) {
    const uint32_t n = p_.stock_count;
    double *stocks = slots_.data() + slot_first_stock;
    const double *deriv = slots_.data() + p_.derivative_base;
    const double *slots = slots_.data();
    const FlowTerm *flow_terms = p_.flow_terms.data();
    const uint32_t *flow_begin = p_.flow_begin.data();
    switch (method) {
    case IntegrationMethod::cvode: break; // run_cvode integrates on its own
    case IntegrationMethod::euler:
        for (uint32_t k = 0; k < n; ++k) {
            double sum = 0;
            for (uint32_t j = flow_begin[k]; j < flow_begin[k + 1]; ++j)
                sum += flow_terms[j].sign * slots[flow_terms[j].slot];
            stocks[k] += dt * sum;
        }
        break;
    case IntegrationMethod::rk2:
        compute_derivatives();
        y0_.assign(stocks, stocks + n);
        k1_.assign(deriv, deriv + n);
        for (uint32_t k = 0; k < n; ++k) stocks[k] = y0_[k] + dt * k1_[k];
        derivatives_at(t + dt, k2_);
        for (uint32_t k = 0; k < n; ++k) stocks[k] = y0_[k] + dt / 2 * (k1_[k] + k2_[k]);
        break;
    case IntegrationMethod::rk4:
        compute_derivatives();
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
}

void Simulator::clamp_non_negative() {
    double *stocks = slots_.data() + slot_first_stock;
    for (uint32_t k = 0; k < p_.stock_count; ++k)
        if (p_.stock_non_negative[k] && stocks[k] < 0) stocks[k] = 0;
}

// XMILE 1.0 section 3.6 and Stella: a non-negative stock does not go below zero because its
// outflows are reduced, in the order they are listed (outflow priority), to what the stock and
// this step's inflows hold; the reduced flow is what the outflow reports and what a stock it fills
// receives. Only a flow that drains this one stock is reduced (one shared by several stocks keeps
// its value, and the stock is clamped afterwards as before).
void Simulator::prepare_outflow_limits() {
    limitable_outflow_.assign(p_.flow_terms.size(), 0);
    std::vector<uint32_t> drains;
    for (const FlowTerm &f : p_.flow_terms)
        if (f.sign < 0) drains.push_back(f.slot);
    std::sort(drains.begin(), drains.end());
    for (uint32_t k = 0; k < p_.stock_count; ++k) {
        if (!p_.stock_non_negative[k]) continue;
        for (uint32_t j = p_.flow_begin[k]; j < p_.flow_begin[k + 1]; ++j) {
            const FlowTerm &f = p_.flow_terms[j];
            auto [lo, hi] = std::equal_range(drains.begin(), drains.end(), f.slot);
            limitable_outflow_[j] = f.sign < 0 && hi - lo == 1;
        }
    }
}

void Simulator::limit_outflows(double dt) {
    const double *stocks = slots_.data() + slot_first_stock;
    for (uint32_t k = 0; k < p_.stock_count; ++k) {
        if (!p_.stock_non_negative[k]) continue;
        double available = stocks[k];
        for (uint32_t j = p_.flow_begin[k]; j < p_.flow_begin[k + 1]; ++j)
            if (p_.flow_terms[j].sign > 0) available += dt * slots_[p_.flow_terms[j].slot];
        for (uint32_t j = p_.flow_begin[k]; j < p_.flow_begin[k + 1]; ++j) {
            const FlowTerm &f = p_.flow_terms[j];
            if (f.sign > 0) continue;
            double &flow = slots_[f.slot];
            if (limitable_outflow_[j] && flow > 0) flow = std::min(flow, std::max(available, 0.0) / dt);
            available -= dt * flow;
        }
    }
}

const Results &Simulator::run(const RunSettings &settings) {
    run_unmarked(settings);
    mark_missing();
    return results_;
}

// Vensim's :NA: is a number inside the run (models compare against it) and missing in the
// output, as Vensim's output files show it.
void Simulator::mark_missing() {
    for (double &v : results_.values)
        if (v == vensim_na) v = std::numeric_limits<double>::quiet_NaN();
}

const Results &Simulator::run_unmarked(const RunSettings &settings) {
    double start = settings.start.value_or(p_.sim_specs.start);
    double stop = settings.stop.value_or(p_.sim_specs.stop);
    double dt = settings.dt.value_or(p_.sim_specs.dt);
    double save_step = settings.save_step.value_or(p_.sim_specs.save_step.value_or(dt));
    IntegrationMethod method = settings.method.value_or(p_.sim_specs.method);
    if (!(dt > 0) || !std::isfinite(dt)) throw ModelError("dt must be a positive number");
    if (!(stop >= start)) throw ModelError("stop time is before start time");
    if (!(save_step > 0)) throw ModelError("save_step must be positive");
    start_ = start;
    dt_ = dt;
    reset_state(settings);
    double span = (stop - start) / dt;
    if (span > 1e9) throw ModelError("too many steps: (stop - start) / dt is over 1e9");
    size_t steps = static_cast<size_t>(std::llround(span));
    size_t save_every = std::max<size_t>(1, static_cast<size_t>(std::llround(save_step / dt)));

    // The column names are rebuilt only when the selection changes (repeated runs allocate nothing).
    if (!names_valid_ || settings.outputs != last_outputs_) {
        names_valid_ = true;
        last_outputs_ = settings.outputs;
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
    VaryingControls varying{p_.control_dt.slot != no_control && !settings.dt,
                            p_.control_stop.slot != no_control && !settings.stop,
                            p_.control_save_step.slot != no_control && !settings.save_step};
    if (varying.dt || varying.stop || varying.save_step) {
        if (method == IntegrationMethod::cvode)
            throw ModelError("TIME STEP, FINAL TIME or SAVEPER change during the run: use a fixed-step method (euler, rk2, rk4)");
        run_varying_controls(varying, method, start, stop, dt, save_step);
        return results_;
    }
    if (method == IntegrationMethod::cvode) {
        results_.times.clear();
        results_.values.clear();
        run_cvode(settings, start, stop, save_step);
        return results_;
    }

    const uint32_t n = p_.stock_count;
    double *stocks = slots_.data() + slot_first_stock;
    const double *slots = slots_.data();
    const FlowTerm *flow_terms = p_.flow_terms.data();
    const uint32_t *flow_begin = p_.flow_begin.data();
    // Stella's outflow limits are defined for Euler steps; Runge-Kutta keeps clamping the stock.
    const bool limit = any_non_negative && method == IntegrationMethod::euler;
    if (limit) prepare_outflow_limits();
    size_t until_save = 1;
    for (size_t i = 0;; ++i) {
        double t = start + static_cast<double>(i) * dt;
        slots_[slot_time] = t;
        evaluate(p_.step);
        if (limit) limit_outflows(dt);
        // A countdown instead of i % save_every: a division per step is a measurable share of
        // a small model's step.
        if (--until_save == 0) {
            until_save = save_every;
            results_.times[row++] = t;
            const double *values = slots_.data();
            for (size_t c = 0; c < out_count; ++c) *out++ = values[out_slots[c]];
        }
        if (i == steps) break;
        for (const auto &[src, dst] : p_.previous_updates) slots_[dst] = slots_[src];
        if (!p_.delays.empty()) record_delay_inputs();
        // Euler inline: the common case, and a small model's step is short enough for a call to show.
        if (method == IntegrationMethod::euler) {
            for (uint32_t k = 0; k < n; ++k) {
                double sum = 0;
                for (uint32_t j = flow_begin[k]; j < flow_begin[k + 1]; ++j)
                    sum += flow_terms[j].sign * slots[flow_terms[j].slot];
                stocks[k] += dt * sum;
            }
        } else {
            advance(method, t, dt);
        }
        step_index_ = i + 1;
        if (any_non_negative) clamp_non_negative();
    }
    return results_;
}

} // namespace holon_sd
