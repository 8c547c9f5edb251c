#include "discovery/prim.hpp"

#include "core/stats.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace holon_explore::discovery {
namespace {

using Rows = std::vector<std::size_t>;

bool inside(const PrimData &d, std::size_t row, const Limits &box) {
    for (std::size_t j = 0; j < d.x.size(); ++j) {
        const double v = d.x[j][row];
        if (v < box.lower[j] || v > box.upper[j]) return false;
    }
    return true;
}

Rows rows_in(const PrimData &d, const Limits &box) {
    Rows out;
    for (std::size_t r = 0; r < d.y.size(); ++r)
        if (inside(d, r, box)) out.push_back(r);
    return out;
}

double mean_y(const PrimData &d, const Rows &rows) {
    if (rows.empty()) return 0; // as EMA: an empty box has mean 0
    double sum = 0;
    for (std::size_t r : rows) sum += d.y[r];
    return sum / static_cast<double>(rows.size());
}

double objective(Objective kind, const PrimData &d, const Rows &old_rows, const Rows &new_rows) {
    const double mean_new = mean_y(d, new_rows), mean_old = mean_y(d, old_rows);
    if (kind == Objective::original) return new_rows.empty() ? -1 : mean_new;
    if (mean_old == mean_new) return 0;
    const double change = std::fabs(static_cast<double>(old_rows.size()) - static_cast<double>(new_rows.size()));
    if (change == 0) return 0; // the same rows cannot have another mean; kept for safety
    const double gain = (mean_new - mean_old) / change;
    return kind == Objective::lenient1 ? gain : static_cast<double>(new_rows.size()) * gain;
}

int restricted_count(const Limits &box, const Limits &range) {
    int n = 0;
    for (std::size_t j = 0; j < box.lower.size(); ++j) n += restricted(box, range, j) ? 1 : 0;
    return n;
}

struct Candidate {
    double score = 0;
    int unrestricted = 0;
    Limits limits;
    Rows rows;
    bool set = false;
    // Strictly better only: on a tie the earlier candidate stays (EMA sorts stably).
    void offer(double s, int u, Limits l, Rows r) {
        if (set && (s < score || (s == score && u <= unrestricted))) return;
        score = s;
        unrestricted = u;
        limits = std::move(l);
        rows = std::move(r);
        set = true;
    }
};

TrajectoryBox make_step(const PrimData &d, const Limits &box, const Limits &range, const char *phase) {
    return {box, box_stats(d, box, range), quasi_p(d, box, range), phase};
}

} // namespace

double sdtoolkit_quantile(std::vector<double> data, double q) {
    if (data.empty()) throw std::invalid_argument("quantile of no data");
    std::sort(data.begin(), data.end());
    const double i = static_cast<double>(data.size() - 1) * q;
    auto lo = static_cast<std::size_t>(std::floor(i)), hi = static_cast<std::size_t>(std::ceil(i));
    if (q > 0.5) {
        while (data[lo] == data[hi] && lo > 0) --lo;
    } else {
        while (data[lo] == data[hi] && hi < data.size() - 1) ++hi;
    }
    return (data[lo] + data[hi]) / 2;
}

Limits data_range(const PrimData &data) {
    Limits range;
    for (const auto &column : data.x) {
        if (column.empty()) throw std::invalid_argument("PRIM needs at least one row");
        const auto [lo, hi] = std::minmax_element(column.begin(), column.end());
        range.lower.push_back(*lo);
        range.upper.push_back(*hi);
    }
    return range;
}

bool restricted(const Limits &box, const Limits &range, std::size_t j) {
    return box.lower[j] != range.lower[j] || box.upper[j] != range.upper[j];
}

BoxStats box_stats(const PrimData &d, const Limits &box, const Limits &range) {
    BoxStats s;
    std::size_t total_interest = 0;
    for (std::size_t r = 0; r < d.y.size(); ++r) {
        total_interest += d.y[r] ? 1 : 0;
        if (!inside(d, r, box)) continue;
        ++s.rows;
        s.interest += d.y[r] ? 1 : 0;
    }
    s.coverage = total_interest ? static_cast<double>(s.interest) / static_cast<double>(total_interest) : 0.0;
    s.density = s.rows ? static_cast<double>(s.interest) / static_cast<double>(s.rows) : 0.0;
    s.mass = d.y.empty() ? 0.0 : static_cast<double>(s.rows) / static_cast<double>(d.y.size());
    s.restricted = restricted_count(box, range);
    return s;
}

