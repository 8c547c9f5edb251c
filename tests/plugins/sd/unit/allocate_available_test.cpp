// Vensim's ALLOCATE AVAILABLE read from .mdl text: the clearing priority splits a scarce supply
// among requests by their priority profiles (1 rectangular, 2 triangular, 3 normal, 4 exponential).
#include "compile/compiler.hpp"
#include "helpers.hpp"
#include "ir/error.hpp"
#include "mdl/reader.hpp"
#include "vm/simulator.hpp"

#include <cmath>
#include <string>

using namespace holon_sd;
using namespace holon_sd::test;

namespace {

// Two requesters, north and south, with the given requests, profiles (type, priority, width,
// extra) and supply equation.
Model two_requesters(double north, double south, const std::string &north_profile, const std::string &south_profile,
                     const std::string &supply) {
    std::string eqs = "region : north, south ~~|\n"
                      "pprofile : ptype, ppriority, pwidth, pextra ~~|\n"
                      "demand[region] = " + std::to_string(north) + ", " + std::to_string(south) + " ~~|\n"
                      "priority[north, pprofile] = " + north_profile + " ~~|\n"
                      "priority[south, pprofile] = " + south_profile + " ~~|\n"
                      "supply = " + supply + " ~~|\n"
                      "shipments[region] = ALLOCATE AVAILABLE(demand[region], priority[region, ptype], supply) ~~|\n"
                      "total shipments = SUM(shipments[region!]) ~~|\n";
    return mdl(eqs, "allocate.mdl");
}

double first(const Model &m, const std::string &name) { return series(m, name).at(0); }

} // namespace

TEST(SdAllocateAvailable, RectangularProfilesServeTheHigherPriorityFirst) {
    // North (priority 5) is full for x <= 4; south (priority 3) falls from full at x = 2 to 0 at
    // x = 4, so 15 clears at x = 3 with south at half its request.
    Model m = two_requesters(10, 10, "1, 5, 2, 0", "1, 3, 2, 0", "15");
    EXPECT_NEAR(first(m, "shipments[north]"), 10, 1e-9);
    EXPECT_NEAR(first(m, "shipments[south]"), 5, 1e-9);
}

TEST(SdAllocateAvailable, EqualProfilesShareInProportionToRequests) {
    for (const char *profile : {"1, 5, 2, 0", "2, 5, 2, 0", "3, 5, 2, 0", "4, 5, 2, 0"}) {
        Model m = two_requesters(10, 30, profile, profile, "20");
        EXPECT_NEAR(first(m, "shipments[north]"), 5, 1e-9) << profile;
        EXPECT_NEAR(first(m, "shipments[south]"), 15, 1e-9) << profile;
    }
}

TEST(SdAllocateAvailable, SymmetricPrioritiesClearHalfwayBetween) {
    // Equal requests of 10, priorities 4 and 6, supply 10: the clearing priority is 5, one width
    // (rectangular and triangular: 4 wide; normal and exponential: 1) from each priority.
    struct Case {
        const char *north, *south;
        double north_share;
    };
    const Case cases[] = {
        {"1, 4, 4, 0", "1, 6, 4, 0", 0.25},                               // 0.5 - 1/4
        {"2, 4, 4, 0", "2, 6, 4, 0", 2.0 * 1 * 1 / 16},                   // 2 (half - u)^2 / width^2
        {"3, 4, 1, 0", "3, 6, 1, 0", 0.5 * std::erfc(1 / std::sqrt(2.0))}, // the normal tail beyond 1 sd
        {"4, 4, 1, 0", "4, 6, 1, 0", 0.5 * std::exp(-1.0)},               // the exponential tail
    };
    for (const Case &c : cases) {
        Model m = two_requesters(10, 10, c.north, c.south, "10");
        EXPECT_NEAR(first(m, "shipments[north]"), 10 * c.north_share, 1e-9) << c.north;
        EXPECT_NEAR(first(m, "shipments[south]"), 10 * (1 - c.north_share), 1e-9) << c.north;
    }
}

TEST(SdAllocateAvailable, NothingAvailableAndMoreThanEnough) {
    Model none = two_requesters(10, 30, "3, 5, 2, 0", "3, 7, 1, 0", "0");
    EXPECT_EQ(first(none, "shipments[north]"), 0);
    EXPECT_EQ(first(none, "shipments[south]"), 0);
    Model plenty = two_requesters(10, 30, "3, 5, 2, 0", "3, 7, 1, 0", "100");
    EXPECT_EQ(first(plenty, "shipments[north]"), 10);
    EXPECT_EQ(first(plenty, "shipments[south]"), 30);
    Model exact = two_requesters(10, 30, "2, 5, 2, 0", "4, 7, 1, 0", "40");
    EXPECT_EQ(first(exact, "shipments[north]"), 10);
    EXPECT_EQ(first(exact, "shipments[south]"), 30);
}

TEST(SdAllocateAvailable, ShipmentsAddUpToAScarceSupplyOverTime) {
    // Mixed profile types; the supply rises 0, 9, 18, 27, 36 against 40 requested.
    Model m = two_requesters(10, 30, "2, 5, 3, 0", "3, 6, 1.5, 0", "9 * Time");
    std::vector<double> total = series(m, "total shipments");
    ASSERT_EQ(total.size(), 5u);
    for (size_t t = 0; t < total.size(); ++t) EXPECT_NEAR(total[t], 9.0 * static_cast<double>(t), 1e-12 * 40) << t;
    std::vector<double> north = series(m, "shipments[north]");
    // North's triangle ends at 6.5: at supply 9 the clearing priority is beyond it.
    EXPECT_EQ(north[1], 0);
    for (size_t t = 2; t < north.size(); ++t) EXPECT_GT(north[t], north[t - 1]) << t;
}

TEST(SdAllocateAvailable, RefusesUnsupportedProfilesAndMisshapedArguments) {
    Model elastic = two_requesters(10, 30, "5, 5, 2, 1", "1, 7, 1, 0", "20");
    Program p = compile(elastic);
    Simulator sim(p);
    try {
        sim.run();
        ADD_FAILURE() << "constant elasticity profile accepted";
    } catch (const ModelError &e) {
        EXPECT_NE(std::string(e.what()).find("priority profile type 5 is not supported"), std::string::npos) << e.what();
    }

    Model zero_width = two_requesters(10, 30, "1, 5, 0, 0", "1, 7, 1, 0", "20");
    Program pz = compile(zero_width);
    Simulator sz(pz);
    EXPECT_THROW(sz.run(), ModelError);

    std::string eqs = "region : north, south ~~|\n"
                      "demand[region] = 10, 30 ~~|\n"
                      "priority[region] = 1, 2 ~~|\n"
                      "shipments[region] = ALLOCATE AVAILABLE(demand[region], priority[region], 5) ~~|\n";
    try {
        compile(mdl(eqs, "allocate.mdl"));
        ADD_FAILURE() << "profiles without a pprofile subscript accepted";
    } catch (const ModelError &e) {
        EXPECT_NE(std::string(e.what()).find("ALLOCATE AVAILABLE"), std::string::npos) << e.what();
    }
}
