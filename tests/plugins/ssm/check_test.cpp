// ssm.check on the core library: the well-formed fixture passes every check; each case of
// fixtures/cases.json (the fixture + a JSON Patch) triggers exactly its one finding; the documented
// examples give the findings docs/methods/ssm.md shows.
#include "checks/checks.hpp"
#include "ssm_test_util.hpp"

#include <gtest/gtest.h>

#include <set>

namespace {

using holon_ssm::checks::check;
using holon_ssm::checks::Options;
using holon_ssm::checks::Report;
using holon_ssm::model::read_inquiry;
using nlohmann::json;

Report run(const json &doc) { return check(read_inquiry(doc), Options{}); }

std::vector<std::string> codes(const Report &r) {
    std::vector<std::string> out;
    for (const auto &f : r.findings) out.push_back(f.code);
    return out;
}

std::string dump(const Report &r) {
    std::string out;
    for (const auto &f : r.findings) out += f.code + " " + f.message + "\n";
    return out;
}

TEST(SsmCheck, WellFormedFenceInquiryPassesEveryCheck) {
    const Report r = run(ssm_test::fixture("fence.model.json"));
    EXPECT_TRUE(r.findings.empty()) << dump(r);
    ASSERT_EQ(r.assessed.size(), 1u);
    EXPECT_EQ(r.assessed[0].passed.size(), holon_ssm::checks::catalogue().size());
    EXPECT_TRUE(r.assessed[0].not_assessed.empty());
    ASSERT_EQ(r.joins.size(), 1u);
    EXPECT_EQ(r.joins[0].t_path, (std::vector<std::string>{"v-unpainted", "v-painting", "v-painted"}));
    EXPECT_EQ(r.joins[0].worldview_answers, (std::vector<std::string>{"b-q12-householder"}));
}

TEST(SsmCheck, EachCaseTriggersExactlyItsFinding) {
    const json base = ssm_test::fixture("fence.model.json");
    const json cases = ssm_test::fixture("cases.json");
    std::set<std::string> covered;
    for (const json &c : cases) {
        SCOPED_TRACE(c["name"].get<std::string>());
        const Report r = run(base.patch(c["patch"]));
        ASSERT_EQ(codes(r), std::vector<std::string>{c["code"].get<std::string>()}) << dump(r);
        std::vector<std::string> ids;
        for (const auto &e : r.findings[0].entities) ids.push_back(e.id);
        EXPECT_EQ(ids, c["entities"].get<std::vector<std::string>>());
        EXPECT_EQ(r.findings[0].model, "am-fence");
        EXPECT_EQ(r.findings[0].model_name, "Fence painting system");
        EXPECT_EQ(r.assessed[0].failed, std::vector<std::string>{c["code"].get<std::string>()});
        covered.insert(c["code"].get<std::string>());
    }
    for (const auto &info : holon_ssm::checks::catalogue()) EXPECT_TRUE(covered.count(info.code)) << info.code << " has no fixture";
}

TEST(SsmCheck, MessagesNameThingsByName) {
    const json base = ssm_test::fixture("fence.model.json");
    const json patch = json::parse(R"([{"op": "replace", "path": "/activity_models/0/catwoe/owners", "value": [{"actor": "a-neighbour"}]}])");
    const Report r = run(base.patch(patch));
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].message,
              "Neighbour (a-neighbour) is the owner of Fence painting system (am-fence) but their power is rated 0.20 (below 0.50): "
              "an owner must be able to stop the system");
    EXPECT_EQ(r.findings[0].entities[0].name, "Neighbour");
}

