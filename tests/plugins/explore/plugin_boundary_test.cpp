// Loads the built explore.so as a host would and runs its methods through the minimal host of
// tests/plugins/common/plugin_host.hpp: data as params (columns or rows) and as input tables,
// results against the methods' own result schemas, pictures as blobs, the box as a scenario set
// that the shared model schema accepts, and refusals with the JSON Pointer of the bad param.
#include "../common/plugin_host.hpp"
#include "test_functions.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <numbers>

namespace {

using holon_test::expect_valid;
using holon_test::read_text;
using holon_test::TestRun;
using nlohmann::json;

class ExplorePlugin : public holon_test::PluginSuite<ExplorePlugin> {
public:
    static constexpr const char *plugin_path = EXPLORE_PLUGIN_PATH;
    static constexpr const char *scratch_name = "explore-test";

protected:
    static const char *result_schema(const char *method) { return plugin_->descriptor(method)->result_schema; }
};

double to_ishigami(double u) { return -std::numbers::pi + 2 * std::numbers::pi * u; }

json columns(const std::vector<std::vector<double>> &x, const std::vector<std::string> &names) {
    json out = json::object();
    for (std::size_t i = 0; i < names.size(); ++i) out[names[i]] = x[i];
    return out;
}

// x = 0..9, y = 1 where x >= 6, as rows.
json ramp_rows() {
    json rows = json::array();
    for (int i = 0; i < 10; ++i) rows.push_back({{"overrides.x", i}});
    return rows;
}
json ramp_outcomes() {
    json rows = json::array();
    for (int i = 0; i < 10; ++i) rows.push_back({{"failed", i >= 6 ? 1 : 0}});
    return rows;
}

} // namespace

TEST_F(ExplorePlugin, DescriptorsMatchTheManifest) {
    holon_test::expect_descriptors_match_manifest(*plugin_);
    for (const std::string &id : plugin_->method_ids()) EXPECT_EQ(plugin_->descriptor(id)->kind, HOLON_METHOD_KIND_ANALYSIS) << id;
}

TEST_F(ExplorePlugin, SobolFromParamsColumns) {
    const auto unit = explore_test::saltelli_sample(1024, 3, true);
    auto x = unit;
    for (auto &c : x)
        for (double &v : c) v = to_ishigami(v);
    const auto y = explore_test::evaluate(unit, explore_test::ishigami, to_ishigami);
    const json params = {{"experiments", columns(x, {"x1", "x2", "x3"})}, {"outcomes", {{"point", std::vector<double>(y.size(), 0.0)}, {"y", y}}},
                         {"resamples", 50}, {"seed", 3}};
    TestRun r("", params.dump());
    ASSERT_EQ(plugin_->run("explore.sobol", r), HOLON_OK) << r.error_message;
    expect_valid(result_schema("explore.sobol"), r.result);
    const json result = r.result_json();
    EXPECT_EQ(result["base_samples"], 1024);
    ASSERT_EQ(result["outcomes"].size(), 1u); // "point" is not an outcome
    const json &f = result["outcomes"][0]["factors"];
    EXPECT_EQ(f[1]["name"], "x2");
    EXPECT_NEAR(f[1]["S1"].get<double>(), 0.4424, 0.05);
    EXPECT_NEAR(f[2]["ST"].get<double>(), 0.2437, 0.05);
    EXPECT_EQ(result["outcomes"][0]["pairs"].size(), 3u);
    EXPECT_EQ(r.blobs.at("sobol-y.svg").first, "image/svg+xml");
    EXPECT_EQ(r.blobs.at("sobol-y.png").second.substr(1, 3), "PNG");
    // The indices as a sheet: a row per outcome and factor, by the factor's name.
    const std::string &csv = r.blobs.at("sobol.csv").second;
    EXPECT_EQ(csv.rfind("outcome,policy,factor,S1,S1_conf,ST,ST_conf\r\ny,,x1,", 0), 0u) << csv;
    const auto x2 = csv.find("\r\ny,,x2,");
    ASSERT_NE(x2, std::string::npos) << csv;
    EXPECT_EQ(std::stod(csv.substr(x2 + 8)), f[1]["S1"].get<double>()) << csv; // written to read back exactly
}

