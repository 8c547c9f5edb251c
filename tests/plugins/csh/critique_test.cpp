// csh.critique on hand-worked cases: gap typing, Jaccard divergence, coverage, and for every check
// a fixture (a mutation of the clean example) that triggers exactly that finding.
#include "test_models.hpp"

#include "critique/critique.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>

namespace {

using nlohmann::json;
using namespace holon_csh;
using csh_test::clean;
using csh_test::codes;
using csh_test::record;
using csh_test::record_of;

RefSet actors(std::initializer_list<const char *> ids) {
    RefSet out;
    for (const char *id : ids) out.insert({"actor", id});
    return out;
}

// A model with the given actors and variables and nothing else.
json bare(std::initializer_list<const char *> actor_ids) {
    json doc = {{"format", "holon-model/1"}, {"id", "m"}, {"name", "M"}, {"actors", json::array()}, {"boundary", json::array()}};
    for (const char *id : actor_ids) doc["actors"].push_back({{"id", id}, {"name", std::string("Name of ") + id}});
    return doc;
}

TEST(CshGap, TypedFromTheBoundSets) {
    // brief C.5 case 1: is {Drivers}, ought {Drivers, Residents}
    EXPECT_EQ(gap_type(actors({"drivers"}), actors({"drivers", "residents"})), GapType::ought_broader);
    EXPECT_EQ(gap_type(actors({"drivers", "residents"}), actors({"drivers"})), GapType::ought_narrower);
    EXPECT_EQ(gap_type(actors({"a", "b"}), actors({"b", "c"})), GapType::conflicting);
    EXPECT_EQ(gap_type(actors({"a"}), actors({"c"})), GapType::conflicting);
    EXPECT_EQ(gap_type(actors({"a", "b"}), actors({"b", "a"})), GapType::same);
    EXPECT_EQ(gap_type(actors({}), actors({"a"})), GapType::unbound);
    EXPECT_EQ(gap_type(actors({"a"}), actors({})), GapType::unbound);
    // the same id as an actor and as a variable are different entities
    EXPECT_EQ(gap_type(actors({"x"}), RefSet{{"variable", "x"}}), GapType::conflicting);
}

TEST(CshGap, ReportedPerPerspectiveAndCategoryWithTheEntitiesThatDiffer) {
    json doc = bare({"drivers", "residents", "p1"});
    doc["boundary"].push_back(record("q1-is", "p1", 1, "is", {{"actors", {"drivers"}}}));
    doc["boundary"].push_back(record("q1-ought", "p1", 1, "ought", {{"actors", {"drivers", "residents"}}}));
    const json r = critique(read_model(doc));
    ASSERT_EQ(r["gaps"].size(), 1u);
    const json &g = r["gaps"][0];
    EXPECT_EQ(g["gap"], "ought_broader");
    EXPECT_EQ(g["perspective"], "p1");
    EXPECT_EQ(g["category"], 1);
    ASSERT_EQ(g["only_ought"].size(), 1u);
    EXPECT_EQ(g["only_ought"][0]["id"], "residents");
    EXPECT_EQ(g["only_ought"][0]["name"], "Name of residents");
    EXPECT_TRUE(g["only_is"].empty());
    // and as a finding (CSH-GAP-001) naming what the ought adds
    const json f = r["findings"];
    std::size_t gap_findings = 0;
    for (const json &x : f)
        if (x["code"] == "CSH-GAP-001") {
            ++gap_findings;
            EXPECT_EQ(x["gap"], "ought_broader");
            EXPECT_NE(x["message"].get<std::string>().find("adds Name of residents"), std::string::npos) << x["message"];
        }
    EXPECT_EQ(gap_findings, 1u);
}

TEST(CshDivergence, JaccardDistanceOfBoundSets) {
    // brief C.5 case 4: {A,B} vs {B,C} = 1 - 1/3 = 2/3
    EXPECT_DOUBLE_EQ(*jaccard_distance(actors({"a", "b"}), actors({"b", "c"})), 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(*jaccard_distance(actors({"a", "b"}), actors({"a", "b"})), 0.0);
    EXPECT_DOUBLE_EQ(*jaccard_distance(actors({"a"}), actors({"b"})), 1.0);
    EXPECT_DOUBLE_EQ(*jaccard_distance(actors({"a", "b", "c", "d"}), actors({"a"})), 0.75);
    EXPECT_FALSE(jaccard_distance(actors({}), actors({"a"})).has_value());
}

TEST(CshDivergence, MatrixPerCategoryAndMode) {
    json doc = bare({"a", "b", "c", "p1", "p2", "p3"});
    doc["boundary"].push_back(record("p1-1o", "p1", 1, "ought", {{"actors", {"a", "b"}}}));
    doc["boundary"].push_back(record("p2-1o", "p2", 1, "ought", {{"actors", {"b", "c"}}}));
    doc["boundary"].push_back(record("p3-1o", "p3", 1, "ought", {{"actors", {"c"}}}));
    doc["boundary"].push_back(record("p3-1i", "p3", 1, "is", {{"actors", {"c"}}}));
    const json r = critique(read_model(doc));
    const json &div = r["divergence"];
    EXPECT_EQ(div["perspectives"], json({"p1", "p2", "p3"}));
    ASSERT_EQ(div["cells"].size(), 24u);
    const json &cell = div["cells"][1]; // category 1, ought
    EXPECT_EQ(cell["category"], 1);
    EXPECT_EQ(cell["mode"], "ought");
    const json &d = cell["distance"];
    EXPECT_DOUBLE_EQ(d[0][1].get<double>(), 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(d[1][0].get<double>(), 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(d[0][2].get<double>(), 1.0);
    EXPECT_DOUBLE_EQ(d[1][2].get<double>(), 0.5);
    EXPECT_DOUBLE_EQ(d[0][0].get<double>(), 0.0);
    // category 1 "is": only p3 binds anything, so no pair is comparable
    EXPECT_TRUE(div["cells"][0]["distance"][0][1].is_null());
    EXPECT_DOUBLE_EQ(div["cells"][0]["distance"][2][2].get<double>(), 0.0);
    // the heat map's mean row: p1 is 2/3 from p2 and 1 from p3
    EXPECT_DOUBLE_EQ(div["mean"][0][1].get<double>(), (2.0 / 3.0 + 1.0) / 2);
    EXPECT_TRUE(div["mean"][0][0].is_null());
    // CSH-DIV-001 names the most divergent pair of category 1 (ought): p1 and p3 at 1.0
    bool found = false;
    for (const json &f : r["findings"])
        if (f["code"] == "CSH-DIV-001") {
            found = true;
            EXPECT_EQ(f["category"], 1);
            EXPECT_EQ(f["mode"], "ought");
            EXPECT_EQ(f["perspectives"], json({"p1", "p3"}));
            EXPECT_DOUBLE_EQ(f["distance"].get<double>(), 1.0);
        }
    EXPECT_TRUE(found);
}

TEST(CshCoverage, ListsExactlyTheMissingCells) {
    // brief C.5 case 5: a perspective with 20 of the 24 cells
    json doc = clean();
    json kept = json::array();
    for (const json &r : doc["boundary"])
        if (r["id"] != "b-11-is" && r["id"] != "b-11-ought" && r["id"] != "b-12-ought" && r["id"] != "b-4-is") kept.push_back(r);
    doc["boundary"] = kept;
    const json r = critique(read_model(doc));
    EXPECT_EQ(r["perspectives"][0]["answered"], 20);
    EXPECT_EQ(r["perspectives"][0]["missing"],
              json::parse(R"([{"category":4,"mode":"is"},{"category":11,"mode":"is"},{"category":11,"mode":"ought"},{"category":12,"mode":"ought"}])"));
    ASSERT_EQ(codes(doc), std::vector<std::string>{"CSH-COV-001"});
    const json f = r["findings"][0];
    EXPECT_EQ(f["cells"], r["perspectives"][0]["missing"]);
    EXPECT_EQ(f["perspective"], "a-council");
    EXPECT_EQ(f["message"], "Council transport team answers 20 of the 24 questions; missing: 4 Decision-maker (is), "
                            "11 Emancipation (is and ought) and 12 Worldview (ought). Ask the missing questions at the "
                            "next workshop (csh.questionnaire prints the sheet).");
}

TEST(CshFixtures, CleanExampleHasNoFinding) { EXPECT_TRUE(codes(clean()).empty()) << csh_test::findings(clean()).dump(1); }

TEST(CshFixtures, GapOughtBroader) {
    json doc = clean();
    record_of(doc, "b-1-ought")["refs"]["actors"] = {"a-residents", "a-council"};
    EXPECT_EQ(codes(doc), std::vector<std::string>{"CSH-GAP-001"});
}

TEST(CshFixtures, DeclaredGapDisagreesWithTheBoundSets) {
    json doc = clean();
    record_of(doc, "b-2-ought")["gap"] = "broader";
    EXPECT_EQ(codes(doc), std::vector<std::string>{"CSH-GAP-002"});
    record_of(doc, "b-2-ought")["gap"] = "same";
    EXPECT_TRUE(codes(doc).empty());
}

TEST(CshFixtures, DivergentPerspectives) {
    json doc = clean();
    // the residents give the same answers as the council except the purpose: through traffic
    // instead of air quality (a different variable in both modes)
    json residents = json::array();
    for (json r : doc["boundary"]) {
        r["id"] = "res-" + r["id"].get<std::string>();
        r["perspective"] = {{"actor", "a-residents"}};
        if (r["category"] == 2) r["refs"] = {{"variables", {"v-traffic"}}};
        residents.push_back(r);
    }
    for (const json &r : residents) doc["boundary"].push_back(r);
    EXPECT_EQ(codes(doc), (std::vector<std::string>{"CSH-DIV-001", "CSH-DIV-001"}));
    const json f = csh_test::findings(doc);
    EXPECT_EQ(f[0]["category"], 2);
    EXPECT_EQ(f[0]["mode"], "is");
    EXPECT_EQ(f[1]["mode"], "ought");
    EXPECT_EQ(f[0]["message"], "Council transport team and Residents of Elm Street diverge most on category 2 Purpose (is): "
                               "Jaccard distance 1.00 between what they bind.");
}

// The method page's example: an actor reached by an outcome with no role is flagged; a witness
// in category 10 clears the flag.
TEST(CshFixtures, AffectedButNotInvolvedThenWitnessed) {
    json doc = clean();
    doc["actors"].push_back({{"id", "a-children"}, {"name", "Children at Elm Street school"}, {"affected_by", {"v-air"}}});
    const json f = csh_test::findings(doc);
    ASSERT_EQ(codes(doc), std::vector<std::string>{"CSH-AFF-001"});
    EXPECT_EQ(f[0]["category"], 10);
    EXPECT_EQ(f[0]["perspective"], "a-council");
    EXPECT_EQ(f[0]["entities"], json::parse(R"([{"type":"actor","id":"a-children","name":"Children at Elm Street school"},
                                               {"type":"variable","id":"v-air","name":"Air quality"}])"));
    EXPECT_EQ(f[0]["message"], "Children at Elm Street school (a-children) is affected by Air quality but, from the perspective "
                               "of Council transport team, holds no role as beneficiary, decision-maker or expert "
                               "(categories 1, 4, 7) and has no witness (category 10). To involve them, bind them in this "
                               "perspective's witness answer (category 10, is) or in a role (1, 4 or 7).");
    // the school's parents' association speaks for them (category 10, both modes: no gap)
    for (const char *id : {"b-10-is", "b-10-ought"}) record_of(doc, id)["refs"]["actors"].push_back("a-children");
    EXPECT_TRUE(codes(doc).empty());
}

// The method page's worked example (docs/methods/csh.md): from the council's perspective the
// boundary-road residents are affected but not involved; a witness in the council's category-10
// "is" answer clears exactly that finding.
TEST(CshMethodPage, BoundaryRoadResidentsFlaggedThenWitnessed) {
    std::ifstream in(std::string(CSH_EXAMPLES) + "/elm-street-ltn.model.json");
    json doc = json::parse(in);
    auto council_flags = [](const json &d) {
        std::vector<std::string> actors;
        for (const json &f : csh_test::findings(d))
            if (f["code"] == "CSH-AFF-001" && f["perspective"] == "a-council") actors.push_back(f["entities"][0]["id"]);
        return actors;
    };
    EXPECT_EQ(council_flags(doc), (std::vector<std::string>{"a-boundary", "a-shops", "a-ambulance", "a-disabled"}));
    const json before = holon_csh::critique(read_model(doc))["summary"]["findings"];
    EXPECT_EQ(before, json::parse(R"({"CSH-AFF-001": 13, "CSH-COV-001": 3, "CSH-DIV-001": 14, "CSH-ENV-001": 1,
        "CSH-EXP-001": 2, "CSH-EXP-002": 3, "CSH-GAP-001": 16, "CSH-GUA-001": 2, "CSH-MEAS-001": 1, "CSH-RES-001": 2})"));
    record_of(doc, "b-council-10-is")["refs"] = {{"actors", {"a-boundary"}}};
    EXPECT_EQ(council_flags(doc), (std::vector<std::string>{"a-shops", "a-ambulance", "a-disabled"}));
}

TEST(CshFixtures, AffectedThroughTheCausalMap) {
    // Only what the outcomes reach along the links counts: an actor affected by Through traffic
    // (upstream of the outcome Air quality) is not flagged; one affected by a variable the
    // outcome drives (asthma admissions) is.
    json doc = clean();
    doc["variables"].push_back({{"id", "v-asthma"}, {"name", "Asthma admissions"}, {"kind", "aux"}});
    doc["links"].push_back({{"id", "l-air-asthma"}, {"from", "v-air"}, {"to", "v-asthma"}, {"polarity", "-"},
                            {"provenance", {{"asserted_by", "a-engineer"}}}});
    doc["actors"].push_back({{"id", "a-drivers"}, {"name", "Drivers"}, {"affected_by", {"v-traffic"}}});
    EXPECT_TRUE(codes(doc).empty());
    doc["actors"].push_back({{"id", "a-gp"}, {"name", "GP practice"}, {"affected_by", {"v-asthma"}}});
    EXPECT_EQ(codes(doc), std::vector<std::string>{"CSH-AFF-001"});
    const std::set<std::string> reach = outcome_reach(read_model(doc));
    EXPECT_EQ(reach, (std::set<std::string>{"v-air", "v-asthma"}));
}

TEST(CshFixtures, DecisionEnvironmentItemIsALever) {
    // brief C.5 case 3: Q6 {Fuel price}, and the model treats fuel price as a lever
    json doc = clean();
    doc["variables"][3]["kind"] = "lever";
    EXPECT_EQ(codes(doc), (std::vector<std::string>{"CSH-ENV-001", "CSH-ENV-001"}));
    const json f = csh_test::findings(doc);
    EXPECT_EQ(f[0]["mode"], "is");
    EXPECT_EQ(f[0]["entities"][0]["id"], "v-fuel");
    EXPECT_EQ(f[0]["message"], "Council transport team places Fuel price (v-fuel) in the decision environment (category 6, is), "
                               "outside the decision-maker's control, but the model treats it as a lever. Settle which: a resource "
                               "the decision-maker controls (category 5), or not a lever in the model.");
}

TEST(CshFixtures, ResourceWithNoLever) {
    json doc = clean();
    for (const char *id : {"b-5-is", "b-5-ought"}) record_of(doc, id)["refs"]["variables"] = {"v-filter", "v-fuel"};
    EXPECT_EQ(codes(doc), (std::vector<std::string>{"CSH-RES-001", "CSH-RES-001"}));
    EXPECT_EQ(csh_test::findings(doc)[0]["entities"][0]["id"], "v-fuel");
    // Through traffic is driven by a lever (the filters): a resource with a lever
    for (const char *id : {"b-5-is", "b-5-ought"}) record_of(doc, id)["refs"]["variables"] = {"v-filter", "v-traffic"};
    EXPECT_TRUE(codes(doc).empty());
}

TEST(CshFixtures, OughtMeasureNothingComputes) {
    json doc = clean();
    doc["variables"].push_back({{"id", "v-noise"}, {"name", "Street noise"}, {"kind", "aux"}});
    for (const char *id : {"b-3-is", "b-3-ought"}) record_of(doc, id)["refs"]["variables"].push_back("v-noise");
    EXPECT_EQ(codes(doc), std::vector<std::string>{"CSH-MEAS-001"});
    EXPECT_EQ(csh_test::findings(doc)[0]["entities"][0]["id"], "v-noise");
    // an indicator over it computes it
    doc["indicators"].push_back({{"id", "ind-noise"}, {"name", "Noise level (dB)"}, {"variables", {"v-noise"}}});
    EXPECT_TRUE(codes(doc).empty());
    // an ought measure bound to nothing at all
    json unbound = clean();
    record_of(unbound, "b-3-ought").erase("refs");
    EXPECT_EQ(codes(unbound), std::vector<std::string>{"CSH-MEAS-001"});
    EXPECT_TRUE(csh_test::findings(unbound)[0]["entities"].empty());
}

TEST(CshFixtures, ExpertiseTheModelDoesNotRestOn) {
    json doc = clean();
    for (const char *id : {"b-8-is", "b-8-ought"}) record_of(doc, id)["refs"]["actors"].push_back("a-residents");
    EXPECT_EQ(codes(doc), (std::vector<std::string>{"CSH-EXP-001", "CSH-EXP-001"}));
    EXPECT_EQ(csh_test::findings(doc)[1]["entities"][0]["id"], "a-residents");
    // once a link rests on the residents' knowledge, the finding clears
    doc["links"][1]["provenance"]["asserted_by"] = "Residents of Elm Street";
    EXPECT_TRUE(codes(doc).empty());
}

TEST(CshFixtures, JudgementsBySomeoneNobodyCountsAsExpert) {
    json doc = clean();
    doc["variables"][2]["provenance"] = {{"asserted_by", "Acme Consulting"}};
    ASSERT_EQ(codes(doc), std::vector<std::string>{"CSH-EXP-002"});
    const json f = csh_test::findings(doc)[0];
    EXPECT_EQ(f["asserted_by"], "Acme Consulting");
    EXPECT_EQ(f["judgements"], 1);
    EXPECT_TRUE(f["perspective"].is_null());
    // scenario matrix cells count as judgements too
    json cells = clean();
    cells["scenario_sets"] = json::parse(R"([{"id": "s", "name": "S", "descriptors": [], "provenance": {"asserted_by": "Acme Consulting"}}])");
    EXPECT_EQ(holon_csh::read_model(cells).judgements.back().what, "/scenario_sets/0");
}

TEST(CshFixtures, GuarantorLinkNobodyAsserted) {
    json doc = clean();
    doc["links"][0].erase("provenance");
    EXPECT_EQ(codes(doc), (std::vector<std::string>{"CSH-GUA-001", "CSH-GUA-001"}));
    json weak = clean();
    weak["links"][0]["provenance"]["confidence"] = 0.3;
    EXPECT_EQ(codes(weak), (std::vector<std::string>{"CSH-GUA-001", "CSH-GUA-001"}));
    EXPECT_NE(csh_test::findings(weak)[0]["message"].get<std::string>().find("confidence of only 0.30"), std::string::npos);
}

TEST(CshFixtures, GuarantorWhoAssertedNothing) {
    json doc = clean();
    for (const char *id : {"b-9-is", "b-9-ought"}) record_of(doc, id)["refs"]["actors"] = {"a-council"};
    EXPECT_EQ(codes(doc), std::vector<std::string>{"CSH-GUA-002"});
}

TEST(CshModel, PerspectivesByActorNameOrUnattributed) {
    json doc = bare({"p1"});
    doc["boundary"].push_back(record("r1", "p1", 1, "is", json::object()));
    doc["boundary"].push_back({{"id", "r2"}, {"category", 2}, {"mode", "is"}, {"perspective", {{"name", "Cyclists' forum"}}}, {"answer", "x"}});
    doc["boundary"].push_back({{"id", "r3"}, {"category", 3}, {"mode", "ought"}, {"answer", "y"}});
    doc["boundary"].push_back({{"id", "w"}, {"framework", "ssm-worldview"}, {"answer", "not CSH"}});
    const Model m = read_model(doc);
    ASSERT_EQ(m.perspectives.size(), 3u);
    EXPECT_EQ(m.perspectives[0].key, "p1");
    EXPECT_EQ(m.perspectives[0].name, "Name of p1");
    EXPECT_EQ(m.perspectives[1].key, "name:Cyclists' forum");
    EXPECT_EQ(m.perspectives[2].key, "unattributed");
    EXPECT_EQ(m.records.size(), 3u);
}

TEST(CshModel, UnusableRecordsNameTheirPath) {
    // The host refuses these on upload; a document that reaches the plugin another way still gets
    // the JSON Pointer.
    json doc = bare({"p1"});
    doc["boundary"].push_back(record("r1", "p1", 13, "is", json::object()));
    try {
        (void)read_model(doc);
        FAIL();
    } catch (const std::invalid_argument &e) {
        EXPECT_STREQ(e.what(), "/boundary/0/category: a CSH record needs a category from 1 to 12");
    }
    doc["boundary"][0] = record("r1", "p1", 1, "maybe", json::object());
    EXPECT_THROW((void)read_model(doc), std::invalid_argument);
    doc["boundary"][0] = record("r1", "p1", 1, "is", {{"variables", {"v-none"}}});
    try {
        (void)read_model(doc);
        FAIL();
    } catch (const std::invalid_argument &e) {
        EXPECT_STREQ(e.what(), "/boundary/0/refs/variables/0: unknown variable 'v-none'");
    }
}

} // namespace
