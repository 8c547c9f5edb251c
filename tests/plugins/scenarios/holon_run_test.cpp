// scenarios.run through the real `holon` binary: the SIR sample model with a CIB scenario set whose
// variants bind SD parameters gives one series per consistent scenario, simulated by sd.simulate.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace {

using nlohmann::json;

std::string slurp(const std::filesystem::path &p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST(ScenariosThroughHolon, OneSeriesPerConsistentScenario) {
    const auto out = std::filesystem::temp_directory_path() / ("holon-scenarios-run-" + std::to_string(::getpid()));
    std::filesystem::remove_all(out);
    // The consistent scenarios first, through the CLI as well.
    const std::string cib = std::string(HOLON_BIN) + " run scenarios.cib --quiet --model " SCENARIOS_EXAMPLES
                            "/scenario-sir.model.json --out " + (out / "cib").string();
    ASSERT_EQ(std::system(cib.c_str()), 0);
    const json consistent = json::parse(slurp(out / "cib" / "result.json"));
    ASSERT_GT(consistent["count"].get<int>(), 0);

    const std::string run = std::string(HOLON_BIN) + " run scenarios.run --quiet --model " SCENARIOS_EXAMPLES
                            "/scenario-sir.model.json --params '{\"outputs\": [\"infectious\"], \"stop\": 60}' --out " +
                            (out / "run").string();
    ASSERT_EQ(std::system(run.c_str()), 0);
    const json result = json::parse(slurp(out / "run" / "result.json"));
    ASSERT_EQ(result["runs"].size(), consistent["count"].get<size_t>());
    std::string header;
    std::getline(std::ifstream(out / "run" / "series.csv") >> std::ws, header);
    size_t columns = 1;
    for (char c : header) columns += c == ',' ? 1 : 0;
    EXPECT_EQ(columns, 1 + consistent["count"].get<size_t>()); // time + one infectious series per scenario
    for (const json &r : result["runs"]) {
        // The CSV header shows display names: the scenario's label and the variable's name.
        EXPECT_NE(header.find(r["label"].get<std::string>() + ": infectious"), std::string::npos) << header;
        EXPECT_TRUE(r["overrides"].contains("contact_infectivity"));
    }
    // Every file labels the scenarios the same way: the comparison table's columns and runs.csv's
    // rows carry the labels of the JSON runs (no scenario numbers).
    std::string comparison_header, runs_header, runs_row;
    std::ifstream columns_csv(out / "run" / "comparison.columns.csv");
    const std::string comparison_ids((std::istreambuf_iterator<char>(columns_csv)), std::istreambuf_iterator<char>());
    std::getline(std::ifstream(out / "run" / "comparison.csv") >> std::ws, comparison_header);
    std::ifstream runs_csv(out / "run" / "runs.csv");
    std::getline(runs_csv, runs_header);
    EXPECT_EQ(comparison_header.find("scenario"), std::string::npos) << comparison_header;
    for (const json &r : result["runs"]) {
        const std::string label = r["label"].get<std::string>();
        EXPECT_NE(comparison_header.find(label + ": infectious (final)"), std::string::npos) << comparison_header;
        EXPECT_NE(comparison_ids.find(label + ":infectious:final," + label + ": infectious (final),people"), std::string::npos)
            << comparison_ids;
        ASSERT_TRUE(std::getline(runs_csv, runs_row));
        EXPECT_EQ(runs_row.substr(0, label.size() + 1), label + ",") << runs_row;
        EXPECT_FALSE(r["descriptors"].empty());
        EXPECT_FALSE(r["descriptors"][0]["variant_name"].get<std::string>().empty());
    }
    EXPECT_EQ(runs_header.substr(0, 6), "label,");
    EXPECT_NE(runs_header.find("infectious:final"), std::string::npos) << runs_header;
    // Different scenarios drive the model differently.
    const json &cmp = result["comparison"];
    ASSERT_EQ(cmp.size(), 2u);
    EXPECT_NE(cmp[0]["infectious"]["max"], cmp[1]["infectious"]["max"]);
    std::filesystem::remove_all(out);
}

} // namespace
