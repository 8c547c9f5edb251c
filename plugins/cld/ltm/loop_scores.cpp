#include "ltm/loop_scores.hpp"

#include <algorithm>
#include <cmath>

namespace holon_cld {

namespace {

bool same_loops(std::vector<std::size_t> strongest_first, const std::vector<std::size_t> &sorted) {
    std::sort(strongest_first.begin(), strongest_first.end());
    return strongest_first == sorted;
}

} // namespace

LoopScores loop_scores(const CausalGraph &graph, const std::vector<Loop> &loops, const std::vector<Partition> &partitions,
                       const std::vector<std::vector<double>> &link_scores) {
    if (link_scores.size() != graph.link_count()) throw GraphError("one link score series per link is needed");
    const std::size_t steps = link_scores.empty() ? 0 : link_scores.front().size();
    for (const auto &series : link_scores)
        if (series.size() != steps) throw GraphError("link score series differ in length");

    std::vector<std::size_t> partition_of_variable(graph.variable_count(), SIZE_MAX);
    for (std::size_t p = 0; p < partitions.size(); ++p)
        for (std::size_t v : partitions[p].variables) partition_of_variable[v] = p;

    LoopScores out;
    out.score.assign(loops.size(), std::vector<double>(steps, 1.0));
    out.relative.assign(loops.size(), std::vector<double>(steps, 0.0));
    out.partition_of.resize(loops.size());
    for (std::size_t i = 0; i < loops.size(); ++i) {
        const std::size_t p = partition_of_variable.at(loops[i].variables.front());
        if (p == SIZE_MAX) throw GraphError("a loop lies in no given partition");
        out.partition_of[i] = p;
        for (std::size_t l : loops[i].links)
            for (std::size_t t = 0; t < steps; ++t) out.score[i][t] *= link_scores[l][t];
    }
    std::vector<double> total(partitions.size() * steps, 0.0);
    for (std::size_t i = 0; i < loops.size(); ++i)
        for (std::size_t t = 0; t < steps; ++t) total[out.partition_of[i] * steps + t] += std::fabs(out.score[i][t]);
    for (std::size_t i = 0; i < loops.size(); ++i)
        for (std::size_t t = 0; t < steps; ++t) {
            const double sum = total[out.partition_of[i] * steps + t];
            out.relative[i][t] = sum == 0 ? 0.0 : out.score[i][t] / sum;
        }
    return out;
}

std::vector<DominancePeriod> dominance(const LoopScores &scores, std::size_t partition_count, double share) {
    const std::size_t steps = scores.relative.empty() ? 0 : scores.relative.front().size();
    std::vector<DominancePeriod> periods;
    for (std::size_t p = 0; p < partition_count; ++p) {
        std::vector<std::size_t> members;
        for (std::size_t i = 0; i < scores.partition_of.size(); ++i)
            if (scores.partition_of[i] == p) members.push_back(i);
        if (members.empty()) continue;
        std::vector<std::size_t> order = members;
        for (std::size_t t = 0; t < steps; ++t) {
            std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
                return std::fabs(scores.relative[a][t]) > std::fabs(scores.relative[b][t]);
            });
            std::vector<std::size_t> set;
            double explained = 0;
            for (std::size_t i : order) {
                const double magnitude = std::fabs(scores.relative[i][t]);
                if (explained >= share || magnitude == 0 || !std::isfinite(magnitude)) break;
                set.push_back(i);
                explained += magnitude;
            }
            if (explained < share) set.clear(); // nothing explains enough (all zero, or not finite)
            std::vector<std::size_t> key = set;
            std::sort(key.begin(), key.end());
            if (!periods.empty() && periods.back().partition == p && same_loops(periods.back().loops, key)) {
                periods.back().last = t;
            } else {
                periods.push_back(DominancePeriod{p, t, t, std::move(set)});
            }
            std::sort(order.begin(), order.end()); // a stable tie order at every step
        }
    }
    return periods;
}

} // namespace holon_cld
