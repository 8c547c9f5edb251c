#include "centrality/micmac.hpp"

#include <algorithm>
#include <cmath>

namespace holon_cld {

std::string_view micmac_quadrant_name(MicmacQuadrant quadrant) {
    switch (quadrant) {
    case MicmacQuadrant::influential: return "influential";
    case MicmacQuadrant::relay: return "relay";
    case MicmacQuadrant::dependent: return "dependent";
    case MicmacQuadrant::autonomous: break;
    }
    return "autonomous";
}

namespace {

using Matrix = std::vector<double>; // n x n, row-major

// Values this close (relative to the largest) are ties: powers accumulate rounding noise.
bool same(double a, double b, double largest) { return std::fabs(a - b) <= 1e-9 * std::max(largest, 1e-300); }

std::vector<std::size_t> ranks(const std::vector<double> &values) {
    const double largest = values.empty() ? 0 : *std::max_element(values.begin(), values.end());
    std::vector<std::size_t> rank(values.size(), 1);
    for (std::size_t i = 0; i < values.size(); ++i)
        for (std::size_t j = 0; j < values.size(); ++j)
            if (values[j] > values[i] && !same(values[j], values[i], largest)) ++rank[i];
    return rank;
}

MicmacView view(const Matrix &m, std::size_t n, bool as_shares) {
    MicmacView v;
    v.influence.assign(n, 0);
    v.dependence.assign(n, 0);
    double total = 0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            v.influence[i] += m[i * n + j];
            v.dependence[j] += m[i * n + j];
            total += m[i * n + j];
        }
    if (as_shares && total > 0)
        for (std::size_t i = 0; i < n; ++i) {
            v.influence[i] /= total;
            v.dependence[i] /= total;
        }
    v.influence_rank = ranks(v.influence);
    v.dependence_rank = ranks(v.dependence);
    if (n > 0) {
        for (std::size_t i = 0; i < n; ++i) {
            v.influence_threshold += v.influence[i];
            v.dependence_threshold += v.dependence[i];
        }
        v.influence_threshold /= static_cast<double>(n);
        v.dependence_threshold /= static_cast<double>(n);
    }
    const double big_i = v.influence.empty() ? 0 : *std::max_element(v.influence.begin(), v.influence.end());
    const double big_d = v.dependence.empty() ? 0 : *std::max_element(v.dependence.begin(), v.dependence.end());
    for (std::size_t i = 0; i < n; ++i) {
        const bool high_i = v.influence[i] > v.influence_threshold || same(v.influence[i], v.influence_threshold, big_i);
        const bool high_d = v.dependence[i] > v.dependence_threshold || same(v.dependence[i], v.dependence_threshold, big_d);
        v.quadrant.push_back(high_i ? (high_d ? MicmacQuadrant::relay : MicmacQuadrant::influential)
                                    : (high_d ? MicmacQuadrant::dependent : MicmacQuadrant::autonomous));
    }
    return v;
}

Matrix multiply(const Matrix &a, const Matrix &b, std::size_t n) {
    Matrix c(n * n, 0.0);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < n; ++k) {
            const double aik = a[i * n + k];
            if (aik == 0) continue;
            for (std::size_t j = 0; j < n; ++j) c[i * n + j] += aik * b[k * n + j];
        }
    return c;
}

// Scales so the largest cell is 1: rankings are unchanged and powers cannot overflow.
void rescale(Matrix &m) {
    const double largest = m.empty() ? 0 : *std::max_element(m.begin(), m.end());
    if (largest > 0)
        for (double &cell : m) cell /= largest;
}

} // namespace

MicmacResult micmac(const CausalGraph &graph, int max_power) {
    const std::size_t n = graph.variable_count();
    Matrix direct(n * n, 0.0);
    for (const Link &link : graph.links()) {
        if (link.from == link.to) continue;
        double &cell = direct[link.from * n + link.to];
        cell = std::max(cell, link.weight ? std::fabs(*link.weight) : 1.0);
    }
    MicmacResult result;
    result.direct = view(direct, n, false);

    Matrix base = direct;
    rescale(base);
    Matrix power = base;
    MicmacView previous = view(power, n, true);
    result.indirect = previous;
    result.power = 1;
    for (int k = 2; k <= std::max(max_power, 1); ++k) {
        Matrix next = multiply(power, base, n);
        rescale(next);
        const bool vanished = std::all_of(next.begin(), next.end(), [](double c) { return c == 0; });
        if (vanished) { // no path this long: the previous power holds all indirect influence
            result.stable = true;
            return result;
        }
        MicmacView current = view(next, n, true);
        power.swap(next);
        result.indirect = current;
        result.power = k;
        if (current.influence_rank == previous.influence_rank && current.dependence_rank == previous.dependence_rank) {
            result.stable = true;
            return result;
        }
        previous = std::move(current);
    }
    return result;
}

} // namespace holon_cld