TEST_F(ExplorePlugin, SobolRefusesExperimentsThatAreNotASaltelliSample) {
    const auto x = explore_test::saltelli_sample(8, 2, false);
    json params = {{"experiments", columns(x, {"a", "b"})}, {"outcomes", {{"y", std::vector<double>(32, 1.0)}}}, {"second_order", false}};
    params["experiments"]["b"][5] = 0.123;
    TestRun r("", params.dump());
    ASSERT_EQ(plugin_->run("explore.sobol", r), HOLON_ERR_INVALID_PARAMS);
    EXPECT_EQ(r.details_json()["path"], "/experiments");
    EXPECT_NE(r.error_message.find("row 5 breaks the Saltelli layout"), std::string::npos) << r.error_message;
}

TEST_F(ExplorePlugin, MorrisFromInputTables) {
    const auto unit = explore_test::morris_trajectories(20, 3, 4, 99);
    auto x = unit;
    for (auto &c : x)
        for (double &v : c) v = to_ishigami(v);
    const auto y = explore_test::evaluate(unit, explore_test::ishigami, to_ishigami);
    const char *names[] = {"x1", "x2", "x3"};
    std::vector<holon_column_t> ex(3), out(1);
    for (std::size_t i = 0; i < 3; ++i) ex[i] = holon_column_t{sizeof(holon_column_t), names[i], x[i].data(), nullptr, nullptr};
    out[0] = holon_column_t{sizeof(holon_column_t), "y", y.data(), nullptr, nullptr};
    const holon_table_t tables[] = {{sizeof(holon_table_t), "experiments", y.size(), 3, ex.data()},
                                    {sizeof(holon_table_t), "outcomes", y.size(), 1, out.data()}};
    TestRun r("", R"({"resamples": 0})");
    r.inputs.table_count = 2;
    r.inputs.tables = tables;
    ASSERT_EQ(plugin_->run("explore.morris", r), HOLON_OK) << r.error_message;
    expect_valid(result_schema("explore.morris"), r.result);
    const json result = r.result_json();
    EXPECT_EQ(result["trajectories"], 20);
    EXPECT_NEAR(result["outcomes"][0]["factors"][1]["mu_star"].get<double>(), 7.875, 1e-9);
    EXPECT_TRUE(result["outcomes"][0]["factors"][1]["mu_star_conf"].is_null());
    EXPECT_EQ(r.blobs.count("morris-y.png"), 1u);
    // The same as a sheet; mu* of x2 is 7.875 exactly, no confidence without resamples.
    const std::string &csv = r.blobs.at("morris.csv").second;
    EXPECT_EQ(csv.substr(0, csv.find("\r\n")), "outcome,policy,factor,mu (outcome units),mu_star (outcome units),"
                                               "mu_star_conf (outcome units),sigma (outcome units)");
    EXPECT_NE(csv.find("\r\ny,,x2,"), std::string::npos) << csv;
    EXPECT_NE(csv.find(",7.875,,"), std::string::npos) << csv;
}

