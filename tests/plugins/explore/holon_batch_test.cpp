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

namespace {

// A Sobol batch of a test function as an SD model, then explore.sobol on its tables; the
// indices of the outcome 'y'.
json batch_indices(const std::string &batch, const std::string &name) {
    const fs::path out = fs::temp_directory_path() / ("holon-explore-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(out);
    const std::string cmd = std::string(HOLON_BIN) + " batch '" + EXPLORE_TEST_DATA + "/" + batch + "' --out '" + out.string() +
                            "' --quiet --jobs 2";
    if (std::system(cmd.c_str()) != 0) return json();
    json r = json::parse(slurp(out / "steps" / "indices" / "runs" / "p0000" / "result.json"));
    fs::remove_all(out);
    return r;
}

} // namespace

TEST(ExploreAcceptance, IshigamiAsAnSdModelThroughASobolBatch) {
    // Issue 21: S1 within 0.02 of (0.3139, 0.4424, 0) and ST of (0.5576, 0.4424, 0.2437) at N = 2^13.
    const json r = batch_indices("ishigami-sobol.batch.yaml", "ishigami");
    ASSERT_TRUE(r.is_object()) << "the batch failed";
    EXPECT_EQ(r["base_samples"], 8192);
    const json &f = r["outcomes"][0]["factors"];
    const double s1[] = {0.3139, 0.4424, 0.0}, st[] = {0.5576, 0.4424, 0.2437};
    for (std::size_t j = 0; j < 3; ++j) {
        EXPECT_NEAR(f[j]["S1"].get<double>(), s1[j], 0.02) << f[j]["name"];
        EXPECT_NEAR(f[j]["ST"].get<double>(), st[j], 0.02) << f[j]["name"];
    }
    EXPECT_NEAR(r["outcomes"][0]["pairs"][1]["S2"].get<double>(), 0.2437, 0.03); // x1-x3
}

TEST(ExploreAcceptance, GFunctionAsAnSdModelThroughASobolBatch) {
    // Analytic: V_i = 1/(3(1+a_i)^2), S_i = V_i / V, ST_i = V_i prod_{j!=i}(1+V_j) / V.
    const double a[] = {0, 1, 4.5, 9, 99, 99, 99, 99};
    double prod = 1;
    for (double ai : a) prod *= 1 + 1 / (3 * (1 + ai) * (1 + ai));
    const json r = batch_indices("sobol-g.batch.yaml", "gfunction");
    ASSERT_TRUE(r.is_object()) << "the batch failed";
    const json &f = r["outcomes"][0]["factors"];
    for (std::size_t j = 0; j < 8; ++j) {
        const double vi = 1 / (3 * (1 + a[j]) * (1 + a[j]));
        EXPECT_NEAR(f[j]["S1"].get<double>(), vi / (prod - 1), 0.02) << f[j]["name"];
        EXPECT_NEAR(f[j]["ST"].get<double>(), vi * prod / (1 + vi) / (prod - 1), 0.02) << f[j]["name"];
    }
}

TEST(ExploreAcceptance, IshigamiMorrisMuStarOfX2ThroughAMorrisBatch) {
    // Optimised trajectories of the batch's Morris design; mu*(x2) = 7 * 3/4 / (2/3) = 7.875.
    const json r = batch_indices("ishigami-morris.batch.yaml", "ishigami-morris");
    ASSERT_TRUE(r.is_object()) << "the batch failed";
    EXPECT_EQ(r["levels"], 4);
    EXPECT_EQ(r["trajectories"], 30);
    EXPECT_NEAR(r["outcomes"][0]["factors"][1]["mu_star"].get<double>(), 7.875, 1e-9);
}
