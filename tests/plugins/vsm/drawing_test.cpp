// The nested view stays drawable on large organisations: units beyond the budget are counted,
// breadth-first, and an unfolded unit whose operations are not drawn says how many it has.
#include "drawing/beer_diagram.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace {

using namespace holon_vsm;

TEST(NestedView, BreadthFirstBudget) {
    std::ifstream in(std::string(VSM_EXAMPLES) + "/riverside-integrated-care.model.json");
    const Organisation org = read_organisation(nlohmann::json::parse(in));
    const std::string all = nested_svg(org, {});
    EXPECT_EQ(all.find("not drawn"), std::string::npos);
    EXPECT_NE(all.find("Reablement at home"), std::string::npos);
    // Root and its four operations only: the nine units below are counted, not drawn.
    const std::string top = nested_svg(org, {}, 5);
    EXPECT_NE(top.find("9 more units not drawn"), std::string::npos);
    EXPECT_NE(top.find("+3 operations"), std::string::npos); // the hospital
    EXPECT_EQ(top.find("Reablement at home"), std::string::npos);
}

TEST(LevelView, AbsentSystemsAndMissingChannelsAreShown) {
    std::ifstream in(std::string(VSM_EXAMPLES) + "/riverside-integrated-care.model.json");
    const Organisation org = read_organisation(nlohmann::json::parse(in));
    const std::string hospital = level_svg(org, org.unit_index.at("u-hospital"));
    EXPECT_NE(hospital.find(">absent<"), std::string::npos);
    EXPECT_NE(hospital.find("stroke=\"#f97316\""), std::string::npos); // dotted orange: expected but missing
    const std::string community = level_svg(org, org.unit_index.at("u-community"));
    // Names wrap onto lines that fit their box, circle or bar instead of being cut or spilling over.
    EXPECT_NE(community.find(">Director of community</text>"), std::string::npos); // S3, then "services"
    EXPECT_NE(community.find(">Community hub coordinators</text>"), std::string::npos); // S2 bar, second line
    EXPECT_EQ(community.find("…"), std::string::npos);
    const std::string trust = level_svg(org, org.unit_index.at("u-trust"));
    EXPECT_NE(trust.find(">Mental</text>"), std::string::npos); // "Mental health services" on three lines
    EXPECT_EQ(trust.find("…"), std::string::npos);
}

} // namespace

namespace {

// A name cut to fit ends in "…" on a character boundary: the SVG stays valid UTF-8 (a cut inside
// "é" would make the rasteriser refuse the picture). nlohmann's dump throws on invalid UTF-8.
TEST(Labels, CutNamesStayValidUtf8) {
    const std::string long_word(42, 'x');
    std::string accented;
    for (int i = 0; i < 21; ++i) accented += "é";
    const nlohmann::json model = {{"organisation",
                                   {{"units",
                                     {{{"id", "r"}, {"name", "Área de salud"}},
                                      {{"id", "a"}, {"name", "A " + accented + " B"}, {"parent", "r"}, {"leaf", true}},
                                      {{"id", "b"}, {"name", "Equipo " + long_word}, {"parent", "r"}, {"leaf", true}}}}}}};
    const Organisation org = read_organisation(model);
    for (const std::string &svg : {nested_svg(org, {}), level_svg(org, org.root)}) {
        EXPECT_NO_THROW((void)nlohmann::json(svg).dump());
        EXPECT_NE(svg.find("…"), std::string::npos); // something was cut
    }
}

} // namespace
