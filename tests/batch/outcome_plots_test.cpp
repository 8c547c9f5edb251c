// Binning behind the outcome plots of a step with outcomes: every finite value counted once, the
// data of a scatter bounded whatever the number of runs.
#include "batch/model_units.hpp"
#include "batch/outcome_plots.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numeric>

namespace {

using namespace holon::batch;

TEST(OutcomePlots, BinsCountEveryFiniteValueOnceTheLargestInTheLastBin) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const Bins b = bin_values({0, 1, 2, 3, 4, 10, nan, std::numeric_limits<double>::infinity()}, 5);
    ASSERT_EQ(b.counts.size(), 5u);
    EXPECT_DOUBLE_EQ(b.lo, 0);
    EXPECT_DOUBLE_EQ(b.width, 2);
    EXPECT_EQ(b.counts, (std::vector<size_t>{2, 2, 1, 0, 1}));
    // All equal: bins around the value, all of it in the middle one.
    const Bins same = bin_values({5, 5, 5}, 4);
    EXPECT_EQ(std::accumulate(same.counts.begin(), same.counts.end(), size_t{0}), 3u);
    EXPECT_GT(same.width, 0);
    EXPECT_EQ(same.counts[bin_of(same, 5)], 3u);
}

TEST(OutcomePlots, HistogramsHaveFiveToFortyBins) {
    EXPECT_EQ(histogram_bins(3), 5u);
    EXPECT_EQ(histogram_bins(60), 8u);
    EXPECT_EQ(histogram_bins(100'000), 40u);
}

TEST(OutcomePlots, AScatterOfManyRunsIsCellCountsOfAFixedGrid) {
    std::vector<double> x, y;
    for (size_t i = 0; i < max_scatter_points; ++i) {
        x.push_back(static_cast<double>(i));
        y.push_back(std::sin(static_cast<double>(i)));
    }
    const auto few = outcome_scatter(x, y);
    EXPECT_EQ(few.points.size(), max_scatter_points);
    EXPECT_TRUE(few.cells.empty());
    for (size_t i = max_scatter_points; i < 100'000; ++i) {
        x.push_back(static_cast<double>(i % 977));
        y.push_back(std::sin(static_cast<double>(i)));
    }
    const auto many = outcome_scatter(x, y);
    EXPECT_TRUE(many.points.empty());
    EXPECT_LE(many.cells.size(), scatter_cells_x * scatter_cells_y);
    size_t total = 0;
    for (const auto &c : many.cells) {
        EXPECT_LT(c[0], scatter_cells_x);
        EXPECT_LT(c[1], scatter_cells_y);
        EXPECT_GT(c[2], 0u);
        total += c[2];
    }
    EXPECT_EQ(total, 100'000u);
}

TEST(ModelUnits, OutcomesHaveTheirVariablesUnitsTimesTheTimeUnitsIntegralsBoth) {
    StepSpec step;
    step.axes = {"overrides.duration", "overrides.contact_infectivity", "seed"};
    holon::runner::OutcomeSpec spec;
    auto outcome = [](const std::string &name, const std::string &variable, holon::runner::OutcomeKind kind) {
        holon::runner::Outcome o;
        o.name = name;
        o.variable = variable;
        o.kind = kind;
        return o;
    };
    spec.outcomes = {outcome("peak", "Infectious", holon::runner::OutcomeKind::max), outcome("peak_day", "infectious", holon::runner::OutcomeKind::time_of_max),
                     outcome("above", "infectious", holon::runner::OutcomeKind::crossing), outcome("load", "infectious", holon::runner::OutcomeKind::integral),
                     outcome("share", "ratio", holon::runner::OutcomeKind::final)};
    step.outcomes = spec;
    const std::string model = R"({"format": "holon-model/1", "variables": [
        {"name": "infectious", "units": "people"}, {"name": "duration", "units": "days"},
        {"name": "contact_infectivity", "units": ""}, {"name": "ratio", "units": "dmnl"}],
        "methods": {"sd": {"sim_specs": {"time_units": "days"}}}})";
    const auto units = outcome_units(step, model);
    EXPECT_EQ(units, (std::map<std::string, std::string>{{"duration", "days"}, {"time", "days"}, {"peak", "people"},
                                                          {"peak_day", "days"}, {"above", "days"}, {"load", "people*days"}}));
    // XMILE's placeholder time units say nothing: no time, no time of an extreme, no integral.
    std::string placeholder = model;
    placeholder.replace(placeholder.find("\"time_units\": \"days\""), 20, "\"time_units\": \"Time\"");
    EXPECT_EQ(outcome_units(step, placeholder), (std::map<std::string, std::string>{{"duration", "days"}, {"peak", "people"}}));
    EXPECT_TRUE(outcome_units(step, "not a model").empty());
}

} // namespace
