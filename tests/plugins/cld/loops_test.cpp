#include "loops/loop_finder.hpp"
#include "test_graphs.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

namespace holon_cld {
namespace {

std::vector<std::string> ids(const CausalGraph &g, const std::vector<std::size_t> &variables) {
    std::vector<std::string> out;
    for (std::size_t v : variables) out.push_back(g.variables()[v].id);
    return out;
}

std::vector<std::string> link_ids(const CausalGraph &g, const std::vector<std::size_t> &links) {
    std::vector<std::string> out;
    for (std::size_t l : links) out.push_back(g.links()[l].id);
    return out;
}

class CompleteDigraph : public ::testing::TestWithParam<std::pair<std::size_t, std::uint64_t>> {};

TEST_P(CompleteDigraph, HasThePublishedNumberOfElementaryCircuits) {
    const auto [n, circuits] = GetParam();
    const CausalGraph g = testing::complete_digraph(n);
    const LoopInventory inventory = find_loops(g, {});
    EXPECT_EQ(inventory.summary.count, circuits);
    EXPECT_EQ(inventory.loops.size(), circuits);
    EXPECT_FALSE(inventory.summary.truncated());
    ASSERT_EQ(inventory.summary.partitions.size(), 1u);
    EXPECT_EQ(inventory.summary.partitions[0].loops, circuits);
    // E - V + 1 sizes an independent loop set, not the loop count.
    EXPECT_EQ(inventory.summary.partitions[0].independent_loops(), static_cast<std::int64_t>(n * (n - 1) - n + 1));
    for (const Loop &loop : inventory.loops) EXPECT_EQ(loop.polarity, LoopPolarity::reinforcing);
}

INSTANTIATE_TEST_SUITE_P(K3toK8, CompleteDigraph,
                         ::testing::Values(std::pair<std::size_t, std::uint64_t>{3, 5}, std::pair<std::size_t, std::uint64_t>{4, 20},
                                           std::pair<std::size_t, std::uint64_t>{5, 84}, std::pair<std::size_t, std::uint64_t>{6, 409},
                                           std::pair<std::size_t, std::uint64_t>{7, 2365},
                                           std::pair<std::size_t, std::uint64_t>{8, 16064}));

TEST(Loops, CompleteDigraphLoopsAreDistinctAndCanonical) {
    const CausalGraph g = testing::complete_digraph(5);
    const LoopInventory inventory = find_loops(g, {});
    std::vector<std::vector<std::size_t>> seen;
    for (const Loop &loop : inventory.loops) {
        // The smallest id comes first and no variable repeats.
        EXPECT_EQ(*std::min_element(loop.variables.begin(), loop.variables.end()), loop.variables.front());
        std::vector<std::size_t> sorted = loop.variables;
        std::sort(sorted.begin(), sorted.end());
        EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end());
        seen.push_back(loop.links);
    }
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end());
    // Shortest first.
    EXPECT_TRUE(std::is_sorted(inventory.loops.begin(), inventory.loops.end(),
                               [](const Loop &a, const Loop &b) { return a.links.size() < b.links.size(); }));
}

TEST(Loops, YeastAlcoholHasOneReinforcingAndThreeBalancingLoopsInOnePartition) {
    const CausalGraph g = testing::yeast_alcohol();
    const LoopInventory inventory = find_loops(g, {});
    ASSERT_EQ(inventory.loops.size(), 4u);
    EXPECT_EQ(ids(g, inventory.loops[0].variables), (std::vector<std::string>{"births", "cells"}));
    EXPECT_EQ(inventory.loops[0].polarity, LoopPolarity::reinforcing);
    EXPECT_EQ(ids(g, inventory.loops[1].variables), (std::vector<std::string>{"cells", "deaths"}));
    EXPECT_EQ(inventory.loops[1].polarity, LoopPolarity::balancing);
    EXPECT_EQ(ids(g, inventory.loops[2].variables), (std::vector<std::string>{"alcohol", "births", "cells"}));
    EXPECT_EQ(link_ids(g, inventory.loops[2].links),
              (std::vector<std::string>{"alcohol-births", "births-cells", "cells-alcohol"}));
    EXPECT_EQ(inventory.loops[2].polarity, LoopPolarity::balancing);
    EXPECT_EQ(ids(g, inventory.loops[3].variables), (std::vector<std::string>{"alcohol", "deaths", "cells"}));
    EXPECT_EQ(inventory.loops[3].polarity, LoopPolarity::balancing);
    ASSERT_EQ(inventory.summary.partitions.size(), 1u);
    EXPECT_EQ(inventory.summary.partitions[0].variables.size(), 4u);
    EXPECT_EQ(inventory.summary.partitions[0].independent_loops(), 4);
}

