// CIB against the published answers of methods.md §6.3 (T-CIB-1 Somewhereland, T-CIB-2
// CIB_global) and against plain enumeration on random matrices.
#include "cib/balance.hpp"
#include "cib/ensemble.hpp"
#include "cib/monte_carlo.hpp"
#include "cib/search.hpp"
#include "cib/succession.hpp"
#include "test_matrices.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

namespace holon_scenarios {
namespace {

using cib::Scenario;
using test::somewhereland;
using test::somewhereland_label;

TEST(CibMatrix, PublishedMatricesAreStandardised) {
    EXPECT_TRUE(somewhereland().standardised());
    EXPECT_TRUE(test::cib_global().standardised());
    EXPECT_EQ(somewhereland().scenario_count(), 486u);
    EXPECT_EQ(test::cib_global().scenario_count(), 36u);
}

// Self-impacts (cells of the diagonal blocks, as ScenarioWizard files carry them) count in the
// impact balances, as ScenarioWizard counts them. Worked by hand on two descriptors A (a1, a2) and
// B (b1, b2):
//   between descriptors: a1 -> b1 +1, a1 -> b2 -1, a2 -> b1 -1, a2 -> b2 +1,
//                        b1 -> a1 +1, b1 -> a2 -1, b2 -> a1 -1, b2 -> a2 +1;
//   self-impacts:        a1 -> a1 +3 (a1 reinforces itself), b2 -> b2 +3 (b2 reinforces itself).
// Balances are (A: a1, a2 | B: b1, b2), each the sum of the chosen variants' rows:
//   (a1,b1): A = b1 row (1,-1) + a1 self (3,0) = (4,-1), a1 holds by 5;
//            B = a1 row (1,-1) + b1 self (0,0) = (1,-1), b1 holds by 2.  Consistent, TIS 4+1 = 5.
//   (a1,b2): A = b2 row (-1,1) + a1 self (3,0) = (2,1), a1 holds by 1;
//            B = a1 row (1,-1) + b2 self (0,3) = (1,2), b2 holds by 1.   Consistent, TIS 2+2 = 4.
//   (a2,b1): A = (1,-1) + a2 self (0,0), a2 loses by 2; B = a2 row (-1,1), b1 loses by 2.
//            Inconsistency 2.
//   (a2,b2): A = (-1,1), a2 holds by 2; B = (-1,1) + b2 self (0,3) = (-1,4), b2 holds by 5.
//            Consistent, TIS 1+4 = 5.
// So three consistent scenarios, listed by TIS then variant order: (a1,b1) 5, (a2,b2) 5, (a1,b2) 4.
// In the textbook form (self-impacts left out) (a1,b2) has A = (-1,1) and B = (1,-1), both lose by
// 2: only (a1,b1) and (a2,b2) hold, each with TIS 1+1 = 2.
cib::Matrix self_impact_case() {
    cib::Matrix m({2, 2});
    m.set(0, 0, 1, 0, 1);
    m.set(0, 0, 1, 1, -1);
    m.set(0, 1, 1, 0, -1);
    m.set(0, 1, 1, 1, 1);
    m.set(1, 0, 0, 0, 1);
    m.set(1, 0, 0, 1, -1);
    m.set(1, 1, 0, 0, -1);
    m.set(1, 1, 0, 1, 1);
    m.set(0, 0, 0, 0, 3);
    m.set(1, 1, 1, 1, 3);
    return m;
}

TEST(CibSelfImpacts, BalancesIncludeTheDescriptorsOwnRow) {
    const cib::Matrix m = self_impact_case();
    EXPECT_EQ(m.self_impact_cells(), 2);
    const cib::Evaluation e = cib::evaluate(m, Scenario{0, 1});
    EXPECT_EQ(e.balances, (std::vector<std::vector<int64_t>>{{2, 1}, {1, 2}}));
    EXPECT_EQ(e.margins, (std::vector<int64_t>{1, 1}));
    EXPECT_EQ(e.total_impact_score, 4);
    EXPECT_EQ(e.inconsistency, 0);
    const cib::Evaluation bad = cib::evaluate(m, Scenario{1, 0});
    EXPECT_EQ(bad.balances, (std::vector<std::vector<int64_t>>{{1, -1}, {-1, 1}}));
    EXPECT_EQ(bad.inconsistency, 2);
    const cib::Evaluation textbook = cib::evaluate(m.without_self_impacts(), Scenario{0, 1});
    EXPECT_EQ(textbook.balances, (std::vector<std::vector<int64_t>>{{-1, 1}, {1, -1}}));
    EXPECT_EQ(textbook.inconsistency, 2);
}

TEST(CibSelfImpacts, SearchFindsTheHandWorkedScenarios) {
    const cib::Matrix m = self_impact_case();
    for (unsigned threads : {1u, 2u}) {
        cib::SearchOptions o;
        o.threads = threads;
        const cib::SearchResult r = cib::search(m, o);
        ASSERT_EQ(r.count, 3u);
        ASSERT_EQ(r.scenarios.size(), 3u);
        EXPECT_EQ(r.scenarios[0].scenario, (Scenario{0, 0}));
        EXPECT_EQ(r.scenarios[0].total_impact_score, 5);
        EXPECT_EQ(r.scenarios[0].min_margin, 2);
        EXPECT_EQ(r.scenarios[1].scenario, (Scenario{1, 1}));
        EXPECT_EQ(r.scenarios[1].total_impact_score, 5);
        EXPECT_EQ(r.scenarios[1].min_margin, 2);
        EXPECT_EQ(r.scenarios[2].scenario, (Scenario{0, 1}));
        EXPECT_EQ(r.scenarios[2].total_impact_score, 4);
        EXPECT_EQ(r.scenarios[2].min_margin, 1);
    }
    const cib::SearchResult textbook = cib::search(m.without_self_impacts(), {});
    ASSERT_EQ(textbook.count, 2u);
    EXPECT_EQ(textbook.scenarios[0].scenario, (Scenario{0, 0}));
    EXPECT_EQ(textbook.scenarios[0].total_impact_score, 2);
    EXPECT_EQ(textbook.scenarios[1].scenario, (Scenario{1, 1}));
    EXPECT_EQ(cib::inconsistency_histogram(m), (std::map<int64_t, uint64_t>{{0, 3}, {2, 1}}));
    // Succession from the inconsistent (a2,b1) under self-impacts: both descriptors move to their
    // best variant at once (global), giving (a1,b2), which holds.
    EXPECT_EQ(cib::succession_step(m, Scenario{1, 0}, {}), (Scenario{0, 1}));
    const cib::BasinResult b = cib::basins(m, {});
    ASSERT_EQ(b.attractors.size(), 3u);
    EXPECT_EQ(b.attractors[0].states, (std::vector<Scenario>{{0, 1}}));
    EXPECT_EQ(b.attractors[0].basin, 2u);
    EXPECT_EQ(b.attractors[1].basin, 1u);
    EXPECT_EQ(b.attractors[2].basin, 1u);
}

// Branch and bound with self-impacts (every cell random, diagonal blocks included) finds exactly
// the scenarios whose balances, computed directly by evaluate(), hold within the tolerance.
TEST(CibSelfImpacts, SearchAgreesWithDirectEvaluationOnRandomMatrices) {
    std::mt19937 rng(7);
    for (int trial = 0; trial < 30; ++trial) {
        std::vector<int> counts;
        const int n = std::uniform_int_distribution<int>(2, 5)(rng);
        for (int d = 0; d < n; ++d) counts.push_back(std::uniform_int_distribution<int>(1, 4)(rng));
        cib::Matrix m(counts);
        for (int i = 0; i < n; ++i)
            for (int a = 0; a < counts[static_cast<size_t>(i)]; ++a)
                for (int j = 0; j < n; ++j)
                    for (int b = 0; b < counts[static_cast<size_t>(j)]; ++b)
                        m.set(i, a, j, b, std::uniform_int_distribution<int>(-3, 3)(rng));
        cib::SearchOptions o;
        o.tolerance = trial % 3;
        o.threads = 1 + static_cast<unsigned>(trial % 2);
        std::set<std::pair<Scenario, int64_t>> expected;
        for (uint64_t k = 0; k < m.scenario_count(); ++k) {
            const Scenario s = cib::scenario_at(counts, k);
            const cib::Evaluation e = cib::evaluate(m, s);
            if (e.inconsistency <= o.tolerance) expected.insert({s, e.total_impact_score});
        }
        const cib::SearchResult r = cib::search(m, o);
        std::set<std::pair<Scenario, int64_t>> got;
        for (const auto &f : r.scenarios) got.insert({f.scenario, f.total_impact_score});
        EXPECT_EQ(got, expected) << "trial " << trial;
        EXPECT_EQ(r.count, expected.size());
    }
}

TEST(CibBalance, WorkedBalanceRowOfTheManual) {
    const cib::Evaluation e = cib::evaluate(somewhereland(), test::parse_somewhereland("A2 B1 C3 D1 E1 F1"));
    const std::vector<std::vector<int64_t>> expected{{0, 3, -3}, {2, 1, -3}, {-9, -1, 10}, {-7, 7}, {4, -1, -3}, {2, -1, -1}};
    EXPECT_EQ(e.balances, expected);
    EXPECT_EQ(e.inconsistency, 14);
    EXPECT_EQ(e.margins[3], -14); // D1 loses to D2
}

TEST(CibSearch, SomewherelandHasExactlyTenConsistentScenarios) {
    const cib::SearchResult r = cib::search(somewhereland(), {});
    ASSERT_TRUE(r.complete);
    EXPECT_FALSE(r.truncated());
    ASSERT_EQ(r.count, 10u);
    const std::vector<std::pair<std::string, int64_t>> expected{
        {"A1 B3 C1 D2 E3 F3", 21}, {"A3 B2 C2 D1 E1 F2", 19}, {"A3 B1 C2 D1 E1 F2", 18}, {"A2 B1 C3 D2 E2 F1", 17},
        {"A2 B2 C3 D2 E2 F1", 15}, {"A1 B3 C2 D1 E1 F2", 14}, {"A1 B3 C2 D1 E1 F3", 12}, {"A1 B2 C2 D1 E1 F2", 9},
        {"A3 B1 C3 D2 E1 F1", 9},  {"A3 B2 C3 D2 E1 F1", 8}};
    ASSERT_EQ(r.scenarios.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(somewhereland_label(r.scenarios[i].scenario), expected[i].first) << i;
        EXPECT_EQ(r.scenarios[i].total_impact_score, expected[i].second) << i;
        EXPECT_EQ(r.scenarios[i].inconsistency, 0);
    }
    // Only the first holds without ties (margin +1); the other nine are weakly consistent.
    EXPECT_EQ(r.scenarios[0].min_margin, 1);
    for (size_t i = 1; i < r.scenarios.size(); ++i) EXPECT_EQ(r.scenarios[i].min_margin, 0) << i;
}

TEST(CibSearch, SomewherelandAtToleranceOneHasFifteen) {
    cib::SearchOptions o;
    o.tolerance = 1;
    const cib::SearchResult r = cib::search(somewhereland(), o);
    ASSERT_EQ(r.count, 15u);
    std::set<std::string> with_one;
    for (const auto &f : r.scenarios)
        if (f.inconsistency == 1) with_one.insert(somewhereland_label(f.scenario));
    const std::set<std::string> expected{"A1 B2 C1 D2 E3 F3", "A1 B2 C3 D1 E1 F2", "A1 B3 C1 D1 E1 F2",
                                         "A1 B3 C1 D2 E2 F2", "A1 B3 C1 D2 E2 F3"};
    EXPECT_EQ(with_one, expected);
}

TEST(CibSearch, SomewherelandInconsistencyHistogram) {
    const std::map<int64_t, uint64_t> expected{{0, 10},  {1, 5},   {2, 17},  {3, 27},  {4, 28},  {5, 38},  {6, 53},
                                               {7, 34},  {8, 65},  {9, 31},  {10, 68}, {11, 23}, {12, 16}, {13, 19},
                                               {14, 25}, {15, 11}, {16, 6},  {18, 6},  {19, 2},  {21, 2}};
    EXPECT_EQ(cib::inconsistency_histogram(somewhereland()), expected);
}

TEST(CibSearch, CapListsTheBestByImpactScoreAndFlagsTruncation) {
    cib::SearchOptions o;
    o.cap = 3;
    const cib::SearchResult r = cib::search(somewhereland(), o);
    EXPECT_EQ(r.count, 10u);
    EXPECT_TRUE(r.truncated());
    ASSERT_EQ(r.scenarios.size(), 3u);
    EXPECT_EQ(r.scenarios[2].total_impact_score, 18);
}

TEST(CibSearch, CancellationStopsTheSearch) {
    cib::Matrix m(std::vector<int>(14, 3));
    std::mt19937 rng(7);
    for (int i = 0; i < 14; ++i)
        for (int a = 0; a < 3; ++a)
            for (int j = 0; j < 14; ++j)
                if (i != j)
                    for (int b = 0; b < 3; ++b) m.set(i, a, j, b, std::uniform_int_distribution<int>(-3, 3)(rng));
    cib::SearchOptions o;
    o.tolerance = 40; // almost no pruning: a long search
    o.cancelled = [] { return true; };
    const cib::SearchResult r = cib::search(m, o);
    EXPECT_FALSE(r.complete);
    EXPECT_EQ(r.stopped, cib::StopReason::cancelled);
    EXPECT_TRUE(r.truncated());
}

TEST(CibSearch, TimeBudgetStopsTheSearchWithTruncation) {
    cib::Matrix m(std::vector<int>(16, 3));
    std::mt19937 rng(9);
    for (int i = 0; i < 16; ++i)
        for (int a = 0; a < 3; ++a)
            for (int j = 0; j < 16; ++j)
                if (i != j)
                    for (int b = 0; b < 3; ++b) m.set(i, a, j, b, std::uniform_int_distribution<int>(-3, 3)(rng));
    cib::SearchOptions o;
    o.tolerance = 60;              // nothing is pruned: 43 million leaves, far beyond the budget
    o.time_budget_seconds = 1e-6;
    const cib::SearchResult r = cib::search(m, o);
    EXPECT_FALSE(r.complete);
    EXPECT_EQ(r.stopped, cib::StopReason::time_budget);
    EXPECT_TRUE(r.truncated());
    EXPECT_LT(r.count, m.scenario_count());
}

// Random matrices: branch and bound finds exactly what plain enumeration finds, for several
// tolerances, fixed descriptors in both semantics and thread counts.
TEST(CibSearch, AgreesWithEnumerationOnRandomMatrices) {
    std::mt19937 rng(42);
    for (int trial = 0; trial < 30; ++trial) {
        std::vector<int> counts;
        const int n = std::uniform_int_distribution<int>(2, 6)(rng);
        for (int d = 0; d < n; ++d) counts.push_back(std::uniform_int_distribution<int>(1, 4)(rng));
        cib::Matrix m(counts);
        for (int i = 0; i < n; ++i)
            for (int a = 0; a < counts[static_cast<size_t>(i)]; ++a)
                for (int j = 0; j < n; ++j)
                    if (i != j)
                        for (int b = 0; b < counts[static_cast<size_t>(j)]; ++b)
                            m.set(i, a, j, b, std::uniform_int_distribution<int>(-3, 3)(rng));
        cib::SearchOptions o;
        o.tolerance = trial % 3;
        o.threads = 1 + static_cast<unsigned>(trial % 2);
        o.fixed_exempt = trial % 4 < 2;
        o.fixed.assign(static_cast<size_t>(n), -1);
        if (trial % 5 == 0) o.fixed[0] = counts[0] - 1;
        std::set<std::pair<Scenario, int64_t>> expected;
        cib::enumerate(m, o.fixed, o.fixed_exempt, [&](const Scenario &s, int64_t ic, int64_t tis) {
            if (ic <= o.tolerance) expected.insert({s, tis});
        });
        const cib::SearchResult r = cib::search(m, o);
        std::set<std::pair<Scenario, int64_t>> got;
        for (const auto &f : r.scenarios) got.insert({f.scenario, f.total_impact_score});
        EXPECT_EQ(got, expected) << "trial " << trial;
        EXPECT_EQ(r.count, expected.size());
    }
}

TEST(CibSuccession, SomewherelandGlobalBasins) {
    const cib::BasinResult r = cib::basins(somewhereland(), {});
    ASSERT_TRUE(r.exhaustive);
    EXPECT_EQ(r.starts, 486u);
    const std::vector<std::pair<std::string, uint64_t>> expected{
        {"A1 B3 C2 D1 E1 F3", 178}, {"A1 B3 C1 D2 E3 F3", 127}, {"A1 B3 C2 D1 E1 F2", 55}, {"A1 B2 C2 D1 E1 F2", 35},
        {"A2 B1 C3 D2 E2 F1", 28},  {"A3 B1 C3 D2 E1 F1", 24},  {"A2 B2 C3 D2 E2 F1", 19}, {"A3 B2 C3 D2 E1 F1", 14},
        {"A3 B1 C2 D1 E1 F2", 3},   {"A3 B2 C2 D1 E1 F2", 3}};
    ASSERT_EQ(r.attractors.size(), expected.size()); // no cycles
    for (size_t i = 0; i < expected.size(); ++i) {
        ASSERT_EQ(r.attractors[i].states.size(), 1u);
        EXPECT_EQ(somewhereland_label(r.attractors[i].states[0]), expected[i].first);
        EXPECT_EQ(r.attractors[i].basin, expected[i].second);
    }
}

TEST(CibSearch, CibGlobalFourConsistentScenarios) {
    const cib::SearchResult r = cib::search(test::cib_global(), {});
    ASSERT_EQ(r.count, 4u);
    const std::vector<std::pair<std::string, int64_t>> expected{
        {"Ntl/Alrt/Stag", 15}, {"Mix/Rlx/ModGr", 12}, {"Ntl/Mod/Stag", 9}, {"FT/Mod/ModGr", 8}};
    for (size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(test::cib_global_label(r.scenarios[i].scenario), expected[i].first);
        EXPECT_EQ(r.scenarios[i].total_impact_score, expected[i].second);
    }
    EXPECT_EQ(r.scenarios[2].min_margin, 0); // ties
    EXPECT_EQ(r.scenarios[3].min_margin, 0);
}

TEST(CibSuccession, CibGlobalBasinsAndTwoCycle) {
    const cib::BasinResult r = cib::basins(test::cib_global(), {});
    std::map<std::string, uint64_t> fixed_points;
    std::vector<std::string> cycle;
    uint64_t cycle_starts = 0;
    for (const auto &a : r.attractors) {
        if (a.states.size() == 1) {
            fixed_points[test::cib_global_label(a.states[0])] = a.basin;
        } else {
            for (const auto &s : a.states) cycle.push_back(test::cib_global_label(s));
            cycle_starts += a.basin;
        }
    }
    const std::map<std::string, uint64_t> expected{
        {"Ntl/Alrt/Stag", 4}, {"Mix/Rlx/ModGr", 12}, {"Ntl/Mod/Stag", 1}, {"FT/Mod/ModGr", 2}};
    EXPECT_EQ(fixed_points, expected);
    EXPECT_EQ(cycle_starts, 17u);
    EXPECT_EQ(cycle, (std::vector<std::string>{"FT/Mod/Stag", "Ntl/Mod/ModGr"}));
}

TEST(CibSuccession, CibGlobalAdiabaticFirstHasNoCycles) {
    cib::SuccessionOptions o;
    o.mode = cib::SuccessionMode::adiabatic_first;
    const cib::BasinResult r = cib::basins(test::cib_global(), o);
    std::map<std::string, uint64_t> got;
    for (const auto &a : r.attractors) {
        ASSERT_EQ(a.states.size(), 1u);
        got[test::cib_global_label(a.states[0])] = a.basin;
    }
    const std::map<std::string, uint64_t> expected{
        {"Ntl/Alrt/Stag", 12}, {"Mix/Rlx/ModGr", 14}, {"Ntl/Mod/Stag", 6}, {"FT/Mod/ModGr", 4}};
    EXPECT_EQ(got, expected);
}

TEST(CibSuccession, TieRulesAreNamedAndChangeTheStep) {
    EXPECT_EQ(cib::tie_rule_from_name("keep-else-first"), cib::TieRule::keep_else_first);
    EXPECT_FALSE(cib::tie_rule_from_name("random").has_value());
    // In Ntl/Mod/Stag WSEC ties between Mod and Alrt: "keep" stays put, "last" moves to Alrt.
    const Scenario s{1, 1, 1};
    cib::SuccessionOptions keep, last;
    last.tie = cib::TieRule::last;
    EXPECT_EQ(cib::succession_step(test::cib_global(), s, keep), s);
    EXPECT_NE(cib::succession_step(test::cib_global(), s, last), s);
}

TEST(CibInterventions, FixedDescriptorsAsFilterOrIntervention) {
    // T-2X2-1: D x F quadrants of Somewhereland.
    const std::vector<std::pair<int, int>> quadrants{{0, 0}, {0, 1}, {1, 0}, {1, 1}};
    std::vector<uint64_t> filter, intervention;
    for (auto [d, f] : quadrants) {
        cib::SearchOptions o;
        o.fixed = {-1, -1, -1, d, -1, f};
        o.fixed_exempt = false;
        filter.push_back(cib::search(somewhereland(), o).count);
        o.fixed_exempt = true;
        intervention.push_back(cib::search(somewhereland(), o).count);
    }
    EXPECT_EQ(filter, (std::vector<uint64_t>{0, 4, 4, 0}));
    EXPECT_EQ(intervention, (std::vector<uint64_t>{3, 4, 6, 5}));
}

TEST(CibEnsemble, AllMajorityAndSum) {
    // Three experts: two give Somewhereland, one flips the sign of every cell.
    const cib::Matrix a = somewhereland();
    cib::Matrix flipped(a.variant_counts());
    for (int i = 0; i < a.descriptor_count(); ++i)
        for (int x = 0; x < a.variant_count(i); ++x)
            for (int j = 0; j < a.descriptor_count(); ++j)
                if (i != j)
                    for (int y = 0; y < a.variant_count(j); ++y) flipped.set(i, x, j, y, -a.get(i, x, j, y));
    const std::vector<cib::Matrix> ensemble{a, a, flipped};
    const auto majority = cib::ensemble_search(ensemble, cib::EnsembleRule::majority, {});
    EXPECT_TRUE(majority.complete);
    EXPECT_EQ(majority.count, 10u);
    for (const auto &s : majority.scenarios) EXPECT_GE(s.agreeing, 2u);
    const auto all = cib::ensemble_search(ensemble, cib::EnsembleRule::all, {});
    std::set<Scenario> expected_all;
    for (const auto &f : cib::search(a, {}).scenarios) {
        if (cib::evaluate(flipped, f.scenario).inconsistency == 0) expected_all.insert(f.scenario);
    }
    EXPECT_EQ(all.count, expected_all.size());
    const auto summed = cib::ensemble_search(ensemble, cib::EnsembleRule::sum, {});
    EXPECT_EQ(summed.count, cib::search(cib::sum(ensemble), {}).count);
    ASSERT_EQ(majority.per_matrix.size(), 3u);
    EXPECT_EQ(majority.per_matrix[0].count, 10u);
}

TEST(CibMonteCarlo, FindsConsistentScenariosReproducibly) {
    cib::MonteCarloOptions mc;
    mc.samples = 200;
    mc.seed = 5;
    const auto r1 = cib::monte_carlo(somewhereland(), {}, mc);
    const auto r2 = cib::monte_carlo(somewhereland(), {}, mc);
    EXPECT_FALSE(r1.complete);
    ASSERT_GT(r1.count, 0u);
    EXPECT_LE(r1.count, 10u);
    ASSERT_EQ(r1.scenarios.size(), r2.scenarios.size());
    for (size_t i = 0; i < r1.scenarios.size(); ++i) {
        EXPECT_EQ(r1.scenarios[i].scenario, r2.scenarios[i].scenario);
        EXPECT_EQ(r1.scenarios[i].inconsistency, 0);
    }
}

} // namespace
} // namespace holon_scenarios
