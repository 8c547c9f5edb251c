#include "centrality/centrality.hpp"
#include "test_graphs.hpp"

#include <gtest/gtest.h>

namespace holon_cld {
namespace {

struct Expected {
    const char *family;
    std::size_t degree;
    double betweenness, closeness, eigenvector;
};

// methods.md §7, T-SNA-1 (networkx conventions, undirected, 15 families).
TEST(Centrality, FlorentineFamiliesMatchThePublishedValues) {
    const CausalGraph g = testing::florentine_families();
    ASSERT_EQ(g.variable_count(), 15u);
    ASSERT_EQ(g.link_count(), 20u);
    const CentralityResult result = compute_centrality(g, false);
    ASSERT_TRUE(result.eigenvector_converged);
    const Expected expected[] = {{"Medici", 6, 0.5220, 0.5600, 0.4303},  {"Guadagni", 4, 0.2546, 0.4667, 0.2891},
                                 {"Albizzi", 3, 0.2125, 0.4828, 0.2440}, {"Salviati", 2, 0.1429, 0.3889, 0.1459},
                                 {"Ridolfi", 3, 0.1136, 0.5000, 0.3416}, {"Strozzi", 4, 0.1026, 0.4375, 0.3560}};
    for (const Expected &e : expected) {
        const CentralityScores &s = result.scores.at(*g.find_variable(e.family));
        EXPECT_EQ(s.degree, e.degree) << e.family;
        EXPECT_NEAR(s.degree_centrality, static_cast<double>(e.degree) / 14.0, 1e-12) << e.family;
        EXPECT_NEAR(s.betweenness, e.betweenness, 5e-5) << e.family;
        EXPECT_NEAR(s.closeness, e.closeness, 5e-5) << e.family;
        ASSERT_TRUE(s.eigenvector.has_value());
        EXPECT_NEAR(*s.eigenvector, e.eigenvector, 5e-5) << e.family;
    }
    EXPECT_NEAR(result.scores.at(*g.find_variable("Medici")).betweenness_raw, 47.5, 1e-9);
    double norm = 0;
    for (const CentralityScores &s : result.scores) norm += *s.eigenvector * *s.eigenvector;
    EXPECT_NEAR(norm, 1.0, 1e-9);
}

TEST(Centrality, AddingAnIsolatedFamilyChangesTheNormalisedValues) {
    CausalGraph g = testing::florentine_families();
    g.add_variable({"Pucci", "Pucci", ""});
    const CentralityResult result = compute_centrality(g, false);
    const CentralityScores &medici = result.scores.at(*g.find_variable("Medici"));
    EXPECT_NEAR(medici.betweenness_raw, 47.5, 1e-9);
    EXPECT_NEAR(medici.betweenness, 47.5 / (15.0 * 14.0 / 2.0), 1e-12);
    // Wasserman-Faust: (r-1)/sum(d) * (r-1)/(n-1) with r = 15 reachable of n = 16.
    EXPECT_NEAR(medici.closeness, 0.56 * 14.0 / 15.0, 1e-4);
    EXPECT_EQ(result.scores.at(*g.find_variable("Pucci")).closeness, 0.0);
}

TEST(Centrality, DirectedChainFollowsNetworkxDiGraphConventions) {
    CausalGraph g;
    for (const char *v : {"a", "b", "c"}) g.add_variable({v, v, ""});
    g.add_link("ab", "a", "b", Polarity::positive);
    g.add_link("bc", "b", "c", Polarity::positive);
    g.add_link("bc2", "b", "c", Polarity::negative); // parallel: counted once
    g.add_link("cc", "c", "c", Polarity::positive);  // self-link: ignored
    const CentralityResult r = compute_centrality(g, true);
    const auto &a = r.scores[0], &b = r.scores[1], &c = r.scores[2];
    EXPECT_EQ(a.out_degree, 1u);
    EXPECT_EQ(b.degree, 2u);
    EXPECT_EQ(c.in_degree, 1u);
    EXPECT_DOUBLE_EQ(b.in_degree_centrality, 0.5);
    // Only a -> c passes through b: 1 / ((n-1)(n-2)) = 1/2.
    EXPECT_DOUBLE_EQ(b.betweenness, 0.5);
    EXPECT_DOUBLE_EQ(a.betweenness, 0.0);
    // Incoming distances: c is reached by b (1) and a (2): (2/3) * (2/2).
    EXPECT_NEAR(c.closeness, 2.0 / 3.0, 1e-12);
    EXPECT_NEAR(b.closeness, 1.0 * 0.5, 1e-12);
    EXPECT_EQ(a.closeness, 0.0);
}

} // namespace
} // namespace holon_cld
