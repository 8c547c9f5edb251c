// Morphological fields: intersection of judgements, and exact counts against brute force.
#include "morphological/field.hpp"

#include <gtest/gtest.h>

#include <random>

namespace holon_scenarios {
namespace {

using morphological::Configuration;
using morphological::CrossConsistency;

TEST(CrossConsistency, JudgementsOnOnePairAreIntersected) {
    CrossConsistency cc({2, 2});
    cc.judge(0, 0, 1, 1, false); // expert 1: logical clash
    cc.judge(1, 1, 0, 0, true);  // expert 2 (same pair, other direction) says it may co-occur
    cc.judge(0, 0, 1, 1, true);  // and a later import says so again
    EXPECT_FALSE(cc.allowed(0, 0, 1, 1));
    EXPECT_FALSE(cc.allowed(1, 1, 0, 0));
    const auto r = morphological::solve(cc);
    EXPECT_EQ(r.count, 3u);
    EXPECT_EQ(cc.exclusion_count(), 1u);
}

TEST(CrossConsistency, DeadValuesAndInference) {
    CrossConsistency cc({3, 2, 2});
    cc.judge(0, 2, 1, 0, false);
    cc.judge(0, 2, 1, 1, false); // value 2 of parameter 0 clashes with everything in parameter 1
    const auto r = morphological::solve(cc);
    EXPECT_EQ(r.count, 8u);
    EXPECT_EQ(r.survival[0][2], 0u);
    morphological::SolveOptions o;
    o.fixed = {0, -1, 1};
    const auto q = morphological::solve(cc, o);
    EXPECT_EQ(q.count, 2u);
    EXPECT_EQ(q.survival[1], (std::vector<uint64_t>{1, 1}));
}

TEST(CrossConsistency, SurvivalCountsMatchBruteForce) {
    std::mt19937 rng(3);
    for (int trial = 0; trial < 40; ++trial) {
        const int n = std::uniform_int_distribution<int>(1, 5)(rng);
        std::vector<int> counts;
        for (int p = 0; p < n; ++p) counts.push_back(std::uniform_int_distribution<int>(1, 4)(rng));
        CrossConsistency cc(counts);
        for (int p = 0; p < n; ++p)
            for (int q = p + 1; q < n; ++q)
                for (int a = 0; a < counts[static_cast<size_t>(p)]; ++a)
                    for (int b = 0; b < counts[static_cast<size_t>(q)]; ++b)
                        if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) cc.judge(p, a, q, b, false);
        morphological::SolveOptions o;
        o.cap = 100000;
        if (trial % 3 == 0) {
            o.fixed.assign(static_cast<size_t>(n), -1);
            o.fixed[0] = 0;
        }
        const auto r = morphological::solve(cc, o);
        // Brute force over every configuration.
        uint64_t count = 0;
        std::vector<std::vector<uint64_t>> survival;
        for (int c : counts) survival.emplace_back(static_cast<size_t>(c), 0);
        std::vector<Configuration> listed;
        Configuration x(static_cast<size_t>(n), 0);
        for (;;) {
            bool ok = o.fixed.empty() || x[0] == 0;
            for (int p = 0; p < n && ok; ++p)
                for (int q = p + 1; q < n && ok; ++q) ok = cc.allowed(p, x[static_cast<size_t>(p)], q, x[static_cast<size_t>(q)]);
            if (ok) {
                ++count;
                listed.push_back(x);
                for (int p = 0; p < n; ++p) ++survival[static_cast<size_t>(p)][static_cast<size_t>(x[static_cast<size_t>(p)])];
            }
            int p = n - 1;
            while (p >= 0 && ++x[static_cast<size_t>(p)] == counts[static_cast<size_t>(p)]) x[static_cast<size_t>(p--)] = 0;
            if (p < 0) break;
        }
        EXPECT_EQ(r.count, count) << trial;
        EXPECT_EQ(r.survival, survival) << trial;
        EXPECT_EQ(r.listed, listed) << trial;
        EXPECT_FALSE(r.truncated());
    }
}

TEST(CrossConsistency, CapTruncatesTheListingButNotTheCount) {
    CrossConsistency cc({4, 4, 4});
    morphological::SolveOptions o;
    o.cap = 5;
    const auto r = morphological::solve(cc, o);
    EXPECT_EQ(r.count, 64u);
    EXPECT_EQ(r.listed.size(), 5u);
    EXPECT_TRUE(r.truncated());
}

TEST(ConsistencyRatings, RankBundlesAndKeepTheLowestRating) {
    morphological::ConsistencyRatings ratings({2, 2}, 3);
    ratings.rate(0, 0, 1, 0, 5);
    ratings.rate(0, 1, 1, 1, 4);
    ratings.rate(0, 0, 1, 1, 1); // excluded
    ratings.rate(0, 0, 1, 1, 5); // a second judge cannot re-admit it
    EXPECT_EQ(ratings.rating(1, 1, 0, 0), 1);
    const auto r = morphological::rank_bundles(ratings, 10);
    EXPECT_EQ(r.count, 3u);
    ASSERT_EQ(r.bundles.size(), 3u);
    EXPECT_EQ(r.bundles[0].configuration, (Configuration{0, 0}));
    EXPECT_EQ(r.bundles[0].sum, 5);
    EXPECT_EQ(r.bundles[1].configuration, (Configuration{1, 1}));
    EXPECT_EQ(r.bundles[2].sum, 3);
}

} // namespace
} // namespace holon_scenarios
