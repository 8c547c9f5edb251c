// Loop scores, relative loop scores and dominance periods from given link scores (the cld side of
// Loops That Matter), on small graphs with hand-computed answers.
#include "loops/loop_finder.hpp"
#include "ltm/loop_scores.hpp"

#include <gtest/gtest.h>

namespace holon_cld {
namespace {

// Loops a<->b and b<->c share b (one partition); d has a self-link (its own partition).
CausalGraph two_partitions() {
    CausalGraph g;
    for (const char *id : {"a", "b", "c", "d"}) g.add_variable(Variable{id, id, ""});
    g.add_link("ab", "a", "b", Polarity::positive);
    g.add_link("ba", "b", "a", Polarity::negative);
    g.add_link("bc", "b", "c", Polarity::positive);
    g.add_link("cb", "c", "b", Polarity::positive);
    g.add_link("dd", "d", "d", Polarity::positive);
    return g;
}

TEST(LtmLoopScores, AreProductsOfLinkScoresRelativeWithinTheirPartition) {
    const CausalGraph g = two_partitions();
    const LoopInventory inventory = find_loops(g, {});
    ASSERT_EQ(inventory.loops.size(), 3u); // d, a-b, b-c (shortest first, then by ids)
    ASSERT_EQ(inventory.summary.partitions.size(), 2u);
    //                                            ab        ba           bc        cb        dd
    const std::vector<std::vector<double>> links{{2, 1}, {-1, 0.5}, {1, 1}, {1, 3}, {0, 4}};
    const LoopScores s = loop_scores(g, inventory.loops, inventory.summary.partitions, links);

    const std::size_t d = 0, ab = 1, bc = 2;
    EXPECT_EQ(g.variables()[inventory.loops[ab].variables[1]].id, "b");
    EXPECT_EQ(g.variables()[inventory.loops[bc].variables[1]].id, "c");
    EXPECT_EQ(s.score[ab], (std::vector<double>{-2, 0.5}));
    EXPECT_EQ(s.score[bc], (std::vector<double>{1, 3}));
    EXPECT_EQ(s.partition_of[ab], s.partition_of[bc]);
    EXPECT_NE(s.partition_of[ab], s.partition_of[d]);
    EXPECT_DOUBLE_EQ(s.relative[ab][0], -2.0 / 3.0);
    EXPECT_DOUBLE_EQ(s.relative[bc][0], 1.0 / 3.0);
    EXPECT_DOUBLE_EQ(s.relative[ab][1], 0.5 / 3.5);
    EXPECT_DOUBLE_EQ(s.relative[bc][1], 3.0 / 3.5);
    // Alone in its partition: 0 at equilibrium, then all of the change (its sign is its polarity).
    EXPECT_EQ(s.relative[d][0], 0.0);
    EXPECT_EQ(s.relative[d][1], 1.0);

    const std::vector<DominancePeriod> periods = dominance(s, inventory.summary.partitions.size());
    const std::size_t p_ab = s.partition_of[ab], p_d = s.partition_of[d];
    std::vector<DominancePeriod> shared, own;
    for (const DominancePeriod &p : periods) (p.partition == p_ab ? shared : own).push_back(p);
    ASSERT_EQ(shared.size(), 2u);
    EXPECT_EQ(shared[0].first, 0u);
    EXPECT_EQ(shared[0].last, 0u);
    EXPECT_EQ(shared[0].loops, std::vector<std::size_t>{ab});
    EXPECT_EQ(shared[1].first, 1u);
    EXPECT_EQ(shared[1].loops, std::vector<std::size_t>{bc});
    ASSERT_EQ(own.size(), 2u);
    EXPECT_EQ(own[0].partition, p_d);
    EXPECT_TRUE(own[0].loops.empty()); // equilibrium: nothing dominates
    EXPECT_EQ(own[1].loops, std::vector<std::size_t>{d});
}

TEST(LtmLoopScores, DominanceIsTheSmallestSetExplainingTheShare) {
    // Three loops through x with relative scores 0.4, -0.35, 0.25 at both steps: no loop explains
    // half alone, the two strongest do; both steps form one period.
    CausalGraph g;
    for (const char *id : {"x", "y", "z", "w"}) g.add_variable(Variable{id, id, ""});
    g.add_link("xy", "x", "y", Polarity::positive);
    g.add_link("yx", "y", "x", Polarity::positive);
    g.add_link("xz", "x", "z", Polarity::positive);
    g.add_link("zx", "z", "x", Polarity::negative);
    g.add_link("xw", "x", "w", Polarity::positive);
    g.add_link("wx", "w", "x", Polarity::positive);
    const LoopInventory inventory = find_loops(g, {});
    ASSERT_EQ(inventory.loops.size(), 3u); // x-w, x-y, x-z
    const std::vector<std::vector<double>> links{{0.8, 0.8}, {1, 1}, {0.7, 0.7}, {-1, -1}, {0.5, 0.5}, {1, 1}};
    const LoopScores s = loop_scores(g, inventory.loops, inventory.summary.partitions, links);
    const std::vector<DominancePeriod> periods = dominance(s, inventory.summary.partitions.size());
    ASSERT_EQ(periods.size(), 1u);
    EXPECT_EQ(periods[0].first, 0u);
    EXPECT_EQ(periods[0].last, 1u);
    ASSERT_EQ(periods[0].loops.size(), 2u);
    EXPECT_EQ(g.variables()[inventory.loops[periods[0].loops[0]].variables[1]].id, "y"); // 0.4
    EXPECT_EQ(g.variables()[inventory.loops[periods[0].loops[1]].variables[1]].id, "z"); // -0.35
    // A share of 0.3 needs only the strongest.
    EXPECT_EQ(dominance(s, 1, 0.3)[0].loops.size(), 1u);
}

TEST(LtmLoopScores, RefusesSeriesThatDoNotMatchTheGraph) {
    const CausalGraph g = two_partitions();
    const LoopInventory inventory = find_loops(g, {});
    EXPECT_THROW(loop_scores(g, inventory.loops, inventory.summary.partitions, {{1}, {1}}), GraphError);
    EXPECT_THROW(loop_scores(g, inventory.loops, inventory.summary.partitions, {{1}, {1}, {1}, {1}, {1, 2}}), GraphError);
}

} // namespace
} // namespace holon_cld
