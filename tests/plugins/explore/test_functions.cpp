#include "test_functions.hpp"

#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>

namespace explore_test {

double ishigami(const std::vector<double> &x) {
    const double a = 7, b = 0.1;
    return std::sin(x[0]) + a * std::sin(x[1]) * std::sin(x[1]) + b * std::pow(x[2], 4) * std::sin(x[0]);
}

double sobol_g(const std::vector<double> &x, const std::vector<double> &a) {
    double y = 1;
    for (std::size_t i = 0; i < x.size(); ++i) y *= (std::fabs(4 * x[i] - 2) + a[i]) / (1 + a[i]);
    return y;
}

std::vector<std::vector<double>> sobol_points(std::size_t n, std::size_t dims) {
    // Joe & Kuo (2008), new-joe-kuo-6.21201: dimension 2..16 as {s, a, m_1..m_s}.
    struct Row {
        unsigned s, a;
        std::vector<uint32_t> m;
    };
    static const std::vector<Row> table = {
        {1, 0, {1}},          {2, 1, {1, 3}},          {3, 1, {1, 3, 1}},        {3, 2, {1, 1, 1}},
        {4, 1, {1, 1, 3, 3}}, {4, 4, {1, 3, 5, 13}},   {5, 2, {1, 1, 5, 5, 17}}, {5, 4, {1, 1, 5, 5, 5}},
        {5, 7, {1, 1, 7, 11, 19}}, {5, 11, {1, 1, 5, 1, 1}}, {5, 13, {1, 1, 1, 3, 11}}, {5, 14, {1, 3, 5, 5, 31}},
        {6, 1, {1, 3, 3, 9, 7, 49}}, {6, 13, {1, 1, 1, 15, 21, 21}}, {6, 16, {1, 3, 1, 13, 27, 49}}};
    if (dims > table.size() + 1) throw std::invalid_argument("sobol_points: at most 16 dimensions");
    constexpr unsigned bits = 32;
    std::vector<std::vector<uint32_t>> v(dims, std::vector<uint32_t>(bits + 1));
    for (unsigned k = 1; k <= bits; ++k) v[0][k] = 1u << (bits - k);
    for (std::size_t d = 1; d < dims; ++d) {
        const Row &row = table[d - 1];
        for (unsigned k = 1; k <= bits; ++k) {
            if (k <= row.s) {
                v[d][k] = row.m[k - 1] << (bits - k);
            } else {
                uint32_t value = v[d][k - row.s] ^ (v[d][k - row.s] >> row.s);
                for (unsigned i = 1; i < row.s; ++i)
                    if ((row.a >> (row.s - 1 - i)) & 1u) value ^= v[d][k - i];
                v[d][k] = value;
            }
        }
    }
    std::vector<std::vector<double>> points(n, std::vector<double>(dims, 0.0));
    std::vector<uint32_t> state(dims, 0);
    for (std::size_t i = 1; i < n; ++i) {
        unsigned c = 1; // position of the lowest zero bit of i-1
        for (std::size_t value = i - 1; value & 1u; value >>= 1) ++c;
        for (std::size_t d = 0; d < dims; ++d) {
            state[d] ^= v[d][c];
            points[i][d] = static_cast<double>(state[d]) / 4294967296.0;
        }
    }
    return points;
}

std::vector<std::vector<double>> saltelli_sample(std::size_t n, std::size_t d, bool second_order) {
    const auto base = sobol_points(n, 2 * d);
    const std::size_t step = second_order ? 2 * d + 2 : d + 2;
    std::vector<std::vector<double>> x(d, std::vector<double>(n * step));
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t r = i * step;
        for (std::size_t c = 0; c < d; ++c) {
            const double a = base[i][c], b = base[i][d + c];
            x[c][r] = a;
            x[c][r + step - 1] = b;
            for (std::size_t j = 0; j < d; ++j) {
                x[c][r + 1 + j] = c == j ? b : a;
                if (second_order) x[c][r + 1 + d + j] = c == j ? a : b;
            }
        }
    }
    return x;
}

std::vector<std::vector<double>> morris_trajectories(std::size_t r, std::size_t d, int levels, uint64_t seed) {
    std::mt19937_64 engine(seed);
    auto below = [&](std::size_t n) { return static_cast<std::size_t>(engine() % n); };
    const int jump = levels / 2; // Delta = p / (2 (p - 1)) is levels/2 grid steps
    const double grid = 1.0 / (levels - 1);
    std::vector<std::vector<double>> x(d);
    for (std::size_t t = 0; t < r; ++t) {
        std::vector<int> level(d);
        for (std::size_t c = 0; c < d; ++c) level[c] = static_cast<int>(below(static_cast<std::size_t>(levels)));
        std::vector<std::size_t> order(d);
        for (std::size_t c = 0; c < d; ++c) order[c] = c;
        for (std::size_t i = d; i > 1; --i) std::swap(order[i - 1], order[below(i)]);
        auto emit = [&] {
            for (std::size_t c = 0; c < d; ++c) x[c].push_back(level[c] * grid);
        };
        emit();
        for (std::size_t c : order) {
            level[c] += level[c] + jump <= levels - 1 ? jump : -jump;
            emit();
        }
    }
    return x;
}

std::vector<double> evaluate(const std::vector<std::vector<double>> &unit, const std::function<double(const std::vector<double> &)> &f,
                             const std::function<double(double)> &scale) {
    const std::size_t rows = unit.front().size();
    std::vector<double> y(rows);
    std::vector<double> point(unit.size());
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t c = 0; c < unit.size(); ++c) point[c] = scale(unit[c][r]);
        y[r] = f(point);
    }
    return y;
}

} // namespace explore_test
