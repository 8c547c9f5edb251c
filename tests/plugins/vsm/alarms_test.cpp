// Algedonic alarms on hand-checked series: the running median drops a one-period transient but
// keeps a step, the k-period rule, clearing, and escalation one level per delay up to the root.
#include "alarms/alarms.hpp"
#include "org/organisation.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using namespace holon_vsm;
using nlohmann::json;

Organisation three_levels() {
    return read_organisation(json::parse(R"({"organisation": {"units": [
        {"id": "root", "name": "Trust"}, {"id": "div", "name": "Community", "parent": "root"},
        {"id": "team", "name": "District nursing", "parent": "div", "leaf": true}]},
      "indicators": [{"id": "i", "name": "Visits", "unit": "team",
                      "thresholds": [{"level": "alarm", "comparison": "below", "value": 50, "periods": 2}]}]})"));
}

TEST(RunningMedian, DropsATransientKeepsAStep) {
    EXPECT_EQ(running_median({60, 60, 10, 60, 60}, 3), (std::vector<double>{60, 60, 60, 60, 60}));
    EXPECT_EQ(running_median({60, 10}, 3), (std::vector<double>{60, 35})); // two values: their mean
    EXPECT_EQ(running_median({60, 60, 60, 10, 10, 10}, 3), (std::vector<double>{60, 60, 60, 60, 10, 10}));
    EXPECT_EQ(running_median({1, 2, 3}, 1), (std::vector<double>{1, 2, 3}));
}

TEST(Alarms, TransientIsFilteredOut) {
    const Organisation org = three_levels();
    EXPECT_TRUE(indicator_alarms(org, org.indicators[0], 2, {60, 60, 10, 60, 60, 60}, {}, std::nullopt).empty());
    AlarmOptions unfiltered;
    unfiltered.window = 1;
    EXPECT_TRUE(indicator_alarms(org, org.indicators[0], 2, {60, 60, 10, 60, 60, 60}, unfiltered, std::nullopt).empty());
}

// Raw 60 60 60 60 40 40 40 40 40 60 60 60; the median of three lags the step by one period.
TEST(Alarms, StepRaisesEscalatesAndClears) {
    const Organisation org = three_levels();
    const std::vector<double> x{60, 60, 60, 60, 40, 40, 40, 40, 40, 60, 60, 60};
    const auto alarms = indicator_alarms(org, org.indicators[0], 2, x, {}, std::nullopt);
    ASSERT_EQ(alarms.size(), 1u);
    const Alarm &a = alarms[0];
    EXPECT_EQ(a.raised, 6);          // filtered 60,60,60,60,60,40,40,...: below from 5, second period 6
    EXPECT_EQ(a.pattern, "step");
    ASSERT_TRUE(a.cleared);
    EXPECT_EQ(*a.cleared, 10);       // filtered back to 60 at period 10
    ASSERT_EQ(a.escalations.size(), 1u);
    EXPECT_EQ(a.escalations[0].unit, 1);
    EXPECT_EQ(a.escalations[0].period, 8);
    EXPECT_FALSE(a.reached_root);    // cleared at 10, before the next escalation
}

TEST(Alarms, AcknowledgedAlarmStaysWhereItIs) {
    const Organisation org = three_levels();
    const std::vector<double> x(12, 30.0);
    const auto open = indicator_alarms(org, org.indicators[0], 2, x, {}, std::nullopt);
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].raised, 1);
    ASSERT_EQ(open[0].escalations.size(), 2u);
    EXPECT_EQ(open[0].escalations[1].period, 5);
    EXPECT_TRUE(open[0].reached_root);
    const auto acknowledged = indicator_alarms(org, org.indicators[0], 2, x, {}, 2);
    EXPECT_TRUE(acknowledged[0].escalations.empty());
    EXPECT_EQ(*acknowledged[0].acknowledged, 2);
}

} // namespace
