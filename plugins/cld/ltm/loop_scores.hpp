// Loops That Matter, the loop side: loop scores (the product of the link scores around a loop),
// relative loop scores per cycle partition and the loops that dominate each period
// (Schoenberg, Davidsen & Eberlein 2020). Link scores come from the SD plugin (sd.link-scores).
#pragma once

#include "graph/causal_graph.hpp"
#include "loops/loop_finder.hpp"

#include <cstddef>
#include <vector>

namespace holon_cld {

struct LoopScores {
    std::vector<std::vector<double>> score;    // per loop, per time step
    std::vector<std::vector<double>> relative; // per loop: score / Σ|scores| of its partition, 0 when that is 0
    std::vector<std::size_t> partition_of;     // per loop: index into the partitions given
};

// `link_scores[l]` is the series of graph link l (all of the same length). Every loop must lie in
// one of `partitions` (as the loop finder guarantees). Throws GraphError otherwise.
LoopScores loop_scores(const CausalGraph &graph, const std::vector<Loop> &loops, const std::vector<Partition> &partitions,
                       const std::vector<std::vector<double>> &link_scores);

// A run of consecutive time steps over which the same loops dominate one partition.
struct DominancePeriod {
    std::size_t partition = 0;
    std::size_t first = 0;          // first time step (inclusive)
    std::size_t last = 0;           // last time step (inclusive)
    std::vector<std::size_t> loops; // strongest first; empty when every score is 0 (equilibrium)
};

// Per partition and step, the smallest set of loops, taken by decreasing |relative score|, whose
// |relative scores| add up to at least `share` (0.5: "explains at least half of the change");
// consecutive steps with the same set form one period. Periods are ordered by partition, then time.
std::vector<DominancePeriod> dominance(const LoopScores &scores, std::size_t partition_count, double share = 0.5);

} // namespace holon_cld
