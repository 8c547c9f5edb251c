// Unit aliases and defined units in sd.check-units: a model's <model_units> and the built-in
// plural/singular names.
#include "helpers.hpp"
#include "units/units.hpp"
#include "xmile/reader.hpp"

#include <algorithm>

using namespace holon_sd;
using namespace holon_sd::test;

namespace {

// A population stock fed by one flow: the stock in `stock_units`, the flow in `flow_units`.
Model population(const std::string &stock_units, const std::string &flow_units, const std::string &time_units) {
    Model m = model({with_units(stock("population", "100", {"births"}), stock_units),
                     with_units(flow("births", "population * birth_rate"), flow_units),
                     with_units(aux("birth_rate", "0.03"), "1/" + time_units)});
    m.sim_specs.time_units = time_units;
    return m;
}

std::string messages(const std::vector<UnitFinding> &findings) {
    std::string out;
    for (const UnitFinding &f : findings) out += f.message + "\n";
    return out;
}

} // namespace

TEST(SdUnitAliases, BuiltInPluralsAndSingularsAreOneUnit) {
    // Stock in People, flow in persons per Day, time in days, the rate per day: all one.
    EXPECT_EQ(messages(check_units(population("People", "persons/Day", "days"))), "");
    EXPECT_EQ(messages(check_units(population("person", "people/months", "Month"))), "");
    EXPECT_EQ(messages(check_units(population("Dollars", "$/Year", "years"))), "");
}

TEST(SdUnitAliases, DifferentUnitsAreStillReported) {
    std::vector<UnitFinding> f = check_units(population("people", "people/week", "day"));
    ASSERT_EQ(f.size(), 2u) << messages(f);
    EXPECT_EQ(f[0].message, "flow 'births' of stock 'population' should be in people/day, is in people/week");
    EXPECT_EQ(f[1].message, "variable 'births' is declared in people/week but its equation computes people/day");
}

TEST(SdUnitAliases, ModelUnitAliasesAreTheirUnit) {
    Model m = model({with_units(stock("tea", "180", {}, {"cooling"}), "Degrees"),
                     with_units(flow("cooling", "(tea - room) / minutes to cool"), "deg/min"),
                     with_units(aux("room", "70"), "degree"), with_units(aux("minutes to cool", "10"), "minute")});
    m.sim_specs.time_units = "Minutes";
    std::vector<UnitFinding> without = check_units(m);
    ASSERT_EQ(without.size(), 3u) << messages(without); // deg and min are not built in
    m.units = {{"Degrees", "", {"deg", "degree"}}, {"Minutes", "", {"min", "minute"}}};
    EXPECT_EQ(messages(check_units(m)), "");
}

TEST(SdUnitAliases, ModelDefinitionsComeBeforeBuiltIns) {
    // The model makes "people" another name of its unit "worker": the built-in "persons" and
    // "person", being people, follow it.
    UnitTable t({{"worker", "", {"people"}}});
    EXPECT_EQ(format_units(*t.parse("persons/year")), "worker/year");
    EXPECT_EQ(format_units(*t.parse("People/Months")), "worker/month");
    EXPECT_EQ(format_units(*t.parse("weeks")), "week");
    EXPECT_EQ(format_units(*t.parse("fortnights")), "fortnights"); // not built in
}

TEST(SdUnitAliases, UnitDefinedByAnEquationIsThatEquation) {
    Model m = model({with_units(aux("mass", "2"), "kg"), with_units(aux("acceleration", "3"), "m/s^2"),
                     with_units(aux("force", "mass * acceleration"), "N"), with_units(aux("energy", "force * 4"), "N*m")});
    std::vector<UnitFinding> f = check_units(m);
    ASSERT_EQ(f.size(), 1u) << messages(f); // N unknown: kg*m/s^2 is not N
    EXPECT_EQ(f[0].message, "variable 'force' is declared in n but its equation computes kg*m/s^2");
    m.units = {{"Newton", "kg*m/s^2", {"N"}}};
    EXPECT_EQ(messages(check_units(m)), "");
}

