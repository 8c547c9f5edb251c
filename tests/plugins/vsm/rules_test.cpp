// vsm.diagnose rules on their fixtures: the clean organisation triggers nothing, and each
// fixtures/<code>.model.json triggers exactly its rule on exactly the expected units
// (fixtures/make_fixtures.py writes them; expected.json holds codes, units and params).
#include "diagnose/result_json.hpp"
#include "diagnose/rules.hpp"
#include "org/organisation.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <sstream>

namespace {

using nlohmann::json;
using namespace holon_vsm;

json load(const std::string &name) {
    std::ifstream in(std::string(VSM_FIXTURES) + "/" + name);
    EXPECT_TRUE(in) << name;
    return json::parse(in);
}

DiagnoseOptions options_from(const json &params) {
    DiagnoseOptions o;
    o.i1_min_operations = params.value("i1_min_operations", o.i1_min_operations);
    o.i3_max_operations = params.value("i3_max_operations", o.i3_max_operations);
    o.iii2_max_sources = params.value("iii2_max_sources", o.iii2_max_sources);
    return o;
}

// [[code, [unit ids]], ...] in report order.
json codes_and_units(const Organisation &org, const Diagnosis &d) {
    json out = json::array();
    for (const Finding &f : d.findings) {
        json units = json::array();
        for (int u : f.units) units.push_back(org.units[static_cast<std::size_t>(u)].id);
        out.push_back({f.code, units});
    }
    return out;
}

class RuleFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(RuleFixture, TriggersExactlyItsRule) {
    const json expected = load("expected.json").at(GetParam());
    const std::string file = GetParam() + ".model.json";
    const Organisation org = read_organisation(load(file));
    const Diagnosis d = diagnose(org, options_from(expected["params"]));
    EXPECT_EQ(codes_and_units(org, d), expected["findings"]) << file;
}

std::vector<std::string> fixture_names() {
    std::vector<std::string> names;
    const json expected = load("expected.json");
    for (auto it = expected.begin(); it != expected.end(); ++it) names.push_back(it.key());
    return names;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, RuleFixture, ::testing::ValuesIn(fixture_names()), [](const auto &info) {
    std::string name = info.param;
    for (char &c : name)
        if (c == '-') c = '_';
    return name;
});

TEST(RuleFixtures, EveryRuleHasAFixture) {
    const json expected = load("expected.json");
    for (const RuleInfo &r : rules()) EXPECT_TRUE(expected.contains(r.code)) << r.code;
}

TEST(Diagnose, CleanModelAssessesEverythingItCanAndSaysWhatIsMissing) {
    const Organisation org = read_organisation(load("clean.model.json"));
    const Diagnosis d = diagnose(org, {});
    ASSERT_EQ(d.not_assessable.size(), 1u);
    EXPECT_EQ(d.not_assessable[0].code, "III5"); // no channel has a capacity and a demand
    EXPECT_EQ(d.not_assessable[0].channels, org.channels.size());
    EXPECT_EQ(d.assessed.size(), rules().size() - 1);
}

TEST(Diagnose, NotAssessableNamesTheUnitsAndTheMissingData) {
    const Organisation org = read_organisation(load("II1.model.json"));
    const Diagnosis d = diagnose(org, {});
    const auto ii2 = std::find_if(d.not_assessable.begin(), d.not_assessable.end(), [](const auto &n) { return n.code == "II2"; });
    ASSERT_NE(ii2, d.not_assessable.end());
    ASSERT_EQ(ii2->units.size(), 1u);
    EXPECT_EQ(org.units[static_cast<std::size_t>(ii2->units[0])].id, "a");
    EXPECT_NE(ii2->missing.find("identity_claims"), std::string::npos);
    EXPECT_EQ(std::count(d.assessed.begin(), d.assessed.end(), "II2"), 0);
    // In the result, the units where data is missing are named as well as listed by id.
    const json result = diagnosis_json(org, d, {});
    const auto entry = std::find_if(result["not_assessable"].begin(), result["not_assessable"].end(),
                                    [](const json &n) { return n["code"] == "II2"; });
    ASSERT_NE(entry, result["not_assessable"].end());
    EXPECT_EQ((*entry)["units"], json::parse(R"(["a"])"));
    EXPECT_EQ((*entry)["unit_names"], json::parse(R"(["Acute care"])"));
}

TEST(Diagnose, DisabledRulesAreNeitherAssessedNorReported) {
    const Organisation org = read_organisation(load("II5.model.json"));
    DiagnoseOptions o;
    o.disabled = {"II5", "III5"};
    const Diagnosis d = diagnose(org, o);
    EXPECT_TRUE(d.findings.empty());
    EXPECT_TRUE(d.not_assessable.empty());
    EXPECT_EQ(d.assessed.size(), rules().size() - 2);
    const json result = diagnosis_json(org, d, o);
    EXPECT_EQ(result["params_used"]["disabled"], json::parse(R"(["II5", "III5"])"));
}

TEST(Diagnose, FindingsCarryIdsAndNames) {
    const Organisation org = read_organisation(load("II11.model.json"));
    const Diagnosis d = diagnose(org, {});
    const json result = diagnosis_json(org, d, {});
    ASSERT_EQ(result["findings"].size(), 1u);
    const json &f = result["findings"][0];
    EXPECT_EQ(f["name"], "Lack or insufficient development of System 3*");
    EXPECT_EQ(f["severity"], "warning");
    EXPECT_EQ(f["level"], 1);
    EXPECT_EQ(f["unit_names"], json::parse(R"(["Acute care", "Ward 2"])"));
    EXPECT_EQ(f["message"], "Ward 2 (a2) is never audited: no audit channel from System 3* of Acute care (a). Add one");
}

// A metasystem missing one system altogether gets one finding for the unit, not one per operation.
TEST(Diagnose, MissingSystemsAreReportedOncePerUnit) {
    const json clean = load("clean.model.json");
    DiagnoseOptions o;
    o.disabled = {"J-ACTOR"}; // the removed role's actor is left without a role
    const auto without = [&](const char *system) {
        json m = clean;
        json &roles = m["organisation"]["units"][1]["roles"]; // Acute care
        for (std::size_t i = 0; i < roles.size(); ++i)
            if (roles[i]["system"] == system) roles.erase(i);
        const Organisation org = read_organisation(m);
        const Diagnosis d = diagnose(org, o);
        std::vector<std::string> out;
        for (const Finding &f : d.findings) out.push_back(f.code + "@" + org.units[static_cast<std::size_t>(f.units[0])].id + ": " + f.message);
        return out;
    };
    EXPECT_EQ(without("S3*"), (std::vector<std::string>{"II11@a: Acute care (a) has no System 3* to audit its 2 operations. Name who audits them and "
                                                                   "give each an audit channel"}));
    EXPECT_EQ(without("S3"), (std::vector<std::string>{"II9@a: Acute care (a) has no System 3 to manage its 2 operations. Name who holds System 3 "
                                                                  "and give each operation command and resource-bargain channels"}));
    EXPECT_EQ(without("S2"), (std::vector<std::string>{"II12@a: Acute care (a) has no System 2 to coordinate its 2 operations. Name who "
                                                                   "coordinates them and give each a coordination channel"}));
    EXPECT_EQ(without("S5"), (std::vector<std::string>{"II1@a: Acute care (a) has no System 5: no one holds its identity and policy. Name "
                                                                  "who holds System 5"}));
}

// T-VSM-5 of the brief: root -> division -> team; the team's algedonic channel stops at the
// division until the division passes it on to the root.
TEST(Diagnose, AlgedonicPathsCrossRecursionLevels) {
    json m = json::parse(R"({"organisation": {"units": [
        {"id": "root", "name": "Root"}, {"id": "div", "name": "Division", "parent": "root"},
        {"id": "team", "name": "Team", "parent": "div", "leaf": true}],
      "channels": [{"id": "c1", "type": "algedonic", "from": "team", "to": "div", "to_system": "S5"}]}})");
    DiagnoseOptions only;
    for (const RuleInfo &r : rules())
        if (std::string(r.code) != "III4") only.disabled.insert(r.code);
    Organisation org = read_organisation(m);
    Diagnosis d = diagnose(org, only);
    ASSERT_EQ(d.findings.size(), 1u);
    EXPECT_EQ(org.units[static_cast<std::size_t>(d.findings[0].units[0])].id, "team");
    m["organisation"]["channels"].push_back({{"id", "c2"}, {"type", "algedonic"}, {"from", "div"}, {"to", "root"}});
    org = read_organisation(m);
    EXPECT_TRUE(diagnose(org, only).findings.empty());
}

