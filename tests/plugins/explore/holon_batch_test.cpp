// The explore methods as pipeline steps through the real `holon` binary, runners and plugins:
// a batch sweeps the SIR model with a Morris design over two policies and a Sobol design, and
// later steps read their tables (tables_from) with explore.morris (one analysis per policy),
// explore.robustness (policies grouped by the batch's policy column), explore.sobol, explore.prim
// and explore.features; then explore.box-scenario turns the PRIM box into a scenario set of the
// model and scenarios.run re-runs it.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string slurp(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class ExploreBatch : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        out_ = fs::temp_directory_path() / ("holon-explore-batch-" + std::to_string(::getpid()));
        fs::remove_all(out_);
        const std::string cmd = std::string(HOLON_BIN) + " batch '" + EXPLORE_TEST_DATA + "/sir-explore.batch.yaml' --out '" +
                                out_.string() + "' --quiet";
        status_ = std::system(cmd.c_str());
    }
    static void TearDownTestSuite() { fs::remove_all(out_); }
    static json result(const std::string &step) { return json::parse(slurp(out_ / "steps" / step / "runs" / "p0000" / "result.json")); }
    static int run(const std::string &args) { return std::system((std::string(HOLON_BIN) + " " + args + " >/dev/null").c_str()); }

    static inline fs::path out_;
    static inline int status_ = -1;
};

TEST_F(ExploreBatch, MorrisGivesOneAnalysisPerPolicy) {
    ASSERT_EQ(status_, 0);
    const json r = result("screening");
    EXPECT_EQ(r["trajectories"], 10);
    ASSERT_EQ(r["outcomes"].size(), 2u);
    EXPECT_EQ(r["outcomes"][0]["policy"], 0);
    EXPECT_EQ(r["outcomes"][1]["policy"], 1);
    // The factors are the design's uncertainties; the lever is not one of them.
    EXPECT_EQ(r["outcomes"][0]["factors"][0]["name"], "overrides.duration");
    EXPECT_EQ(r["outcomes"][0]["factors"].size(), 2u);
    // A longer infectious period raises the peak under both policies, more so with more contact.
    const double low = r["outcomes"][0]["factors"][0]["mu"].get<double>(), high = r["outcomes"][1]["factors"][0]["mu"].get<double>();
    EXPECT_GT(low, 0);
    EXPECT_GT(high, low);
}

TEST_F(ExploreBatch, RobustnessComparesTheLeverSettings) {
    ASSERT_EQ(status_, 0);
    const json r = result("robust");
    ASSERT_EQ(r["policies"].size(), 2u);
    EXPECT_EQ(r["policies"][0]["policy"], "overrides.contact_infectivity = 0.25");
    EXPECT_EQ(r["scenarios"], 30); // 10 trajectories x 3 rows
    // Less contact gives a lower peak in every scenario: no regret, best on every metric.
    EXPECT_EQ(r["policies"][0]["max_regret"], 0.0);
    EXPECT_EQ(r["choice"]["worst_case"], json::array({"overrides.contact_infectivity = 0.25"}));
    EXPECT_LT(r["policies"][0]["worst_case"].get<double>(), r["policies"][1]["worst_case"].get<double>());
}

TEST_F(ExploreBatch, SobolPrimAndFeaturesReadTheSobolSample) {
    ASSERT_EQ(status_, 0);
    const json sobol = result("indices");
    EXPECT_EQ(sobol["base_samples"], 64);
    EXPECT_EQ(sobol["second_order"], false); // from the design
    EXPECT_EQ(sobol["factors"], json::array({"overrides.contact_infectivity", "overrides.duration"}));
    EXPECT_TRUE(fs::exists(out_ / "steps" / "indices" / "runs" / "p0000" / "sobol-peak.png"));
    const json prim = result("discovery");
    EXPECT_EQ(prim["rows"], 256); // 64 x (2 + 2)
    const json &box = prim["box"];
    EXPECT_EQ(box["restricted"], 2);
    EXPECT_NEAR(box["coverage"].get<double>(), box["cases_of_interest"].get<double>() / prim["cases_of_interest"].get<double>(), 1e-12);
    EXPECT_NEAR(box["density"].get<double>(), box["cases_of_interest"].get<double>() / box["rows"].get<double>(), 1e-12);
    const json scores = result("scores");
    EXPECT_EQ(scores["outcomes"][0]["scores"].size(), 2u);
}

TEST_F(ExploreBatch, ThePrimBoxBecomesAScenarioThatRunsAgain) {
    ASSERT_EQ(status_, 0);
    const fs::path prim = out_ / "steps" / "discovery" / "runs" / "p0000" / "result.json";
    const fs::path box = out_ / "box";
    ASSERT_EQ(run("run explore.box-scenario --model '" + std::string(SIR_MODEL) + "' --params @'" + prim.string() + "' --out '" +
                  box.string() + "'"),
              0);
    const json set = json::parse(slurp(box / "result.json"))["scenario_set"];
    ASSERT_EQ(set["descriptors"].size(), 2u);
    EXPECT_EQ(set["descriptors"][0]["variables"], json::array({"contact_infectivity"}));
    const fs::path rerun = out_ / "rerun";
    ASSERT_EQ(run("run scenarios.run --model '" + (box / "model-with-box.json").string() +
                  "' --params '{\"set\": \"prim-box\", \"scenarios\": \"named\", \"outputs\": [\"infectious\"]}' --out '" +
                  rerun.string() + "'"),
              0);
    const json again = json::parse(slurp(rerun / "result.json"));
    ASSERT_EQ(again["comparison"].size(), 1u);
    // The box's centre lies where the peak exceeded 200 in most runs.
    EXPECT_GT(again["comparison"][0]["infectious"]["max"].get<double>(), 200);
}

} // namespace