TEST(SsmCheck, TransformationDetailsWithoutEntitiesCompareOnlyWhatTheyState) {
    const json base = ssm_test::fixture("fence.model.json");
    const std::string t = "/activity_models/0/catwoe/transformation";
    // States only, and they differ: nothing to find, and P is matched against T as written.
    const json states = json::parse(R"([{"op": "remove", "path": ")" + t + R"(/input_detail/entity"},
                                        {"op": "remove", "path": ")" + t + R"(/output_detail/entity"}])");
    EXPECT_TRUE(run(base.patch(states)).findings.empty()) << dump(run(base.patch(states)));
    // States only, and the same: the state did not change.
    json same = states;
    same.push_back({{"op", "replace"}, {"path", t + "/output_detail/state"}, {"value", "Unpainted"}});
    const Report r = run(base.patch(same));
    ASSERT_EQ(codes(r), std::vector<std::string>{"SSM-RD-002"}) << dump(r);
    EXPECT_NE(r.findings[0].message.find("the input is in the same state ('unpainted')"), std::string::npos) << r.findings[0].message;
    // Nothing comparable on both sides: not assessed, with the reason.
    json bare = states;
    for (const char *side : {"/input_detail", "/output_detail"})
        for (const char *field : {"/state", "/nature"}) bare.push_back({{"op", "remove"}, {"path", t + side + field}});
    const Report skipped = run(base.patch(bare));
    EXPECT_TRUE(skipped.findings.empty()) << dump(skipped);
    ASSERT_EQ(skipped.assessed[0].not_assessed.size(), 1u);
    EXPECT_EQ(skipped.assessed[0].not_assessed[0].first, "SSM-RD-002");
}

TEST(SsmCheck, OptionsMoveTheActivityRange) {
    Options narrow;
    narrow.min_operational = 7;
    const Report r = check(read_inquiry(ssm_test::fixture("fence.model.json")), narrow);
    EXPECT_EQ(codes(r), std::vector<std::string>{"SSM-PAM-001"});
}

TEST(SsmCheck, RootDefinitionOnlyModelSkipsTheActivityChecks) {
    json doc = ssm_test::fixture("fence.model.json");
    auto &m = doc["activity_models"][0];
    for (const char *key : {"activities", "dependencies", "measures", "comparison", "changes"}) m.erase(key);
    const Report r = run(doc);
    EXPECT_TRUE(r.findings.empty()) << dump(r);
    std::set<std::string> skipped;
    for (const auto &[code, why] : r.assessed[0].not_assessed) skipped.insert(code);
    EXPECT_TRUE(skipped.count("SSM-PAM-001"));
    EXPECT_TRUE(skipped.count("SSM-CMP-003"));
    EXPECT_FALSE(skipped.count("SSM-RD-001"));
}

// Burge (2015), "Root Definition" tool, Box 1: "A company owned system to market the products and
// services of the company to existing and future clients by the most appropriate cost effective
// means." A practitioner reading it against CATWOE and PQR misses W, A, E and R.
TEST(SsmCheck, BurgeMarketingRootDefinition) {
    const Report r = run(ssm_test::example("burge-marketing.model.json"));
    std::vector<std::string> got;
    for (const auto &f : r.findings) got.push_back(f.code + ":" + f.entities.at(0).id);
    EXPECT_EQ(got, (std::vector<std::string>{"SSM-RD-001:W", "SSM-RD-003:R", "SSM-RD-005:A", "SSM-RD-005:E"})) << dump(r);
}

// The worked inquiry of docs/methods/ssm.md: three root definitions of one prison, one of them
// modelled, compared and turned into changes. Nothing to find.
TEST(SsmCheck, PrisonInquiryTriggersNone) {
    const Report r = run(ssm_test::example("prison-inquiry.model.json"));
    EXPECT_TRUE(r.findings.empty()) << dump(r);
    ASSERT_EQ(r.assessed.size(), 3u);
    for (const auto &a : r.assessed) EXPECT_TRUE(a.failed.empty()) << a.model;
}

// The shared model's own example (schemas/examples): the six warnings docs/methods/ssm.md lists.
TEST(SsmCheck, CommunityCareExampleWarnings) {
    const Report r = run(ssm_test::read_json_file(std::string(SSM_SCHEMA_EXAMPLES) + "/community-care-boundaries.model.json"));
    std::vector<std::string> got;
    for (const auto &f : r.findings) got.push_back(f.code + ":" + (f.entities.empty() ? std::string("-") : f.entities[0].id));
    EXPECT_EQ(got, (std::vector<std::string>{"SSM-PAM-001:-", "SSM-PAM-003:e2", "SSM-PAM-003:e3", "SSM-CMP-001:act-assess",
                                             "SSM-CMP-001:act-fund", "SSM-JOIN-001:actors/0"}))
        << dump(r);
}

TEST(SsmCheck, ContentWordsMatchAcrossForms) {
    EXPECT_EQ(holon_ssm::checks::content_words("Paint the fence, by hand!"), (std::vector<std::string>{"paint", "fence", "hand"}));
}

} // namespace
