#include "batch/sampling.hpp"

#include <boost/math/distributions/normal.hpp>

#include <cmath>
#include <numeric>
#include <stdexcept>

namespace holon::batch {
namespace {

// The open interval the unbounded quantiles need: u = 0 would map to minus infinity.
double open_unit(double u) {
    constexpr double tiny = 0x1.0p-54;
    if (u < tiny) return tiny;
    if (u > 1.0 - tiny) return 1.0 - tiny;
    return u;
}

double standard_normal_quantile(double u) {
    static const boost::math::normal_distribution<double> standard(0.0, 1.0);
    return boost::math::quantile(standard, open_unit(u));
}

} // namespace

double Distribution::quantile(double u) const {
    switch (kind) {
    case DistributionKind::uniform:
        return a + u * (b - a);
    case DistributionKind::normal:
        return a + b * standard_normal_quantile(u);
    case DistributionKind::lognormal:
        return std::exp(a + b * standard_normal_quantile(u));
    case DistributionKind::triangular: {
        const double width = b - a;
        if (width <= 0) return a;
        const double mode_fraction = (c - a) / width;
        if (u < mode_fraction) return a + std::sqrt(u * width * (c - a));
        return b - std::sqrt((1.0 - u) * width * (b - c));
    }
    case DistributionKind::discrete: {
        if (values.empty()) throw std::invalid_argument("discrete distribution without values");
        std::vector<double> w = weights.empty() ? std::vector<double>(values.size(), 1.0) : weights;
        const double total = std::accumulate(w.begin(), w.end(), 0.0);
        const double target = u * total;
        double cumulative = 0;
        for (size_t i = 0; i < values.size(); ++i) {
            cumulative += w[i];
            if (target < cumulative) return values[i];
        }
        return values.back();
    }
    }
    return a;
}

std::vector<double> linspace(double from, double to, uint64_t count) {
    std::vector<double> v;
    if (count == 0) return v;
    if (count == 1) return {from};
    v.reserve(count);
    const double step = (to - from) / static_cast<double>(count - 1);
    for (uint64_t i = 0; i < count; ++i) v.push_back(i + 1 == count ? to : from + step * static_cast<double>(i));
    return v;
}

std::vector<std::vector<double>> grid_points(const std::vector<std::vector<double>> &axes) {
    size_t total = axes.empty() ? 0 : 1;
    for (const auto &a : axes) total *= a.size();
    std::vector<std::vector<double>> points(total, std::vector<double>(axes.size()));
    for (size_t i = 0; i < total; ++i) {
        size_t rest = i;
        for (size_t d = axes.size(); d-- > 0;) {
            points[i][d] = axes[d][rest % axes[d].size()];
            rest /= axes[d].size();
        }
    }
    return points;
}

std::vector<std::vector<double>> latin_hypercube(const std::vector<Distribution> &dims, uint64_t samples, uint64_t seed) {
    UniformSource source(seed);
    const size_t n = static_cast<size_t>(samples);
    std::vector<std::vector<double>> points(n, std::vector<double>(dims.size()));
    std::vector<size_t> strata(n);
    for (size_t d = 0; d < dims.size(); ++d) {
        std::iota(strata.begin(), strata.end(), size_t{0});
        for (size_t i = n; i-- > 1;) {
            auto j = static_cast<size_t>(source.next() * static_cast<double>(i + 1));
            if (j > i) j = i;
            std::swap(strata[i], strata[j]);
        }
        for (size_t p = 0; p < n; ++p) {
            const double u = (static_cast<double>(strata[p]) + source.next()) / static_cast<double>(n);
            points[p][d] = dims[d].quantile(u);
        }
    }
    return points;
}

std::vector<std::vector<double>> monte_carlo(const std::vector<Distribution> &dims, uint64_t samples, uint64_t seed) {
    UniformSource source(seed);
    std::vector<std::vector<double>> points(static_cast<size_t>(samples), std::vector<double>(dims.size()));
    for (auto &point : points)
        for (size_t d = 0; d < dims.size(); ++d) point[d] = dims[d].quantile(source.next());
    return points;
}

} // namespace holon::batch