TEST(Organisation, RefusesWhatTheValidatorRefusesWithAPointer) {
    const auto pointer_of = [](const char *text) {
        try {
            read_organisation(json::parse(text));
        } catch (const ModelError &e) {
            return e.pointer + ": " + e.what();
        }
        return std::string("accepted");
    };
    EXPECT_EQ(pointer_of(R"({"organisation": {"units": [{"id": "r", "name": "R"}],
                              "channels": [{"id": "c", "type": "command", "from": "r", "to": "ghost"}]}})"),
              "/organisation/channels/0/to: unknown unit 'ghost'");
    EXPECT_EQ(pointer_of(R"({"organisation": {"units": [{"id": "r", "name": "R"}],
                              "varieties": [{"id": "v", "unit": "r", "of": "x", "states": -3}]}})"),
              "/organisation/varieties/0/states: states must not be negative");
    EXPECT_EQ(pointer_of(R"({"organisation": {"units": [{"id": "r", "name": "R"}, {"id": "a", "name": "A", "parent": "b"},
                              {"id": "b", "name": "B", "parent": "a"}]}})"),
              "/organisation/units/1/parent: unit 'a' is its own ancestor (a cycle of parents)");
}

} // namespace

namespace {

// The brief's test cases T-VSM-3, -4, -6 and -7 (wave2-methods.md §A.6) on the clean organisation:
// each change triggers exactly the expected findings, and the clean one none.
std::vector<std::string> codes_at(const json &model, const DiagnoseOptions &o = {}) {
    const Organisation org = read_organisation(model);
    std::vector<std::string> out;
    for (const Finding &f : diagnose(org, o).findings) {
        std::string where;
        for (int u : f.units) where += (where.empty() ? "" : ",") + org.units[static_cast<std::size_t>(u)].id;
        out.push_back(f.code + "@" + where);
    }
    return out;
}

void drop_channels(json &m, const std::function<bool(const json &)> &which) {
    json kept = json::array();
    for (const json &c : m["organisation"]["channels"])
        if (!which(c)) kept.push_back(c);
    m["organisation"]["channels"] = kept;
}

TEST(BriefCases, TVsm3HeadlessChickenAtTheRoot) {
    json m = load("clean.model.json");
    EXPECT_TRUE(codes_at(m).empty());
    drop_channels(m, [](const json &c) { return c["type"] == "s4-environment" && c["from"] == "r"; });
    EXPECT_EQ(codes_at(m), (std::vector<std::string>{"II5@r"}));
}

// Two operations sharing a resource with no S2 coordination: II12 names both, and III3 does not
// repeat "coordination missing" for them (Holon's decision on the brief's open question). With
// II12 turned off, III3 reports the missing coordination channel of each.
TEST(BriefCases, TVsm4SharedResourceWithoutCoordinationIsII12NotIII3) {
    json m = load("clean.model.json"); // Acute care (a) and Community care (b) share "transport"
    drop_channels(m, [](const json &c) { return c["type"] == "coordination" && c["from"] == "r"; });
    EXPECT_EQ(codes_at(m), (std::vector<std::string>{"II12@r,a,b"}));
    DiagnoseOptions no_ii12;
    no_ii12.disabled = {"II12"};
    EXPECT_EQ(codes_at(m, no_ii12), (std::vector<std::string>{"III3@r,a", "III3@r,b"}));
}

// One actor holding S5 and S3 with no S4-S5 channel is II3; with the channel it is not II3 but
// Holon's join finding J-S5S3 (the brief expects nothing: the issue asks for the join).
TEST(BriefCases, TVsm6CollapseAndTheS4S5Channel) {
    EXPECT_EQ(codes_at(load("II3.model.json")), (std::vector<std::string>{"II3@r"}));
    json m = load("II3.model.json");
    m["organisation"]["channels"].push_back(
        {{"id", "c-s4-s5"}, {"type", "s4-s5"}, {"from", "r"}, {"to", "r"}, {"from_system", "S4"}, {"to_system", "S5"}});
    EXPECT_EQ(codes_at(m), (std::vector<std::string>{"J-S5S3@r"}));
}

TEST(BriefCases, TVsm7CapacityDeficit) {
    const Organisation org = read_organisation(load("III5.model.json"));
    const Diagnosis d = diagnose(org, {});
    ASSERT_EQ(d.findings.size(), 1u);
    EXPECT_EQ(d.findings[0].code, "III5");
    EXPECT_EQ(d.findings[0].evidence["capacity"], 10);
    EXPECT_EQ(d.findings[0].evidence["demand"], 12);
    EXPECT_EQ(d.findings[0].evidence["deficit"], 2);
    EXPECT_EQ(d.findings[0].message, "the representation channel c23 from Acute care (a) to Trust (r) carries 10 bits per "
                                     "period but must carry 12. Widen it, or attenuate what it must carry");
}

// An operation's System 1 role with nobody in it is an orphan role too; and II8 cannot be decided
// for a unit whose System 3 has no actor, so it is listed as not assessable there.
TEST(Diagnose, OrphanOperationRoleAndUndecidableII8) {
    json m = load("clean.model.json");
    m["organisation"]["units"][2]["roles"][0].erase("actor"); // Community care's S1
    m["actors"].erase(m["actors"].size() - 1);                // the community lead, now without a role
    EXPECT_EQ(codes_at(m), (std::vector<std::string>{"J-ROLE@b"}));
    json n = load("J-ROLE.model.json");
    for (json &r : n["organisation"]["units"][0]["roles"])
        if (r["system"] == "S3") r.erase("actor");
    const Organisation org = read_organisation(n);
    const Diagnosis d = diagnose(org, {});
    const auto ii8 = std::find_if(d.not_assessable.begin(), d.not_assessable.end(), [](const auto &x) { return x.code == "II8"; });
    ASSERT_NE(ii8, d.not_assessable.end());
    EXPECT_EQ(org.units[static_cast<std::size_t>(ii8->units.at(0))].id, "r");
}

} // namespace

namespace {

// III3 leaves out the channels II9 and II11 report; with those rules off it names them itself.
TEST(Diagnose, III3NamesWhatDisabledRulesWouldHaveReported) {
    DiagnoseOptions o;
    o.disabled = {"II9"};
    EXPECT_EQ(codes_at(load("II9.model.json")), (std::vector<std::string>{"II9@r,b"}));
    EXPECT_EQ(codes_at(load("II9.model.json"), o), (std::vector<std::string>{"III3@r,b"}));
    o.disabled = {"II11"};
    const Organisation org = read_organisation(load("II11.model.json"));
    const Diagnosis d = diagnose(org, o);
    ASSERT_EQ(d.findings.size(), 1u);
    EXPECT_EQ(d.findings[0].code, "III3");
    EXPECT_EQ(d.findings[0].evidence["missing"], json::parse(R"(["audit"])"));
}

} // namespace