TEST(SdUnitAliases, ScaledDefinitionsStayUnitsOfTheirOwn) {
    // fortnight = 14 * day: Holon never converts, so a flow per fortnight into a stock counted in
    // days would be 14 times off: it is reported, not accepted.
    Model m = population("people", "people/fortnight", "day");
    m.units = {{"fortnight", "14 * days", {}}};
    std::vector<UnitFinding> f = check_units(m);
    ASSERT_EQ(f.size(), 2u) << messages(f);
    EXPECT_EQ(f[0].expected, "people/day");
    EXPECT_EQ(f[0].found, "people/fortnight");
    // A definition whose only number is 1 is a renaming.
    m.units = {{"fortnight", "1 * days", {}}};
    EXPECT_EQ(messages(check_units(m)), "");
}

TEST(SdUnitAliases, CyclicAndUnreadableDefinitionsAreReportedNotFollowed) {
    UnitTable t({{"a", "b", {}}, {"b", "a*c", {}}, {"c", "per month, roughly", {}}});
    ASSERT_EQ(t.problems().size(), 2u);
    EXPECT_EQ(t.problems()[0], "unit 'c': cannot read its equation 'per month, roughly'");
    // The definition that closes the cycle (b, reached from a) stays a unit; a is b.
    EXPECT_EQ(t.problems()[1], "unit 'b' is defined through itself; it is kept as a unit of its own");
    EXPECT_EQ(format_units(*t.parse("a")), "b");
    EXPECT_EQ(format_units(*t.parse("b*c")), "b*c");
    // Definitions that double at every step (u0 = u1*v1, v0 = u1*v1, ...) stop at a bound
    // instead of running for ever; the units are then kept as units of their own.
    std::vector<UnitDefinition> chain;
    for (int i = 0; i < 64; ++i) {
        std::string next = "u" + std::to_string(i + 1) + "*v" + std::to_string(i + 1);
        chain.push_back({"u" + std::to_string(i), next, {}});
        chain.push_back({"v" + std::to_string(i), next, {}});
    }
    UnitTable long_chain(chain);
    // u63 = u64*v64 and u(i) = (u64*v64)^(2^(63-i)): u53 is the first past the bound (1024) and
    // stays a unit; u52 = u53*v53, and so on every 11 levels: u53, u42, u31, u20, u9 and the v's.
    std::vector<std::string> problems = long_chain.problems();
    std::sort(problems.begin(), problems.end());
    ASSERT_EQ(problems.size(), 10u);
    EXPECT_EQ(problems[0], "unit 'u20' expands to powers beyond 1000; it is kept as a unit of its own");
    EXPECT_EQ(format_units(*long_chain.parse("u52")), "u53*v53");
    EXPECT_EQ(format_units(*long_chain.parse("u0")), "u9^256*v9^256");
    EXPECT_EQ(format_units(*long_chain.parse("u63")), "u64*v64");
}

TEST(SdUnitAliases, StellaTeacupChecksCleanWithItsModelUnits) {
    std::string doc = R"(<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
<sim_specs time_units="Minutes"><start>0</start><stop>2</stop><dt>1</dt></sim_specs>
<model_units><unit name="Degrees"><eqn/><alias>deg</alias><alias>degree</alias></unit>
<unit name="Minutes"><eqn/><alias>min</alias><alias>minute</alias></unit></model_units>
<model><variables>
  <stock name="teacup temperature"><eqn>180</eqn><outflow>heat loss</outflow><units>degrees</units></stock>
  <flow name="heat loss"><eqn>(teacup_temperature - room_temperature) / characteristic_time</eqn><units>deg/min</units></flow>
  <aux name="characteristic time"><eqn>10</eqn><units>minute</units></aux>
  <aux name="room temperature"><eqn>70</eqn><units>degree</units></aux>
</variables></model></xmile>)";
    Model m = read_xmile(doc);
    ASSERT_EQ(m.units.size(), 2u);
    EXPECT_EQ(messages(check_units(m)), "");
}
