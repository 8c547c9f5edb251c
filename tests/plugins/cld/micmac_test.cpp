#include "centrality/micmac.hpp"

#include <gtest/gtest.h>

namespace holon_cld {
namespace {

TEST(Micmac, ChainHasAnInfluentialARelayBAndADependentC) {
    CausalGraph g;
    for (const char *v : {"a", "b", "c"}) g.add_variable({v, v, ""});
    g.add_link("ab", "a", "b", Polarity::positive, false, 3.0);
    g.add_link("ab2", "a", "b", Polarity::negative, false, 2.0); // parallel: the largest weight counts
    g.add_link("bc", "b", "c", Polarity::negative, false, -3.0);  // sign does not matter
    g.add_link("cc", "c", "c", Polarity::positive, false, 3.0);   // self-link: ignored
    const MicmacResult m = micmac(g);
    EXPECT_EQ(m.direct.influence, (std::vector<double>{3, 3, 0}));
    EXPECT_EQ(m.direct.dependence, (std::vector<double>{0, 3, 3}));
    EXPECT_DOUBLE_EQ(m.direct.influence_threshold, 2.0);
    EXPECT_EQ(m.direct.influence_rank, (std::vector<std::size_t>{1, 1, 3}));
    EXPECT_EQ(m.direct.quadrant,
              (std::vector<MicmacQuadrant>{MicmacQuadrant::influential, MicmacQuadrant::relay, MicmacQuadrant::dependent}));
    // M^2 holds only a -> c; M^3 vanishes, so M^2 is where indirect influence settles.
    EXPECT_EQ(m.power, 2);
    EXPECT_TRUE(m.stable);
    EXPECT_EQ(m.indirect.influence, (std::vector<double>{1, 0, 0}));
    EXPECT_EQ(m.indirect.dependence, (std::vector<double>{0, 0, 1}));
    EXPECT_EQ(m.indirect.quadrant[1], MicmacQuadrant::autonomous);
}

CausalGraph fed_cycle(bool with_chord) {
    // x feeds a 3-cycle a -> b -> c -> a; the chord a -> c adds a 2-cycle and makes it aperiodic.
    CausalGraph g;
    for (const char *v : {"x", "a", "b", "c"}) g.add_variable({v, v, ""});
    g.add_link("xa", "x", "a", Polarity::positive, false, 1.0);
    g.add_link("ab", "a", "b", Polarity::positive, false, 3.0);
    g.add_link("bc", "b", "c", Polarity::positive, false, 1.0);
    g.add_link("ca", "c", "a", Polarity::positive, false, 2.0);
    if (with_chord) g.add_link("ac", "a", "c", Polarity::positive, false, 1.0);
    return g;
}

TEST(Micmac, IndirectRankingsStabiliseOnAnAperiodicMap) {
    const MicmacResult m = micmac(fed_cycle(true), 30);
    // Rankings of M^7 and M^8 are the first consecutive pair that agree (checked by hand).
    EXPECT_TRUE(m.stable);
    EXPECT_EQ(m.power, 8);
    EXPECT_EQ(m.indirect.influence_rank, (std::vector<std::size_t>{3, 1, 4, 2}));
    EXPECT_EQ(m.indirect.dependence_rank, (std::vector<std::size_t>{4, 3, 1, 2}));
    double influence = 0, dependence = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        influence += m.indirect.influence[i];
        dependence += m.indirect.dependence[i];
    }
    EXPECT_NEAR(influence, 1.0, 1e-12);
    EXPECT_NEAR(dependence, 1.0, 1e-12);
    EXPECT_NEAR(m.indirect.influence[1], 0.3403, 5e-5);
    EXPECT_DOUBLE_EQ(m.indirect.influence_threshold, 0.25);
    EXPECT_EQ(m.indirect.quadrant[0], MicmacQuadrant::autonomous);
    EXPECT_EQ(m.indirect.quadrant[1], MicmacQuadrant::relay);
}

TEST(Micmac, APeriodicMapNeverStabilisesAndSaysSo) {
    // A pure 3-cycle makes the powers rotate: the rankings repeat every three powers.
    const MicmacResult m = micmac(fed_cycle(false), 12);
    EXPECT_FALSE(m.stable);
    EXPECT_EQ(m.power, 12);
}

TEST(Micmac, QuadrantNamesAreStable) {
    EXPECT_EQ(micmac_quadrant_name(MicmacQuadrant::influential), "influential");
    EXPECT_EQ(micmac_quadrant_name(MicmacQuadrant::relay), "relay");
    EXPECT_EQ(micmac_quadrant_name(MicmacQuadrant::dependent), "dependent");
    EXPECT_EQ(micmac_quadrant_name(MicmacQuadrant::autonomous), "autonomous");
}

} // namespace
} // namespace holon_cld
