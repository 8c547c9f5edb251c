#include "features/extra_trees.hpp"

#include "core/stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace holon_explore::features {
namespace {

// n * variance of y over rows[begin, end): the node's total impurity.
double spread(const std::vector<double> &y, const std::vector<std::size_t> &rows, std::size_t begin, std::size_t end) {
    double sum = 0, sum2 = 0;
    for (std::size_t i = begin; i < end; ++i) {
        sum += y[rows[i]];
        sum2 += y[rows[i]] * y[rows[i]];
    }
    const double n = static_cast<double>(end - begin);
    return std::max(0.0, sum2 - sum * sum / n);
}

struct Node {
    std::size_t begin, end;
};

} // namespace

std::vector<double> extra_trees_scores(const std::vector<std::vector<double>> &x, const std::vector<double> &y,
                                       const ExtraTreesOptions &o) {
    const std::size_t d = x.size(), n = y.size();
    if (d == 0 || n == 0) throw std::invalid_argument("feature scoring needs at least one input and one row");
    for (const auto &c : x)
        if (c.size() != n) throw std::invalid_argument("the inputs and the outcome have different row counts");
    const std::size_t m = o.max_features > 0 ? std::min<std::size_t>(static_cast<std::size_t>(o.max_features), d)
                                             : std::max<std::size_t>(1, d / 3);
    Uniform draw(o.seed);
    std::vector<double> total(d, 0.0);
    std::vector<std::size_t> rows(n), order(d);
    for (int t = 0; t < o.trees; ++t) {
        std::iota(rows.begin(), rows.end(), 0);
        std::vector<double> gain(d, 0.0);
        std::vector<Node> stack{{0, n}};
        while (!stack.empty()) {
            const Node node = stack.back();
            stack.pop_back();
            if (node.end - node.begin < 2) continue;
            const double impurity = spread(y, rows, node.begin, node.end);
            if (impurity <= 1e-12 * static_cast<double>(node.end - node.begin)) continue; // pure
            // Draw inputs in random order until m non-constant ones are tried.
            std::iota(order.begin(), order.end(), 0);
            double best_gain = -1, best_threshold = 0;
            std::size_t best = d, tried = 0;
            for (std::size_t k = 0; k < d && tried < m; ++k) {
                std::swap(order[k], order[k + draw.below(d - k)]);
                const std::size_t f = order[k];
                double lo = x[f][rows[node.begin]], hi = lo;
                for (std::size_t i = node.begin; i < node.end; ++i) {
                    lo = std::min(lo, x[f][rows[i]]);
                    hi = std::max(hi, x[f][rows[i]]);
                }
                if (!(hi > lo)) continue;
                ++tried;
                double threshold = lo + draw.next() * (hi - lo);
                if (threshold >= hi) threshold = lo;
                double ls = 0, ls2 = 0, rs = 0, rs2 = 0;
                std::size_t ln = 0;
                for (std::size_t i = node.begin; i < node.end; ++i) {
                    const double v = y[rows[i]];
                    if (x[f][rows[i]] <= threshold) {
                        ls += v;
                        ls2 += v * v;
                        ++ln;
                    } else {
                        rs += v;
                        rs2 += v * v;
                    }
                }
                const std::size_t rn = node.end - node.begin - ln;
                if (ln == 0 || rn == 0) continue;
                const double child = (ls2 - ls * ls / static_cast<double>(ln)) + (rs2 - rs * rs / static_cast<double>(rn));
                const double g = impurity - child;
                if (g > best_gain) {
                    best_gain = g;
                    best = f;
                    best_threshold = threshold;
                }
            }
            if (best == d) continue; // every input is constant in this node: a leaf
            gain[best] += std::max(0.0, best_gain);
            const auto mid = std::partition(rows.begin() + static_cast<std::ptrdiff_t>(node.begin),
                                            rows.begin() + static_cast<std::ptrdiff_t>(node.end),
                                            [&](std::size_t r) { return x[best][r] <= best_threshold; });
            const auto split = static_cast<std::size_t>(mid - rows.begin());
            stack.push_back({node.begin, split});
            stack.push_back({split, node.end});
        }
        const double sum = std::accumulate(gain.begin(), gain.end(), 0.0);
        if (sum > 0)
            for (std::size_t f = 0; f < d; ++f) total[f] += gain[f] / sum;
    }
    const double sum = std::accumulate(total.begin(), total.end(), 0.0);
    if (sum > 0)
        for (double &v : total) v /= sum;
    return total;
}

} // namespace holon_explore::features