CausalGraph triangle(Polarity a, Polarity b, Polarity c) {
    CausalGraph g;
    for (const char *v : {"x", "y", "z"}) g.add_variable({v, v, ""});
    g.add_link("xy", "x", "y", a);
    g.add_link("yz", "y", "z", b);
    g.add_link("zx", "z", "x", c);
    return g;
}

TEST(Polarity, IsTheProductOfTheLinkSigns) {
    using P = Polarity;
    auto only = [](const CausalGraph &g) { return find_loops(g, {}).loops.at(0).polarity; };
    EXPECT_EQ(only(triangle(P::positive, P::negative, P::negative)), LoopPolarity::reinforcing);
    EXPECT_EQ(only(triangle(P::positive, P::positive, P::negative)), LoopPolarity::balancing);
    EXPECT_EQ(only(triangle(P::negative, P::negative, P::negative)), LoopPolarity::balancing);
    EXPECT_EQ(only(triangle(P::positive, P::positive, P::positive)), LoopPolarity::reinforcing);
    EXPECT_EQ(only(triangle(P::positive, P::unknown, P::negative)), LoopPolarity::undetermined);
    EXPECT_EQ(only(triangle(P::negative, P::negative, P::unknown)), LoopPolarity::undetermined);
    EXPECT_EQ(loop_polarity_letter(LoopPolarity::undetermined), "U");
}

TEST(Loops, SelfLinkIsALoopOfLengthOne) {
    CausalGraph g;
    g.add_variable({"a", "A", ""});
    g.add_variable({"b", "B", ""});
    g.add_link("aa", "a", "a", Polarity::negative);
    g.add_link("ab", "a", "b", Polarity::positive);
    g.add_link("ba", "b", "a", Polarity::positive);
    const LoopInventory inventory = find_loops(g, {});
    ASSERT_EQ(inventory.loops.size(), 2u);
    EXPECT_EQ(inventory.loops[0].links.size(), 1u);
    EXPECT_EQ(link_ids(g, inventory.loops[0].links), std::vector<std::string>{"aa"});
    EXPECT_EQ(inventory.loops[0].polarity, LoopPolarity::balancing);
    EXPECT_EQ(inventory.loops[1].polarity, LoopPolarity::reinforcing);
    ASSERT_EQ(inventory.summary.partitions.size(), 1u);
    EXPECT_EQ(inventory.summary.partitions[0].independent_loops(), 2); // 3 links - 2 variables + 1
}

TEST(Loops, LoneSelfLinkMakesItsOwnPartition) {
    CausalGraph g;
    g.add_variable({"a", "A", ""});
    g.add_variable({"b", "B", ""});
    g.add_link("ab", "a", "b", Polarity::positive);
    g.add_link("bb", "b", "b", Polarity::positive);
    const LoopInventory inventory = find_loops(g, {});
    ASSERT_EQ(inventory.loops.size(), 1u);
    ASSERT_EQ(inventory.summary.partitions.size(), 1u);
    EXPECT_EQ(ids(g, inventory.summary.partitions[0].variables), std::vector<std::string>{"b"});
    EXPECT_EQ(inventory.summary.partitions[0].independent_loops(), 1);
}