TEST_F(ExplorePlugin, PrimTrajectoryThenTheBoxAsAScenarioSet) {
    const json params = {{"experiments", ramp_rows()}, {"outcomes", ramp_outcomes()}, {"interest", {{"outcome", "failed"}, {"at_least", 1}}}};
    TestRun r("", params.dump());
    ASSERT_EQ(plugin_->run("explore.prim", r), HOLON_OK) << r.error_message;
    expect_valid(result_schema("explore.prim"), r.result);
    const json result = r.result_json();
    EXPECT_EQ(result["cases_of_interest"], 4);
    ASSERT_EQ(result["trajectory"].size(), 7u);
    EXPECT_EQ(result["selected"], 6);
    const json &box = result["box"];
    EXPECT_EQ(box["coverage"], 1.0);
    EXPECT_EQ(box["density"], 1.0);
    EXPECT_EQ(box["mass"], 0.4);
    EXPECT_EQ(box["limits"][0]["lower"], 5.5);
    EXPECT_NEAR(box["limits"][0]["qp_lower"].get<double>(), std::pow(0.4, 4), 1e-15);
    EXPECT_TRUE(box["limits"][0]["qp_upper"].is_null());
    EXPECT_EQ(r.blobs.count("prim-tradeoff.png"), 1u);
    EXPECT_EQ(r.blobs.count("prim-box.svg"), 1u);

    // Join J3: prim's result is box-scenario's params. One descriptor for x (bound to the model's
    // variable v-x, matched by name after "overrides."), split below / in the box.
    const json model = {{"format", "holon-model/1"},
                        {"id", "ramp"},
                        {"name", "Ramp"},
                        {"variables", json::array({{{"id", "v-x"}, {"name", "x"}, {"kind", "exogenous"}}})}};
    TestRun j3(model.dump(), r.result);
    ASSERT_EQ(plugin_->run("explore.box-scenario", j3), HOLON_OK) << j3.error_message;
    expect_valid(result_schema("explore.box-scenario"), j3.result);
    const json out = j3.result_json();
    const json &set = out["scenario_set"];
    EXPECT_EQ(set["id"], "prim-box");
    EXPECT_EQ(set["name"], "Where failed >= 1");
    EXPECT_EQ(set["kind"], "sweep");
    ASSERT_EQ(set["descriptors"].size(), 1u);
    EXPECT_EQ(set["descriptors"][0]["variables"], json::array({"v-x"}));
    ASSERT_EQ(set["descriptors"][0]["variants"].size(), 2u);
    EXPECT_EQ(set["descriptors"][0]["variants"][0]["bindings"][0], json({{"variable", "v-x"}, {"min", 0.0}, {"max", 5.5}}));
    EXPECT_EQ(set["descriptors"][0]["variants"][1]["bindings"][0], json({{"variable", "v-x"}, {"min", 5.5}, {"max", 9.0}}));
    EXPECT_EQ(set["scenarios"][0]["variants"], json::array({"prim-box.v-x.box"}));
    EXPECT_EQ(set["scenarios"][0]["name"], "PRIM box 6");
    EXPECT_EQ(out["model_patch"][0]["path"], "/scenario_sets");
    EXPECT_EQ(out["merge_patch"]["scenario_sets"].size(), 1u);
    expect_valid(read_text(std::string(HOLON_SCHEMAS) + "/model.schema.json"), j3.blobs.at("model-with-box.json").second);

    // A column the model has no variable for is refused, naming the limit.
    const json empty_model = {{"format", "holon-model/1"}, {"id", "m"}, {"name", "M"}, {"variables", json::array()}};
    TestRun unknown(empty_model.dump(), r.result);
    ASSERT_EQ(plugin_->run("explore.box-scenario", unknown), HOLON_ERR_INVALID_PARAMS);
    EXPECT_EQ(unknown.details_json()["path"], "/box/limits/0/factor");
    EXPECT_EQ(unknown.error_message,
              "the model has no variable 'x' (from the experiments column 'overrides.x'); name the columns after the model's variables");
}

TEST_F(ExplorePlugin, PrimInspectsAGivenBox) {
    const json params = {{"experiments", ramp_rows()},
                         {"outcomes", ramp_outcomes()},
                         {"interest", {{"outcome", "failed"}, {"above", 0.5}}},
                         {"box", {{"overrides.x", {5, 9}}}}};
    TestRun r("", params.dump());
    ASSERT_EQ(plugin_->run("explore.prim", r), HOLON_OK) << r.error_message;
    const json box = r.result_json()["box"];
    EXPECT_EQ(box["phase"], "given");
    EXPECT_EQ(box["rows"], 5);
    EXPECT_EQ(box["cases_of_interest"], 4);
    EXPECT_EQ(box["coverage"], 1.0);
    EXPECT_EQ(box["density"], 0.8);
    EXPECT_EQ(box["mass"], 0.5);
}

TEST_F(ExplorePlugin, PrimRefusalsNameTheParam) {
    json params = {{"experiments", ramp_rows()}, {"outcomes", ramp_outcomes()}, {"interest", {{"outcome", "fail"}, {"above", 0}}}};
    TestRun r("", params.dump());
    ASSERT_EQ(plugin_->run("explore.prim", r), HOLON_ERR_INVALID_PARAMS);
    EXPECT_EQ(r.details_json()["path"], "/interest/outcome");
    EXPECT_EQ(r.error_message, "no outcome 'fail'; the outcomes are: failed");

    params["interest"] = {{"outcome", "failed"}, {"above", 5}};
    TestRun none("", params.dump());
    ASSERT_EQ(plugin_->run("explore.prim", none), HOLON_ERR_INVALID_PARAMS);
    EXPECT_EQ(none.error_message, "no row is a case of interest: there is nothing to find a box for (rule: failed > 5)");

    TestRun missing("", R"({"experiments": {"a": [1, 2]}, "outcomes": {"y": [1]}, "interest": {"outcome": "y", "above": 0}})");
    ASSERT_EQ(plugin_->run("explore.prim", missing), HOLON_ERR_INVALID_PARAMS);
    EXPECT_EQ(missing.error_message, "the experiments have 2 rows and the outcomes 1; they must be the same points in the same order");
}

