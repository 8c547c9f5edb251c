// csh.boundary-sensitivity's pure parts: which judgements draw the boundary differently, the
// variant each implies, and the comparison of outcome measures.
#include "test_models.hpp"

#include "sensitivity/variants.hpp"

#include <gtest/gtest.h>

namespace {

using nlohmann::json;
using namespace holon_csh;

TEST(CshSensitivity, JudgementsThatDrawTheBoundaryDifferently) {
    const json doc = csh_test::load("sensitivity-sd.model.json");
    const Model m = read_model(doc);
    const auto js = boundary_judgements(m);
    ASSERT_EQ(js.size(), 3u);
    EXPECT_EQ(js[0].id, "J1");
    EXPECT_EQ(js[0].type, "exclude");
    EXPECT_EQ(js[0].entity, (Ref{"variable", "base_demand"}));
    EXPECT_EQ(js[0].records, std::vector<std::string>{"c5-ought"});
    EXPECT_EQ(js[1].type, "exclude");
    EXPECT_EQ(js[1].entity, (Ref{"variable", "cycling_trips"}));
    EXPECT_EQ(js[1].perspectives, std::vector<std::string>{"a-residents"});
    EXPECT_EQ(js[1].statements[0], "Residents of Elm Street: cycling_trips is inside the boundary in the ought (category 2 "
                                   "Purpose) but not in the is.");
    EXPECT_EQ(js[2].type, "control");
    EXPECT_EQ(js[2].entity, (Ref{"variable", "base_demand"}));
    EXPECT_EQ(outcome_measures(m), std::vector<std::string>{"no2"});
    EXPECT_TRUE(is_simulation_model(doc));
    EXPECT_FALSE(is_simulation_model(csh_test::clean()));
}

TEST(CshSensitivity, AnActorJudgementIsListedButNotSimulated) {
    json doc = csh_test::clean();
    csh_test::record_of(doc, "b-1-ought")["refs"]["actors"].push_back("a-council");
    const auto js = boundary_judgements(read_model(doc));
    ASSERT_EQ(js.size(), 1u);
    EXPECT_EQ(js[0].entity, (Ref{"actor", "a-council"}));
    EXPECT_FALSE(js[0].simulable);
}

TEST(CshSensitivity, VariantsOfASimulationModel) {
    const json doc = csh_test::load("sensitivity-sd.model.json");
    const Model m = read_model(doc);
    const auto js = boundary_judgements(m);
    Series base;
    base.names = {"time", "through_traffic", "cycling_trips", "base_demand"};
    base.columns = {{0, 1}, {1000, 900}, {100, 110}, {1000, 1000}};
    // excluding a stock: held at its starting value, an auxiliary without flows
    BoundaryJudgement stock = js[0];
    stock.entity = {"variable", "through_traffic"};
    const json held = variant_model(doc, stock, true, &base, 0.1);
    for (const json &v : held["variables"])
        if (v["id"] == "through_traffic") {
            EXPECT_EQ(v["kind"], "aux");
            EXPECT_EQ(v["equation"], "1000");
            EXPECT_FALSE(v["sd"].contains("inflows"));
        }
    for (const json &l : held["links"]) EXPECT_NE(l["to"], "through_traffic") << "links into an excluded variable are cut";
    // control: the exogenous demand scaled by 1.1
    const json moved = variant_model(doc, js[2], true, &base, 0.1);
    for (const json &v : moved["variables"])
        if (v["id"] == "base_demand") {
            EXPECT_EQ(v["equation"], "(1000) * 1.1000000000000001");
        }
    // a causal map: the excluded variable's links in and out are cut
    json map = csh_test::clean();
    BoundaryJudgement traffic = js[0];
    traffic.entity = {"variable", "v-traffic"};
    const json cut = variant_model(map, traffic, false, nullptr, 0.1);
    EXPECT_TRUE(cut["links"].empty());
}

TEST(CshSensitivity, AGraphicalFunctionIsNotScaled) {
    json doc = csh_test::load("sensitivity-sd.model.json");
    for (json &v : doc["variables"])
        if (v["id"] == "base_demand") v["sd"] = {{"gf", {{"points", {{0, 0}, {1, 1}}}}}};
    const auto js = boundary_judgements(read_model(doc));
    ASSERT_EQ(js[2].type, "control");
    EXPECT_THROW((void)variant_model(doc, js[2], true, nullptr, 0.1), std::invalid_argument);
}

TEST(CshSensitivity, MeasureEffects) {
    const Model m = read_model(csh_test::load("sensitivity-sd.model.json"));
    Series base, variant;
    base.names = variant.names = {"time", "NO2"}; // matched to the variable no2 ignoring case
    base.columns = {{0, 1, 2}, {20, 16, 14}};
    variant.columns = {{0, 1, 2}, {20, 17, 15.4}};
    const auto e = compare_measures(m, {"no2"}, base, variant);
    ASSERT_EQ(e.size(), 1u);
    EXPECT_DOUBLE_EQ(e[0].baseline_final, 14);
    EXPECT_DOUBLE_EQ(e[0].variant_final, 15.4);
    EXPECT_DOUBLE_EQ(e[0].max_abs_delta, 1.4000000000000004);
    EXPECT_DOUBLE_EQ(e[0].max_rel_delta, 1.4000000000000004 / 20);
    EXPECT_DOUBLE_EQ(e[0].final_rel_delta, 1.4000000000000004 / 14);
}

} // namespace
