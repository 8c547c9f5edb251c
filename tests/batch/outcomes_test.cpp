// Scalar and series outcomes on series whose answers are known by hand.
#include "runner/outcomes.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>

namespace holon::runner {
namespace {

// t = 0..4, x = 0, 2, 4, 2, 0 (a tent peaking at t = 2)
const std::vector<double> t{0, 1, 2, 3, 4};
const std::vector<double> x{0, 2, 4, 2, 0};

double outcome(OutcomeKind kind, std::optional<double> from = {}, std::optional<double> to = {}, double threshold = 0, int direction = 0) {
    Outcome o;
    o.kind = kind;
    o.from = from;
    o.to = to;
    o.threshold = threshold;
    o.direction = direction;
    return scalar_outcome(o, t, x);
}

TEST(Outcomes, WholeRun) {
    EXPECT_EQ(outcome(OutcomeKind::initial), 0);
    EXPECT_EQ(outcome(OutcomeKind::final), 0);
    EXPECT_EQ(outcome(OutcomeKind::max), 4);
    EXPECT_EQ(outcome(OutcomeKind::time_of_max), 2);
    EXPECT_EQ(outcome(OutcomeKind::min), 0);
    EXPECT_EQ(outcome(OutcomeKind::time_of_min), 0); // the first minimum
    EXPECT_DOUBLE_EQ(outcome(OutcomeKind::integral), 8);  // area of the tent: 4 * 4 / 2
    EXPECT_DOUBLE_EQ(outcome(OutcomeKind::mean), 2);      // 8 over 4 time units
}

TEST(Outcomes, WindowsCutBetweenSavedTimesByInterpolation) {
    EXPECT_DOUBLE_EQ(outcome(OutcomeKind::initial, 0.5), 1);
    EXPECT_DOUBLE_EQ(outcome(OutcomeKind::final, {}, 2.5), 3);
    EXPECT_DOUBLE_EQ(outcome(OutcomeKind::integral, 1, 3), 6); // 2..4..2 over two units
    EXPECT_DOUBLE_EQ(outcome(OutcomeKind::mean, 1, 3), 3);
    EXPECT_DOUBLE_EQ(outcome(OutcomeKind::integral, 0.5, 1.5), 2); // 1..2..3 over one unit
    EXPECT_DOUBLE_EQ(outcome(OutcomeKind::max, 3, 4), 2);
    EXPECT_DOUBLE_EQ(outcome(OutcomeKind::time_of_min, 1, 3), 1);
    EXPECT_DOUBLE_EQ(outcome(OutcomeKind::mean, 0.25, 0.75), 1); // wholly between two saved times
    EXPECT_TRUE(std::isnan(outcome(OutcomeKind::final, 5, 6)));   // after the run
}

TEST(Outcomes, CrossingTimes) {
    EXPECT_DOUBLE_EQ(outcome(OutcomeKind::crossing, {}, {}, 3, +1), 1.5);
    EXPECT_DOUBLE_EQ(outcome(OutcomeKind::crossing, {}, {}, 3, -1), 2.5);
    EXPECT_DOUBLE_EQ(outcome(OutcomeKind::crossing, {}, {}, 3, 0), 1.5);
    EXPECT_DOUBLE_EQ(outcome(OutcomeKind::crossing, {}, {}, 0, 0), 0); // starts at the threshold
    EXPECT_TRUE(std::isnan(outcome(OutcomeKind::crossing, {}, {}, 5, 0))); // never reached
    EXPECT_DOUBLE_EQ(outcome(OutcomeKind::crossing, 2, {}, 1, 0), 3.5);   // the first crossing in the window
}

TEST(Outcomes, ComputedFromATableWithSeriesAndMissingColumns) {
    TableData table;
    table.name = "series";
    table.columns = {"time", "Infectious People"};
    table.values = {t, x};
    OutcomeSpec spec;
    spec.outcomes = {{"peak", "infectious_people", OutcomeKind::max, {}, {}, 0, 0},
                     {"curve", "infectious people", OutcomeKind::series, 1, 3, 0, 0},
                     {"t_peak", "Infectious People", OutcomeKind::time_of_max, {}, {}, 0, 0}};
    // The spec survives the trip to the runner.
    const OutcomeSpec back = OutcomeSpec::from_json(spec.to_json());
    ASSERT_EQ(back.outcomes.size(), 3u);
    EXPECT_EQ(back.outcomes[1].kind, OutcomeKind::series);
    EXPECT_EQ(*back.outcomes[1].from, 1);

    std::vector<double> scalars, series_time;
    std::vector<std::vector<double>> series;
    ASSERT_EQ(compute_outcomes(back, {view_of(table)}, scalars, series_time, series), "");
    EXPECT_EQ(scalars, (std::vector<double>{4, 2}));
    ASSERT_EQ(series.size(), 1u);
    EXPECT_EQ(series_time, t);
    EXPECT_TRUE(std::isnan(series[0][0]));
    EXPECT_EQ(series[0][1], 2);
    EXPECT_EQ(series[0][3], 2);
    EXPECT_TRUE(std::isnan(series[0][4]));

    spec.outcomes[0].variable = "recovered";
    EXPECT_EQ(compute_outcomes(spec, {view_of(table)}, scalars, series_time, series),
              "table 'series' has no column 'recovered' (outcome 'peak')");
    spec.table = "other";
    EXPECT_EQ(compute_outcomes(spec, {view_of(table)}, scalars, series_time, series), "the method put no table 'other'");
}

} // namespace
} // namespace holon::runner