TEST_F(ExplorePlugin, RobustnessFromABatchsTablesGroupedByPolicy) {
    // Two policies (lever 'subsidy' 0 and 1) over the same three scenarios (uncertainty 'demand'),
    // rows as a batch with levers writes them: the design once per policy.
    const json params = {{"experiments",
                          {{"point", {0, 1, 2, 3, 4, 5}}, {"demand", {1, 2, 3, 1, 2, 3}}, {"subsidy", {0, 0, 0, 1, 1, 1}}}},
                         {"outcomes", {{"point", {0, 1, 2, 3, 4, 5}}, {"cost", {5, 9, 20, 8, 9, 11}}}},
                         {"outcome", "cost"},
                         {"levers", {"subsidy"}},
                         {"better", "smaller"},
                         {"threshold", 10}};
    TestRun r("", params.dump());
    ASSERT_EQ(plugin_->run("explore.robustness", r), HOLON_OK) << r.error_message;
    expect_valid(result_schema("explore.robustness"), r.result);
    const json result = r.result_json();
    ASSERT_EQ(result["policies"].size(), 2u);
    EXPECT_EQ(result["policies"][0]["policy"], "subsidy = 0");
    EXPECT_EQ(result["policies"][0]["worst_case"], 20.0); // minimax: the largest cost
    EXPECT_EQ(result["policies"][1]["worst_case"], 11.0);
    EXPECT_EQ(result["policies"][0]["max_regret"], 9.0); // 20 - 11 in scenario 3
    EXPECT_EQ(result["policies"][1]["max_regret"], 3.0); // 8 - 5 in scenario 1
    EXPECT_NEAR(result["policies"][0]["satisficing"].get<double>(), 2.0 / 3, 1e-15);
    EXPECT_EQ(result["choice"]["worst_case"], json::array({"subsidy = 1"}));
    EXPECT_EQ(result["choice"]["laplace"], json::array({"subsidy = 1"})); // mean 34/3 vs 28/3
    EXPECT_EQ(result["choice"]["satisficing"], json::array({"subsidy = 0", "subsidy = 1"})); // 2/3 each

    json shuffled = params;
    shuffled["experiments"]["demand"] = {1, 2, 3, 2, 1, 3};
    TestRun bad("", shuffled.dump());
    ASSERT_EQ(plugin_->run("explore.robustness", bad), HOLON_ERR_INVALID_PARAMS);
    EXPECT_EQ(bad.error_message, "row 3 (policy 'subsidy = 1', scenario 0) has another 'demand' than row 0 (policy 'subsidy = 0'): the "
                                 "policies must share scenarios, in the same order");
}

TEST_F(ExplorePlugin, FeatureScoresOfTheCasesOfInterest) {
    // The ramp's cases of interest depend on x only; a second column 'noise' is unrelated to them.
    json rows = ramp_rows();
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i]["noise"] = static_cast<double>((i * 7) % 10);
    const json params = {{"experiments", rows},
                         {"outcomes", ramp_outcomes()},
                         {"interest", {{"outcome", "failed"}, {"at_least", 1}}},
                         {"max_features", 2},
                         {"seed", 2}};
    TestRun r("", params.dump());
    ASSERT_EQ(plugin_->run("explore.features", r), HOLON_OK) << r.error_message;
    expect_valid(result_schema("explore.features"), r.result);
    const json result = r.result_json();
    EXPECT_EQ(result["max_features"], 2);
    const json &scores = result["outcomes"][0]["scores"];
    EXPECT_EQ(result["outcomes"][0]["outcome"], "failed (at_least 1.0)");
    EXPECT_EQ(scores[0]["factor"], "overrides.x");
    EXPECT_NEAR(scores[0]["score"].get<double>() + scores[1]["score"].get<double>(), 1.0, 1e-12);
}
