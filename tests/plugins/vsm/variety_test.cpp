// Variety arithmetic and Beer's triple index against the published numbers, exactly.
//   T-VSM-1: A=60, C=80, P=100 -> productivity 3/4, latency 4/5, performance 3/5 (primer);
//            Beer (Brain of the Firm): P=100000, C=60000, A=40000 -> latency 3/5, productivity 2/3,
//            performance 2/5 = latency x productivity.
//   T-VSM-2: D=9 disturbances, R=3 responses -> at least 3 outcomes, log2 3 = 1.585 bits.
#include "variety/exact.hpp"
#include "variety/variety.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>

namespace {

using namespace holon_vsm;
using nlohmann::json;

Rational q(const char *text) { return parse_decimal(text); }

TEST(Exact, DecimalsAreReadAsWritten) {
    EXPECT_EQ(to_fraction(q("0.1")), "1/10");
    EXPECT_EQ(to_fraction(q("40000")), "40000");
    EXPECT_EQ(to_fraction(q("1e+3")), "1000");
    EXPECT_EQ(to_fraction(q("-2.5E-1")), "-1/4");
    EXPECT_EQ(ceil_of(q("4.5")), 5);
    EXPECT_EQ(floor_of(q("-4.5")), -5);
    EXPECT_THROW(parse_decimal("1.2.3"), std::invalid_argument);
}

TEST(TripleIndex, PrimerCase) {
    const TripleIndex t = triple_index(q("60"), q("80"), q("100"));
    EXPECT_EQ(to_fraction(*t.productivity), "3/4");
    EXPECT_EQ(to_fraction(*t.latency), "4/5");
    EXPECT_EQ(to_fraction(*t.performance), "3/5");
    EXPECT_EQ(to_double(*t.productivity), 0.75);
    EXPECT_EQ(to_double(*t.latency), 0.8);
    EXPECT_EQ(to_double(*t.performance), 0.6);
}

TEST(TripleIndex, BeersWorkedExample) {
    const TripleIndex t = triple_index(q("40000"), q("60000"), q("100000"));
    EXPECT_EQ(to_fraction(*t.latency), "3/5");
    EXPECT_EQ(to_fraction(*t.productivity), "2/3");
    EXPECT_EQ(to_fraction(*t.performance), "2/5");
    EXPECT_EQ(*t.performance, *t.latency * *t.productivity); // exactly, not within a tolerance
    EXPECT_EQ(std::round(to_double(*t.productivity) * 1000) / 1000, 0.667);
}

TEST(TripleIndex, UndefinedWithoutCapabilityOrPotentiality) {
    const TripleIndex t = triple_index(q("5"), q("0"), q("0"));
    EXPECT_FALSE(t.productivity);
    EXPECT_FALSE(t.latency);
    EXPECT_FALSE(t.performance);
}

TEST(RequisiteVariety, NineDisturbancesThreeResponses) {
    const RequisiteVariety v = requisite_variety(q("9"), q("1"), q("3"), q("1"), q("1"));
    EXPECT_EQ(v.minimum_outcomes, 3);
    EXPECT_NEAR(v.outcome_bits, 1.584962500721156, 1e-15);
    EXPECT_NEAR(v.deficit_bits, 1.584962500721156, 1e-15);
    EXPECT_FALSE(v.requisite);
}

TEST(RequisiteVariety, MatchingResponsesAndAttenuation) {
    EXPECT_EQ(requisite_variety(q("9"), q("1"), q("9"), q("1"), q("1")).minimum_outcomes, 1);
    const RequisiteVariety attenuated = requisite_variety(q("9"), q("3"), q("3"), q("1"), q("1"));
    EXPECT_EQ(attenuated.disturbances, 3);
    EXPECT_EQ(attenuated.minimum_outcomes, 1);
    EXPECT_EQ(attenuated.deficit_bits, 0.0);
    EXPECT_TRUE(attenuated.requisite);
    const RequisiteVariety amplified = requisite_variety(q("9"), q("1"), q("3"), q("3"), q("1"));
    EXPECT_EQ(amplified.responses, 9);
    EXPECT_EQ(amplified.minimum_outcomes, 1);
}

// The integer count form, not the log form: D=9, R=2 leaves ceil(4.5) = 5 outcomes (2.3219 bits),
// where log2 9 - log2 2 would say 2.1699 bits.
TEST(RequisiteVariety, CountFormRoundsUpOutcomes) {
    const RequisiteVariety v = requisite_variety(q("9"), q("1"), q("2"), q("1"), q("1"));
    EXPECT_EQ(v.minimum_outcomes, 5);
    EXPECT_NEAR(v.outcome_bits, std::log2(5.0), 1e-15);
    const RequisiteVariety ok = requisite_variety(q("9"), q("1"), q("2"), q("1"), q("5"));
    EXPECT_TRUE(ok.requisite);
    EXPECT_EQ(ok.deficit_bits, 0.0);
}

TEST(VarietyReport, UnitsChannelsAndIndicators) {
    const Organisation org = read_organisation(json::parse(R"({
      "organisation": {
        "units": [{"id": "r", "name": "Trust"}, {"id": "a", "name": "Acute care", "parent": "r", "leaf": true}],
        "channels": [{"id": "c1", "type": "command", "from": "r", "to": "a", "capacity": 10, "demand": 12},
                     {"id": "c2", "type": "audit", "from": "r", "to": "a", "capacity": 8, "transducer": 8, "measure": "states"}],
        "varieties": [{"id": "v1", "unit": "a", "of": "admissions", "states": 9, "responses": 3},
                      {"id": "v2", "unit": "a", "of": "discharges", "states": 9}]},
      "indicators": [{"id": "i1", "name": "Operating theatre hours", "unit": "a", "capability": 60000, "potentiality": 100000,
                      "actuals": [{"value": 35000, "at": "2025-Q4"}, {"value": 40000, "at": "2026-Q1"}]}]})"));
    const json r = variety_report(org);
    ASSERT_EQ(r["varieties"].size(), 1u);
    EXPECT_EQ(r["varieties"][0]["minimum_outcomes"], 3);
    EXPECT_TRUE(r["varieties"][0]["acceptable_assumed"].get<bool>());
    ASSERT_EQ(r["not_assessable"].size(), 1u);
    EXPECT_EQ(r["not_assessable"][0]["variety"], "v2");
    EXPECT_EQ(r["channels"][0]["deficit"]["exact"], "2");
    EXPECT_FALSE(r["channels"][0]["adequate"].get<bool>());
    EXPECT_TRUE(r["channels"][1]["adequate"].get<bool>());
    EXPECT_EQ(r["channels"][1]["capacity_bits"], 3.0);
    const json &t = r["triple_index"][0];
    EXPECT_EQ(t["at"], "2026-Q1");
    EXPECT_EQ(t["productivity"]["exact"], "2/3");
    EXPECT_EQ(t["latency"]["exact"], "3/5");
    EXPECT_EQ(t["performance"]["exact"], "2/5");
    EXPECT_EQ(t["unit_name"], "Acute care");
}

} // namespace