std::vector<QuasiP> quasi_p(const PrimData &d, const Limits &box, const Limits &range) {
    const BoxStats in = box_stats(d, box, range);
    std::vector<QuasiP> out(box.lower.size());
    for (std::size_t j = 0; j < box.lower.size(); ++j) {
        for (int side = 0; side < 2; ++side) {
            const double limit = side == 0 ? box.lower[j] : box.upper[j];
            const double whole = side == 0 ? range.lower[j] : range.upper[j];
            if (limit == whole) continue;
            Limits relaxed = box;
            (side == 0 ? relaxed.lower[j] : relaxed.upper[j]) = whole;
            const BoxStats wider = box_stats(d, relaxed, range);
            const double p = wider.rows ? static_cast<double>(wider.interest) / static_cast<double>(wider.rows) : 0.0;
            const double qp = binomial_upper_tail(static_cast<int64_t>(in.interest), static_cast<int64_t>(in.rows), p);
            (side == 0 ? out[j].lower : out[j].upper) = qp;
        }
    }
    return out;
}

std::vector<TrajectoryBox> prim(const PrimData &d, const PrimOptions &o) {
    if (d.x.empty()) throw std::invalid_argument("PRIM needs at least one experiments column");
    const std::size_t n = d.y.size(), dims = d.x.size();
    if (n == 0) throw std::invalid_argument("PRIM needs at least one row");
    if (std::count(d.y.begin(), d.y.end(), 1) == 0)
        throw std::invalid_argument("no row is a case of interest: there is nothing to find a box for");
    const Limits range = data_range(d);
    std::vector<TrajectoryBox> trajectory{make_step(d, range, range, "start")};
    Limits box = range;
    Rows rows(n);
    for (std::size_t r = 0; r < n; ++r) rows[r] = r;
    auto mass = [&](const Rows &r) { return static_cast<double>(r.size()) / static_cast<double>(n); };

    for (;;) { // peeling
        Candidate best;
        for (std::size_t j = 0; j < dims; ++j) {
            std::vector<double> xj;
            xj.reserve(rows.size());
            for (std::size_t r : rows) xj.push_back(d.x[j][r]);
            for (int side = 1; side >= 0; --side) { // upper first, as EMA
                const double cut = sdtoolkit_quantile(xj, side == 1 ? 1 - o.peel_alpha : o.peel_alpha);
                Rows kept;
                for (std::size_t r : rows)
                    if (side == 1 ? d.x[j][r] <= cut : d.x[j][r] >= cut) kept.push_back(r);
                Limits next = box;
                (side == 1 ? next.upper[j] : next.lower[j]) = cut;
                const double score = objective(o.objective, d, rows, kept);
                best.offer(score, static_cast<int>(dims) - restricted_count(next, range), std::move(next), std::move(kept));
            }
        }
        if (!best.set || mass(best.rows) < o.mass_min || mass(best.rows) >= mass(rows) || !(best.score > 0)) break;
        box = best.limits;
        rows = std::move(best.rows);
        trajectory.push_back(make_step(d, box, range, "peel"));
    }

    while (o.paste) { // pasting
        Candidate best;
        for (std::size_t j = 0; j < dims; ++j) {
            if (!restricted(box, range, j)) continue;
            for (int side = 0; side < 2; ++side) { // lower first, as EMA
                Limits outside = box;
                if (side == 0) {
                    outside.lower[j] = range.lower[j];
                    outside.upper[j] = box.lower[j];
                } else {
                    outside.lower[j] = box.upper[j];
                    outside.upper[j] = range.upper[j];
                }
                std::vector<double> values;
                for (std::size_t r : rows_in(d, outside)) values.push_back(d.x[j][r]);
                Limits next = box;
                if (side == 0)
                    next.lower[j] = values.empty() ? range.lower[j] : sdtoolkit_quantile(values, 1 - o.paste_alpha);
                else
                    next.upper[j] = values.empty() ? range.upper[j] : sdtoolkit_quantile(values, o.paste_alpha);
                Rows grown = rows_in(d, next);
                const double score = objective(o.objective, d, rows, grown);
                best.offer(score, static_cast<int>(dims) - restricted_count(next, range), std::move(next), std::move(grown));
            }
        }
        if (!best.set || mass(best.rows) < o.mass_min || mass(best.rows) <= mass(rows) || !(best.score > 0) ||
            !(mean_y(d, best.rows) > mean_y(d, rows)))
            break;
        box = best.limits;
        rows = std::move(best.rows);
        trajectory.push_back(make_step(d, box, range, "paste"));
    }
    return trajectory;
}

} // namespace holon_explore::discovery
