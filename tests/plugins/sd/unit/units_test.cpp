#include "helpers.hpp"
#include "units/units.hpp"

using namespace holon_sd;
using namespace holon_sd::test;

TEST(SdUnits, ParsesProductsQuotientsPowersAndDimensionless) {
    EXPECT_EQ(format_units(*parse_units("people/Month")), "people/month");
    EXPECT_EQ(format_units(*parse_units("kg*m/s^2")), "kg*m/s^2");
    EXPECT_EQ(format_units(*parse_units("1/day")), "1/day");
    EXPECT_EQ(format_units(*parse_units("Dmnl")), "1");
    EXPECT_EQ(*parse_units("people/(person*Month)"), *parse_units("people/person/Month"));
    EXPECT_FALSE(parse_units("people per month, roughly (estimated)").has_value());
}

TEST(SdUnits, ConsistentModelHasNoFindings) {
    Model m = model({with_units(stock("population", "100", {"births"}), "people"),
                     with_units(flow("births", "population * birth_rate"), "people/year"),
                     with_units(aux("birth_rate", "0.03"), "1/year")});
    m.sim_specs.time_units = "year";
    EXPECT_TRUE(check_units(m).empty());
}

TEST(SdUnits, ReportsVariableExpectedAndFound) {
    Model m = model({with_units(stock("population", "100", {"births"}), "people"),
                     with_units(flow("births", "population * birth_rate"), "people/year"),
                     with_units(aux("birth_rate", "0.03"), "1/month"),
                     with_units(aux("mixed", "population + birth_rate"), "people")});
    m.sim_specs.time_units = "year";
    std::vector<UnitFinding> f = check_units(m);
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].variable, "births");
    EXPECT_EQ(f[0].expected, "people/year");
    EXPECT_EQ(f[0].found, "people/month");
    EXPECT_EQ(f[1].variable, "mixed");
    EXPECT_NE(f[1].message.find("different units"), std::string::npos) << f[1].message;
}

TEST(SdUnits, FlowsMustBeStockUnitsPerTime) {
    Model m = model({with_units(stock("water", "10", {"inflow"}), "litre"),
                     with_units(flow("inflow", "2"), "litre")});
    m.sim_specs.time_units = "minute";
    std::vector<UnitFinding> f = check_units(m);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].variable, "inflow");
    EXPECT_EQ(f[0].expected, "litre/minute");
    EXPECT_EQ(f[0].found, "litre");
}
