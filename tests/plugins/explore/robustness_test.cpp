// Robustness metrics on the brief's T-ROB-1 table (higher is better, 4 scenarios).
#include "robustness/robustness.hpp"

#include <gtest/gtest.h>

using namespace holon_explore::robustness;

namespace {
const std::vector<std::string> names = {"P1", "P2", "P3"};
const std::vector<std::vector<double>> values = {{10, 8, 6, 2}, {7, 7, 6, 5}, {12, 4, 3, 1}};
double metric(const Robustness &r, std::size_t p, const char *m) { return r.policies[p].metrics.at(m); }
} // namespace

TEST(ExploreRobustness, PublishedTableOfThreePolicies) {
    Options o;
    o.threshold = 5;
    const Robustness r = robustness(names, values, o);
    // maximin 2 / 5 / 1 -> P2; maximax 10 / 7 / 12 -> P3; Hurwicz 0.5: 6 / 6 / 6.5 -> P3;
    // Laplace 6.5 / 6.25 / 5 -> P1; max regret 3 / 5 / 4 -> P1; satisficing (>= 5) .75 / 1 / .25 -> P2.
    const double worst[] = {2, 5, 1}, best[] = {10, 7, 12}, hurwicz[] = {6, 6, 6.5}, laplace[] = {6.5, 6.25, 5},
                 regret[] = {3, 5, 4}, satisficing[] = {0.75, 1.0, 0.25};
    for (std::size_t p = 0; p < 3; ++p) {
        EXPECT_EQ(metric(r, p, "worst_case"), worst[p]);
        EXPECT_EQ(metric(r, p, "best_case"), best[p]);
        EXPECT_EQ(metric(r, p, "hurwicz"), hurwicz[p]);
        EXPECT_EQ(metric(r, p, "laplace"), laplace[p]);
        EXPECT_EQ(metric(r, p, "max_regret"), regret[p]);
        EXPECT_EQ(metric(r, p, "satisficing"), satisficing[p]);
    }
    EXPECT_EQ(r.choice.at("worst_case"), std::vector<std::string>{"P2"});
    EXPECT_EQ(r.choice.at("best_case"), std::vector<std::string>{"P3"});
    EXPECT_EQ(r.choice.at("hurwicz"), std::vector<std::string>{"P3"});
    EXPECT_EQ(r.choice.at("laplace"), std::vector<std::string>{"P1"});
    EXPECT_EQ(r.choice.at("max_regret"), std::vector<std::string>{"P1"});
    EXPECT_EQ(r.choice.at("satisficing"), std::vector<std::string>{"P2"});
}

TEST(ExploreRobustness, PercentileMetricsAndRegretPercentile) {
    const Robustness r = robustness(names, values, Options{});
    // P1 = (10, 8, 6, 2): q10 = 3.2, q25 = 5, q50 = 7, q75 = 8.5, q90 = 9.4 (linear interpolation).
    EXPECT_NEAR(metric(r, 0, "q10"), 3.2, 1e-12);
    EXPECT_NEAR(metric(r, 0, "percentile_skewness"), ((9.4 + 3.2) / 2 - 7) / ((9.4 - 3.2) / 2), 1e-12);
    EXPECT_NEAR(metric(r, 0, "percentile_kurtosis"), (9.4 - 3.2) / (8.5 - 5), 1e-12);
    // P1's regrets against the scenario bests (12, 8, 6, 5) are (2, 0, 0, 3): q90 = 2.7.
    EXPECT_NEAR(metric(r, 0, "regret_p90"), 2.7, 1e-12);
    // mean / sd (ddof 1) of P2 = (7, 7, 6, 5): 6.25 / 0.9574271...
    EXPECT_NEAR(metric(r, 1, "mean_variance"), 6.25 / 0.9574271077563381, 1e-12);
    EXPECT_EQ(r.policies[0].metrics.count("satisficing"), 0u);
}

TEST(ExploreRobustness, SmallerIsBetterFlipsWorstAndRegret) {
    Options o;
    o.larger_is_better = false;
    o.threshold = 5;
    const Robustness r = robustness(names, values, o);
    EXPECT_EQ(metric(r, 0, "worst_case"), 10);  // minimax: the largest cost
    EXPECT_EQ(metric(r, 2, "best_case"), 1);
    EXPECT_EQ(r.choice.at("worst_case"), std::vector<std::string>{"P2"}); // 10 / 7 / 12 -> P2
    // scenario bests (7, 4, 3, 1): regrets P1 (3, 4, 3, 1), P2 (0, 3, 3, 4), P3 (5, 0, 0, 0)
    EXPECT_EQ(metric(r, 0, "max_regret"), 4);
    EXPECT_EQ(metric(r, 1, "max_regret"), 4);
    EXPECT_EQ(r.choice.at("laplace"), (std::vector<std::string>{"P3"})); // means 6.5 / 6.25 / 5: the smallest is P3's
    EXPECT_EQ(metric(r, 2, "max_regret"), 5);
    EXPECT_EQ(r.choice.at("max_regret"), (std::vector<std::string>{"P1", "P2"})); // a tie at 4
    EXPECT_EQ(metric(r, 2, "satisficing"), 0.75); // 4, 3, 1 <= 5
}

TEST(ExploreRobustness, RefusesPoliciesOverDifferentScenarios) {
    EXPECT_THROW(robustness({"a", "b"}, {{1, 2}, {1}}, Options{}), std::invalid_argument);
}