TEST(Loops, ParallelLinksOfDifferentSignGiveDistinctLoops) {
    CausalGraph g;
    g.add_variable({"a", "A", ""});
    g.add_variable({"b", "B", ""});
    g.add_link("ab-plus", "a", "b", Polarity::positive);
    g.add_link("ab-minus", "a", "b", Polarity::negative);
    g.add_link("ba", "b", "a", Polarity::positive);
    const LoopInventory inventory = find_loops(g, {});
    ASSERT_EQ(inventory.loops.size(), 2u);
    EXPECT_EQ(link_ids(g, inventory.loops[0].links), (std::vector<std::string>{"ab-minus", "ba"}));
    EXPECT_EQ(inventory.loops[0].polarity, LoopPolarity::balancing);
    EXPECT_EQ(link_ids(g, inventory.loops[1].links), (std::vector<std::string>{"ab-plus", "ba"}));
    EXPECT_EQ(inventory.loops[1].polarity, LoopPolarity::reinforcing);
    EXPECT_EQ(inventory.summary.partitions[0].independent_loops(), 2);
}

TEST(Loops, AreRotatedSoTheSmallestIdComesFirst) {
    CausalGraph g;
    for (const char *v : {"zeta", "alpha", "mu"}) g.add_variable({v, v, ""});
    g.add_link("l1", "zeta", "alpha", Polarity::positive);
    g.add_link("l2", "alpha", "mu", Polarity::positive);
    g.add_link("l3", "mu", "zeta", Polarity::negative);
    const LoopInventory inventory = find_loops(g, {});
    ASSERT_EQ(inventory.loops.size(), 1u);
    EXPECT_EQ(ids(g, inventory.loops[0].variables), (std::vector<std::string>{"alpha", "mu", "zeta"}));
    EXPECT_EQ(link_ids(g, inventory.loops[0].links), (std::vector<std::string>{"l2", "l3", "l1"}));
}

TEST(Loops, AcyclicMapHasNoLoopsAndNoPartitions) {
    CausalGraph g;
    for (const char *v : {"a", "b", "c"}) g.add_variable({v, v, ""});
    g.add_link("ab", "a", "b", Polarity::positive);
    g.add_link("bc", "b", "c", Polarity::positive);
    g.add_link("ac", "a", "c", Polarity::negative);
    const LoopInventory inventory = find_loops(g, {});
    EXPECT_EQ(inventory.summary.count, 0u);
    EXPECT_TRUE(inventory.summary.partitions.empty());
}

TEST(Loops, ThroughKeepsOnlyLoopsThroughTheVariable) {
    const CausalGraph y = testing::yeast_alcohol();
    LoopSearchOptions options;
    options.through = *y.find_variable("deaths");
    const LoopInventory deaths = find_loops(y, options);
    ASSERT_EQ(deaths.loops.size(), 2u);
    EXPECT_EQ(ids(y, deaths.loops[0].variables), (std::vector<std::string>{"cells", "deaths"}));
    EXPECT_EQ(ids(y, deaths.loops[1].variables), (std::vector<std::string>{"alcohol", "deaths", "cells"}));
    ASSERT_EQ(deaths.summary.partitions.size(), 1u);
    EXPECT_EQ(deaths.summary.partitions[0].loops, 2u);

    // K5: circuits through one vertex = sum_k C(4, k-1) (k-1)! = 4 + 12 + 24 + 24.
    const CausalGraph k5 = testing::complete_digraph(5);
    for (const char *v : {"v00", "v03"}) {
        options.through = *k5.find_variable(v);
        const LoopInventory through = find_loops(k5, options);
        EXPECT_EQ(through.summary.count, 64u) << v;
        for (const Loop &loop : through.loops)
            EXPECT_NE(std::find(loop.variables.begin(), loop.variables.end(), *options.through), loop.variables.end());
    }
}

TEST(Loops, ThroughAVariableOutsideEveryLoopFindsNothing) {
    CausalGraph g = testing::yeast_alcohol();
    g.add_variable({"weather", "Weather", "exogenous"});
    g.add_link("weather-births", "weather", "births", Polarity::positive);
    LoopSearchOptions options;
    options.through = *g.find_variable("weather");
    const LoopInventory inventory = find_loops(g, options);
    EXPECT_EQ(inventory.summary.count, 0u);
    EXPECT_TRUE(inventory.summary.partitions.empty());
}

