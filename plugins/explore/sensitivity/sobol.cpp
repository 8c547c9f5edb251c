#include "sensitivity/sobol.hpp"

#include "core/stats.hpp"

#include <cmath>

namespace holon_explore::sensitivity {
namespace {

// The matrices of one outcome, each N long: A, B, AB[j], BA[j].
struct Split {
    std::vector<double> a, b;
    std::vector<std::vector<double>> ab, ba;
};

Split split(const std::vector<double> &y, std::size_t d, bool second_order) {
    const std::size_t step = second_order ? 2 * d + 2 : d + 2;
    const std::size_t n = y.size() / step;
    double centre = mean(y);
    Split s;
    s.a.resize(n);
    s.b.resize(n);
    s.ab.assign(d, std::vector<double>(n));
    if (second_order) s.ba.assign(d, std::vector<double>(n));
    for (std::size_t i = 0; i < n; ++i) {
        const double *block = y.data() + i * step;
        s.a[i] = block[0] - centre;
        s.b[i] = block[step - 1] - centre;
        for (std::size_t j = 0; j < d; ++j) {
            s.ab[j][i] = block[1 + j] - centre;
            if (second_order) s.ba[j][i] = block[1 + d + j] - centre;
        }
    }
    return s;
}

// The estimators over the rows `rows` of the blocks (every row once for the point estimate, a
// bootstrap resample otherwise).
struct Estimator {
    const Split &s;
    const std::vector<std::size_t> &rows;

    double total_variance() const {
        double sum = 0, sum2 = 0;
        for (std::size_t r : rows) {
            sum += s.a[r] + s.b[r];
            sum2 += s.a[r] * s.a[r] + s.b[r] * s.b[r];
        }
        const double m = static_cast<double>(2 * rows.size());
        return sum2 / m - (sum / m) * (sum / m);
    }
    double first(std::size_t j, double v) const {
        double sum = 0;
        for (std::size_t r : rows) sum += s.b[r] * (s.ab[j][r] - s.a[r]);
        return sum / static_cast<double>(rows.size()) / v;
    }
    double total(std::size_t j, double v) const {
        double sum = 0;
        for (std::size_t r : rows) sum += (s.a[r] - s.ab[j][r]) * (s.a[r] - s.ab[j][r]);
        return 0.5 * sum / static_cast<double>(rows.size()) / v;
    }
    double second(std::size_t j, std::size_t k, double v) const {
        double sum = 0;
        for (std::size_t r : rows) sum += s.ba[j][r] * s.ab[k][r] - s.a[r] * s.b[r];
        return sum / static_cast<double>(rows.size()) / v - first(j, v) - first(k, v);
    }
};

} // namespace

SobolIndices sobol_indices(const std::vector<double> &y, std::size_t d, const SobolOptions &o) {
    if (d == 0) throw std::invalid_argument("a Sobol analysis needs at least one factor");
    const std::size_t step = o.second_order ? 2 * d + 2 : d + 2;
    if (y.empty() || y.size() % step != 0)
        throw std::invalid_argument("a Saltelli sample of " + std::to_string(d) + " factors " +
                                    (o.second_order ? "with" : "without") + " second order has a multiple of " +
                                    std::to_string(step) + " rows (N blocks of " + std::to_string(step) + "); got " +
                                    std::to_string(y.size()));
    for (std::size_t r = 0; r < y.size(); ++r)
        if (!std::isfinite(y[r]))
            throw std::invalid_argument("output row " + std::to_string(r) + " is not a finite number");
    const Split s = split(y, d, o.second_order);
    const std::size_t n = s.a.size();
    std::vector<std::size_t> all(n);
    for (std::size_t i = 0; i < n; ++i) all[i] = i;

    SobolIndices out;
    out.base_samples = n;
    const Estimator point{s, all};
    out.variance = point.total_variance();
    const double nan = std::nan("");
    out.s1.assign(d, nan);
    out.st.assign(d, nan);
    out.s1_conf.assign(d, nan);
    out.st_conf.assign(d, nan);
    if (o.second_order) {
        out.s2.assign(d * d, nan);
        out.s2_conf.assign(d * d, nan);
    }
    if (!(out.variance > 0)) return out; // a constant output has no indices
    for (std::size_t j = 0; j < d; ++j) {
        out.s1[j] = point.first(j, out.variance);
        out.st[j] = point.total(j, out.variance);
        if (o.second_order)
            for (std::size_t k = j + 1; k < d; ++k) out.s2[j * d + k] = point.second(j, k, out.variance);
    }

    if (o.resamples < 2) return out;
    // Every resample draws its N rows first, so the estimates of all factors share one resample.
    Uniform draw(o.seed);
    const auto m = static_cast<std::size_t>(o.resamples);
    std::vector<std::vector<double>> b1(d), bt(d), b2(o.second_order ? d * d : 0);
    std::vector<std::size_t> rows(n);
    for (std::size_t r = 0; r < m; ++r) {
        for (std::size_t i = 0; i < n; ++i) rows[i] = draw.below(n);
        const Estimator e{s, rows};
        const double v = e.total_variance();
        for (std::size_t j = 0; j < d; ++j) {
            b1[j].push_back(e.first(j, v));
            bt[j].push_back(e.total(j, v));
            if (o.second_order)
                for (std::size_t k = j + 1; k < d; ++k) b2[j * d + k].push_back(e.second(j, k, v));
        }
    }
    const double z = normal_ppf(0.5 + o.confidence / 2);
    for (std::size_t j = 0; j < d; ++j) {
        out.s1_conf[j] = z * stdev(b1[j], 1);
        out.st_conf[j] = z * stdev(bt[j], 1);
        if (o.second_order)
            for (std::size_t k = j + 1; k < d; ++k) out.s2_conf[j * d + k] = z * stdev(b2[j * d + k], 1);
    }
    return out;
}

std::string check_saltelli_layout(const std::vector<std::vector<double>> &x, const std::vector<std::string> &names,
                                  bool second_order) {
    const std::size_t d = x.size();
    if (d == 0) return "";
    const std::size_t rows = x[0].size(), step = second_order ? 2 * d + 2 : d + 2;
    if (rows % step != 0)
        return "the experiments have " + std::to_string(rows) + " rows, not a multiple of " + std::to_string(step) +
               " (a Saltelli sample of " + std::to_string(d) + " factors " + (second_order ? "with" : "without") +
               " second order)";
    for (std::size_t base = 0; base < rows; base += step) {
        const std::size_t a = base, b = base + step - 1;
        for (std::size_t j = 0; j < d; ++j) {
            for (int kind = 0; kind < (second_order ? 2 : 1); ++kind) {
                const std::size_t row = base + 1 + j + (kind == 1 ? d : 0);
                const std::size_t same = kind == 0 ? a : b, other = kind == 0 ? b : a;
                for (std::size_t c = 0; c < d; ++c) {
                    const double want = x[c][c == j ? other : same];
                    if (x[c][row] != want)
                        return "row " + std::to_string(row) + " breaks the Saltelli layout: it should equal row " +
                               std::to_string(same) + " except in '" + names[j] + "', which comes from row " +
                               std::to_string(other) + " (column '" + names[c] + "' differs)";
                }
            }
        }
    }
    return "";
}

} // namespace holon_explore::sensitivity
