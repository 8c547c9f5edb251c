#include "batch/designs.hpp"

#include "batch/sampling.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>

namespace holon::batch {
namespace {

// Joe & Kuo's direction numbers (new-joe-kuo-6.21201) for dimensions 2-32: the degree s of the
// primitive polynomial, its coefficients a, and the initial m_1..m_s.
struct DirectionData {
    unsigned s, a;
    unsigned m[7];
};
constexpr DirectionData kJoeKuo[kSobolMaxDimensions - 1] = {
    {1, 0, {1}},
    {2, 1, {1, 3}},
    {3, 1, {1, 3, 1}},
    {3, 2, {1, 1, 1}},
    {4, 1, {1, 1, 3, 3}},
    {4, 4, {1, 3, 5, 13}},
    {5, 2, {1, 1, 5, 5, 17}},
    {5, 4, {1, 1, 5, 5, 5}},
    {5, 7, {1, 1, 7, 11, 19}},
    {5, 11, {1, 1, 5, 1, 1}},
    {5, 13, {1, 1, 1, 3, 11}},
    {5, 14, {1, 3, 5, 5, 31}},
    {6, 1, {1, 3, 3, 9, 7, 49}},
    {6, 13, {1, 1, 1, 15, 21, 21}},
    {6, 16, {1, 3, 1, 13, 27, 49}},
    {6, 19, {1, 1, 1, 15, 7, 5}},
    {6, 22, {1, 3, 1, 15, 13, 25}},
    {6, 25, {1, 1, 5, 5, 19, 61}},
    {7, 1, {1, 3, 7, 11, 23, 15, 103}},
    {7, 4, {1, 3, 7, 13, 13, 15, 69}},
    {7, 7, {1, 1, 3, 13, 7, 35, 63}},
    {7, 8, {1, 3, 5, 9, 1, 25, 53}},
    {7, 14, {1, 3, 1, 13, 9, 35, 107}},
    {7, 19, {1, 3, 1, 5, 27, 61, 31}},
    {7, 21, {1, 1, 5, 11, 19, 41, 61}},
    {7, 28, {1, 3, 5, 3, 3, 13, 69}},
    {7, 31, {1, 1, 7, 13, 1, 19, 1}},
    {7, 32, {1, 3, 7, 5, 13, 19, 59}},
    {7, 37, {1, 1, 3, 9, 25, 29, 41}},
    {7, 41, {1, 3, 5, 13, 23, 1, 55}},
    {7, 42, {1, 3, 7, 3, 13, 59, 17}},
};

constexpr unsigned kBits = 32;
using Directions = std::array<uint32_t, kBits + 1>; // v[1..32], scaled by 2^32

Directions directions(unsigned dim) {
    Directions v{};
    if (dim == 0) {
        for (unsigned i = 1; i <= kBits; ++i) v[i] = uint32_t{1} << (kBits - i);
        return v;
    }
    const DirectionData &d = kJoeKuo[dim - 1];
    for (unsigned i = 1; i <= d.s; ++i) v[i] = d.m[i - 1] << (kBits - i);
    for (unsigned i = d.s + 1; i <= kBits; ++i) {
        v[i] = v[i - d.s] ^ (v[i - d.s] >> d.s);
        for (unsigned k = 1; k < d.s; ++k) v[i] ^= ((d.a >> (d.s - 1 - k)) & 1u) * v[i - k];
    }
    return v;
}

uint32_t random_bits(std::mt19937_64 &engine) { return static_cast<uint32_t>(engine() >> 32); }

// Linear matrix scramble: output digit r (r = 0 is the most significant) is the parity of the
// input digits selected by row r of a random lower-triangular matrix with unit diagonal.
void scramble_directions(Directions &v, std::mt19937_64 &engine) {
    std::array<uint32_t, kBits> rows{};
    for (unsigned r = 0; r < kBits; ++r) {
        const uint32_t diagonal = uint32_t{1} << (kBits - 1 - r);
        const uint32_t above = r == 0 ? 0u : ~((uint32_t{1} << (kBits - r)) - 1u); // more significant digits
        rows[r] = diagonal | (random_bits(engine) & above);
    }
    for (unsigned i = 1; i <= kBits; ++i) {
        uint32_t out = 0;
        for (unsigned r = 0; r < kBits; ++r)
            if (std::popcount(rows[r] & v[i]) & 1) out |= uint32_t{1} << (kBits - 1 - r);
        v[i] = out;
    }
}

} // namespace

UnitPoints sobol_sequence(unsigned dimensions, uint64_t count, bool scramble, uint64_t seed, uint64_t skip) {
    if (dimensions == 0 || dimensions > kSobolMaxDimensions)
        throw std::invalid_argument("the Sobol sequence has 1 to " + std::to_string(kSobolMaxDimensions) + " dimensions");
    if (skip + count > (uint64_t{1} << kBits)) throw std::invalid_argument("more than 2^32 Sobol points");
    std::mt19937_64 engine(seed);
    std::vector<Directions> v(dimensions);
    std::vector<uint32_t> shift(dimensions, 0);
    for (unsigned d = 0; d < dimensions; ++d) {
        v[d] = directions(d);
        if (scramble) {
            scramble_directions(v[d], engine);
            shift[d] = random_bits(engine);
        }
    }
    // The point with index `skip`: the XOR of the directions of the set bits of its Gray code.
    std::vector<uint32_t> x(dimensions, 0);
    const uint64_t gray = skip ^ (skip >> 1);
    for (unsigned bit = 0; bit < kBits; ++bit)
        if ((gray >> bit) & 1u)
            for (unsigned d = 0; d < dimensions; ++d) x[d] ^= v[d][bit + 1];
    UnitPoints points(static_cast<size_t>(count), std::vector<double>(dimensions));
    constexpr double scale = 0x1.0p-32;
    for (uint64_t i = 0; i < count; ++i) {
        for (unsigned d = 0; d < dimensions; ++d) points[i][d] = static_cast<double>(x[d] ^ shift[d]) * scale;
        // Gray-code order: the next point flips the direction of the lowest zero bit of the index.
        const unsigned c = static_cast<unsigned>(std::countr_one(skip + i)) + 1;
        if (c <= kBits)
            for (unsigned d = 0; d < dimensions; ++d) x[d] ^= v[d][c];
    }
    return points;
}

uint64_t saltelli_rows(unsigned dimensions, uint64_t samples, bool second_order) {
    return samples * (second_order ? 2ull * dimensions + 2 : uint64_t{dimensions} + 2);
}

UnitPoints saltelli(unsigned dimensions, uint64_t samples, bool second_order, bool scramble, uint64_t seed) {
    if (2 * dimensions > kSobolMaxDimensions)
        throw std::invalid_argument("a Sobol design takes at most " + std::to_string(kSobolMaxDimensions / 2) + " uncertainties");
    const UnitPoints base = sobol_sequence(2 * dimensions, samples, scramble, seed);
    UnitPoints rows;
    rows.reserve(static_cast<size_t>(saltelli_rows(dimensions, samples, second_order)));
    for (const auto &ab : base) {
        const std::vector<double> a(ab.begin(), ab.begin() + dimensions), b(ab.begin() + dimensions, ab.end());
        rows.push_back(a);
        for (unsigned i = 0; i < dimensions; ++i) {
            rows.push_back(a);
            rows.back()[i] = b[i];
        }
        if (second_order)
            for (unsigned i = 0; i < dimensions; ++i) {
                rows.push_back(b);
                rows.back()[i] = a[i];
            }
        rows.push_back(b);
    }
    return rows;
}

double morris_delta(unsigned levels) { return static_cast<double>(levels) / (2.0 * (levels - 1.0)); }

namespace {

UnitPoints one_trajectory(unsigned dimensions, unsigned levels, UniformSource &source) {
    const double delta = morris_delta(levels);
    const unsigned lowest_levels = levels / 2; // base levels whose +delta stays in [0,1]
    auto pick = [&](uint64_t n) { return std::min<uint64_t>(n - 1, static_cast<uint64_t>(source.next() * static_cast<double>(n))); };
    std::vector<double> start(dimensions);
    std::vector<double> step(dimensions);
    for (unsigned d = 0; d < dimensions; ++d) {
        const double base = static_cast<double>(pick(lowest_levels)) / (levels - 1.0);
        const bool up = source.next() < 0.5;
        start[d] = up ? base : base + delta;
        step[d] = up ? delta : -delta;
    }
    std::vector<unsigned> order(dimensions);
    std::iota(order.begin(), order.end(), 0u);
    for (size_t i = dimensions; i-- > 1;) std::swap(order[i], order[static_cast<size_t>(pick(i + 1))]);
    UnitPoints rows{start};
    for (unsigned k = 0; k < dimensions; ++k) {
        rows.push_back(rows.back());
        double &x = rows.back()[order[k]];
        x = std::clamp(x + step[order[k]], 0.0, 1.0); // clamp only absorbs rounding: base + delta <= 1
    }
    return rows;
}

} // namespace

double trajectory_distance(const UnitPoints &a, const UnitPoints &b) {
    double total = 0;
    for (const auto &p : a)
        for (const auto &q : b) {
            double s = 0;
            for (size_t d = 0; d < p.size(); ++d) s += (p[d] - q[d]) * (p[d] - q[d]);
            total += std::sqrt(s);
        }
    return total;
}

UnitPoints morris(unsigned dimensions, uint64_t trajectories, unsigned levels, uint64_t candidates, uint64_t seed) {
    if (levels < 2 || levels % 2 != 0) throw std::invalid_argument("Morris levels must be even and at least 2");
    UniformSource source(seed);
    const uint64_t generated = std::max(trajectories, candidates);
    std::vector<UnitPoints> pool;
    pool.reserve(static_cast<size_t>(generated));
    for (uint64_t t = 0; t < generated; ++t) pool.push_back(one_trajectory(dimensions, levels, source));

    std::vector<size_t> chosen;
    if (generated == trajectories || trajectories < 2) {
        for (size_t t = 0; t < trajectories; ++t) chosen.push_back(t);
    } else {
        const size_t m = pool.size();
        std::vector<double> dist(m * m, 0.0);
        for (size_t i = 0; i < m; ++i)
            for (size_t j = i + 1; j < m; ++j) dist[i * m + j] = dist[j * m + i] = trajectory_distance(pool[i], pool[j]);
        size_t bi = 0, bj = 1;
        for (size_t i = 0; i < m; ++i)
            for (size_t j = i + 1; j < m; ++j)
                if (dist[i * m + j] > dist[bi * m + bj]) bi = i, bj = j;
        chosen = {bi, bj};
        std::vector<bool> used(m, false);
        used[bi] = used[bj] = true;
        while (chosen.size() < trajectories) {
            size_t best = m;
            double best_score = -1;
            for (size_t c = 0; c < m; ++c) {
                if (used[c]) continue;
                double score = 0;
                for (size_t s : chosen) score += dist[c * m + s] * dist[c * m + s];
                if (score > best_score) best_score = score, best = c;
            }
            used[best] = true;
            chosen.push_back(best);
        }
        std::sort(chosen.begin(), chosen.end()); // keep generation order: the design reads the same either way
    }
    UnitPoints rows;
    for (size_t t : chosen)
        for (auto &r : pool[t]) rows.push_back(r);
    return rows;
}

std::vector<double> centred_levels(unsigned levels) {
    std::vector<double> u(levels);
    for (unsigned k = 0; k < levels; ++k) u[k] = (k + 0.5) / levels;
    return u;
}

} // namespace holon::batch
