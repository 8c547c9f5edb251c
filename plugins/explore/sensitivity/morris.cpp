#include "sensitivity/morris.hpp"

#include "core/stats.hpp"

#include <cmath>
#include <stdexcept>

namespace holon_explore::sensitivity {

double morris_delta(int levels) { return static_cast<double>(levels) / (2.0 * (levels - 1)); }

std::vector<MorrisFactor> morris_indices(const std::vector<std::vector<double>> &x, const std::vector<std::string> &names,
                                         const std::vector<double> &y, const MorrisOptions &o) {
    const std::size_t d = x.size();
    if (d == 0) throw std::invalid_argument("a Morris analysis needs at least one factor");
    if (o.levels < 2) throw std::invalid_argument("Morris levels must be at least 2");
    const std::size_t rows = y.size(), step = d + 1;
    for (const auto &column : x)
        if (column.size() != rows) throw std::invalid_argument("the experiments and outcomes have different row counts");
    if (rows == 0 || rows % step != 0)
        throw std::invalid_argument("Morris trajectories of " + std::to_string(d) + " factors have " + std::to_string(step) +
                                    " rows each; " + std::to_string(rows) + " rows is not a whole number of them");
    const double delta = morris_delta(o.levels);
    std::vector<MorrisFactor> out(d);
    for (std::size_t t = 0; t < rows / step; ++t) {
        std::vector<bool> moved(d, false);
        for (std::size_t s = 0; s < d; ++s) {
            const std::size_t r0 = t * step + s, r1 = r0 + 1;
            std::size_t which = d;
            for (std::size_t c = 0; c < d; ++c)
                if (x[c][r1] != x[c][r0]) {
                    if (which != d)
                        throw std::invalid_argument("rows " + std::to_string(r0) + " and " + std::to_string(r1) +
                                                    " differ in both '" + names[which] + "' and '" + names[c] +
                                                    "': not a Morris trajectory (one factor moves per step)");
                    which = c;
                }
            if (which == d)
                throw std::invalid_argument("rows " + std::to_string(r0) + " and " + std::to_string(r1) +
                                            " are the same point: not a Morris trajectory");
            if (moved[which])
                throw std::invalid_argument("'" + names[which] + "' moves twice in the trajectory starting at row " +
                                            std::to_string(t * step));
            moved[which] = true;
            if (!std::isfinite(y[r0]) || !std::isfinite(y[r1]))
                throw std::invalid_argument("output row " + std::to_string(std::isfinite(y[r0]) ? r1 : r0) +
                                            " is not a finite number");
            const double dy = x[which][r1] > x[which][r0] ? y[r1] - y[r0] : y[r0] - y[r1];
            out[which].effects.push_back(dy / delta);
        }
    }
    const double z = normal_ppf(0.5 + o.confidence / 2);
    Uniform draw(o.seed);
    for (MorrisFactor &f : out) {
        std::vector<double> abs_effects;
        for (double e : f.effects) abs_effects.push_back(std::fabs(e));
        f.mu = mean(f.effects);
        f.mu_star = mean(abs_effects);
        f.sigma = stdev(f.effects, 1);
        if (o.resamples >= 2 && !abs_effects.empty()) {
            std::vector<double> means;
            const std::size_t r = abs_effects.size();
            for (int k = 0; k < o.resamples; ++k) {
                double sum = 0;
                for (std::size_t i = 0; i < r; ++i) sum += abs_effects[draw.below(r)];
                means.push_back(sum / static_cast<double>(r));
            }
            f.mu_star_conf = z * stdev(means, 1);
        } else {
            f.mu_star_conf = std::nan("");
        }
    }
    return out;
}

} // namespace holon_explore::sensitivity