TEST(Loops, ACapEqualToTheLoopCountIsNotATruncation) {
    LoopSearchOptions options;
    options.max_loops = 5;
    const LoopInventory inventory = find_loops(testing::complete_digraph(3), options);
    EXPECT_EQ(inventory.summary.count, 5u);
    EXPECT_FALSE(inventory.summary.truncated());
    options.max_loops = 4;
    const LoopInventory capped = find_loops(testing::complete_digraph(3), options);
    EXPECT_EQ(capped.summary.count, 4u);
    EXPECT_EQ(capped.summary.stop, StopReason::max_loops);
}

TEST(Loops, TheStepCapBoundsTheSumOfLoopLengths) {
    // K3 has 3 two-link and 2 three-link loops: 12 steps in all.
    LoopSearchOptions options;
    options.max_loop_steps = 12;
    EXPECT_FALSE(find_loops(testing::complete_digraph(3), options).summary.truncated());
    options.max_loop_steps = 11;
    const LoopInventory capped = find_loops(testing::complete_digraph(3), options);
    EXPECT_EQ(capped.summary.stop, StopReason::max_loop_steps);
    std::uint64_t steps = 0;
    for (const Loop &loop : capped.loops) steps += loop.links.size();
    EXPECT_LE(steps, 11u);
    EXPECT_EQ(capped.summary.count, capped.loops.size());
    EXPECT_LT(capped.summary.count, 5u);
}

TEST(Loops, K12StopsAtMaxLoops) {
    const CausalGraph g = testing::complete_digraph(12);
    LoopSearchOptions options;
    options.max_loops = 20000;
    const auto started = std::chrono::steady_clock::now();
    const LoopInventory inventory = find_loops(g, options);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    EXPECT_TRUE(inventory.summary.truncated());
    EXPECT_EQ(inventory.summary.stop, StopReason::max_loops);
    EXPECT_EQ(inventory.summary.count, 20000u);
    EXPECT_EQ(inventory.loops.size(), 20000u);
    EXPECT_EQ(inventory.summary.partitions.at(0).loops, 20000u);
    EXPECT_LT(elapsed, std::chrono::seconds(10)); // generous: this is a hang guard, not a timing
}

TEST(Loops, K12StopsAtTheTimeBudgetWithBoundedMemory) {
    const CausalGraph g = testing::complete_digraph(12);
    LoopSearchOptions options;
    options.time_budget = std::chrono::milliseconds(500);
    std::uint64_t streamed = 0;
    std::size_t longest = 0;
    const auto started = std::chrono::steady_clock::now();
    const LoopSearchSummary summary = enumerate_loops(g, options, [&](const Loop &loop) {
        ++streamed;
        longest = std::max(longest, loop.links.size());
    });
    const auto elapsed = std::chrono::steady_clock::now() - started;
    EXPECT_TRUE(summary.truncated());
    EXPECT_EQ(summary.stop, StopReason::time_budget);
    EXPECT_EQ(summary.count, streamed);
    EXPECT_GT(streamed, 0u);
    EXPECT_LT(streamed, 119481284u);
    EXPECT_LE(longest, 12u);
    EXPECT_GE(elapsed, std::chrono::milliseconds(500));
    EXPECT_LT(elapsed, std::chrono::milliseconds(1500)); // the budget plus the 1 s the spec allows
}

TEST(Loops, CancellationStopsTheSearch) {
    const CausalGraph g = testing::complete_digraph(12);
    LoopSearchOptions options;
    int polls = 0;
    options.cancelled = [&] { return ++polls >= 3; };
    const auto started = std::chrono::steady_clock::now();
    const LoopSearchSummary summary = enumerate_loops(g, options, [](const Loop &) {});
    EXPECT_EQ(summary.stop, StopReason::cancelled);
    EXPECT_EQ(polls, 3);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

} // namespace
} // namespace holon_cld
