// Loops That Matter through the real `holon` binary, runners and plugins: cld.ltm invokes
// sd.link-scores through holon.invoke/1 on XMILE models imported by the SD plugin.
//   T-LTM-1: the micro link-score example z = (w + x) / y (sd.link-scores).
//   T-LTM-2: Bass diffusion relative loop scores against the published table (methods.md §2.4).
//   T-LTM-3: the yeast-alcohol model's dominance order R -> B2 -> B3 -> B1.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string slurp(const fs::path &p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Runs `holon run <method> --model <model> [--params ...]` into a fresh folder; returns the exit code.
int holon_run(const std::string &method, const fs::path &model, const fs::path &out, const std::string &params = "") {
    fs::remove_all(out);
    std::string cmd = std::string(HOLON_BIN) + " run " + method + " --quiet --model '" + model.string() + "' --out '" +
                      out.string() + "'";
    if (!params.empty()) cmd += " --params '" + params + "'";
    cmd += " 2>'" + (out.string() + ".stderr") + "'";
    return std::system(cmd.c_str());
}

fs::path scratch(const std::string &name) {
    return fs::temp_directory_path() / ("holon-ltm-" + name + "-" + std::to_string(::getpid()));
}

// The rows of a CSV of numbers, by column name.
std::map<std::string, std::vector<double>> read_csv(const fs::path &p) {
    std::ifstream in(p);
    std::string line;
    std::getline(in, line);
    std::vector<std::string> names;
    std::stringstream header(line);
    for (std::string cell; std::getline(header, cell, ',');) {
        if (cell.size() >= 2 && cell.front() == '"') cell = cell.substr(1, cell.size() - 2);
        names.push_back(cell);
    }
    std::map<std::string, std::vector<double>> columns;
    while (std::getline(in, line)) {
        std::stringstream row(line);
        std::string cell;
        for (std::size_t c = 0; std::getline(row, cell, ','); ++c) columns[names.at(c)].push_back(std::stod(cell));
    }
    return columns;
}

std::size_t row_at(const json &times, double t) {
    for (std::size_t i = 0; i < times.size(); ++i)
        if (std::fabs(times[i].get<double>() - t) < 1e-9) return i;
    ADD_FAILURE() << "no time " << t;
    return 0;
}

const json &loop_through(const json &result, const std::set<std::string> &variables) {
    for (const json &loop : result["loops"]) {
        std::set<std::string> members;
        for (const json &v : loop["variables"]) members.insert(v.get<std::string>());
        if (members == variables) return loop;
    }
    throw std::runtime_error("no such loop");
}

TEST(LtmThroughHolon, MicroExampleLinkScores) {
    const fs::path out = scratch("micro");
    ASSERT_EQ(holon_run("sd.link-scores", fs::path(LTM_DATA) / "micro-quotient.xmile", out), 0) << slurp(out.string() + ".stderr");
    const json result = json::parse(slurp(out / "result.json"));
    EXPECT_EQ(result["flow_to_stock"], "2023");
    const auto table = read_csv(out / "link_scores.csv");
    ASSERT_EQ(table.at("time").front(), 0.0);
    EXPECT_NEAR(table.at("w->z").front(), 5.0, 1e-9);
    EXPECT_NEAR(table.at("x->z").front(), 10.0 / 3.0, 1e-9);
    EXPECT_NEAR(table.at("y->z").front(), -6.0, 1e-9);
    fs::remove_all(out);
}

TEST(LtmThroughHolon, BassDiffusionRelativeScoresMatchThePublishedTable) {
    const fs::path out = scratch("bass");
    ASSERT_EQ(holon_run("cld.ltm", fs::path(LTM_DATA) / "bass.xmile", out), 0) << slurp(out.string() + ".stderr");
    const json result = json::parse(slurp(out / "result.json"));
    ASSERT_EQ(result["count"], 2);
    ASSERT_EQ(result["partitions"].size(), 1u);
    EXPECT_FALSE(result["truncated"].get<bool>());
    const json &r1 = loop_through(result, {"adopters", "adopter_contacts", "potentials_contacts", "adopting"});
    const json &b1 = loop_through(result, {"potential_adopters", "contact_probability", "potentials_contacts", "adopting"});
    EXPECT_EQ(r1["polarity"], "R");
    EXPECT_EQ(b1["polarity"], "B");
    // methods.md T-LTM-2 (Schoenberg, Davidsen & Eberlein 2020), to three decimals.
    const std::vector<std::tuple<double, double, double>> published{
        {1, -0.000, 1.000}, {9.5, -0.465, 0.535}, {9.5625, -0.488, 0.512}, {9.625, -0.512, 0.488}, {15, -1.000, 0.000}};
    for (const auto &[t, b, r] : published) {
        const std::size_t i = row_at(result["times"], t);
        EXPECT_NEAR(b1["relative"][i].get<double>(), b, 0.0005) << "B1 at T = " << t;
        EXPECT_NEAR(r1["relative"][i].get<double>(), r, 0.0005) << "R1 at T = " << t;
    }
    // R1 dominates first, B1 after the crossover near T = 9.6.
    const json &dominance = result["dominance"];
    std::vector<std::string> order;
    for (const json &period : dominance)
        if (!period["loops"].empty() && (order.empty() || order.back() != period["loops"][0]))
            order.push_back(period["loops"][0].get<std::string>());
    EXPECT_EQ(order, (std::vector<std::string>{r1["id"].get<std::string>(), b1["id"].get<std::string>()}));
    for (const json &period : dominance)
        if (period["loops"] == json::array({b1["id"]})) {
            EXPECT_NEAR(period["from"].get<double>(), 9.625, 1e-9) << period.dump();
            break;
        }
    // The same series as a table, for CSV users: headed by display names (ids, names and units in
    // loop_scores.columns.csv).
    const auto table = read_csv(out / "loop_scores.csv");
    EXPECT_EQ(table.at("R1 relative loop score").size(), result["times"].size());
    EXPECT_NE(slurp(out / "loop_scores.columns.csv").find(r1["id"].get<std::string>() + ".relative,R1 relative loop score,dimensionless"),
              std::string::npos);
    // The loops by name, readable without the model: JSON names and loops.csv.
    EXPECT_EQ(r1["name"], "R1");
    EXPECT_EQ(b1["name"], "B1");
    EXPECT_EQ(r1["variable_names"], json::parse(R"(["Adopter Contacts", "Potentials Contacts", "Adopting", "Adopters"])"));
    EXPECT_EQ(slurp(out / "loops.csv"),
              "id,name,polarity,length,partition,loop,variable_ids\r\n"
              "L1,R1,R,4,0,Adopter Contacts \u2192 Potentials Contacts \u2192 Adopting \u2192 Adopters \u2192 Adopter "
              "Contacts,adopter_contacts \u2192 potentials_contacts \u2192 adopting \u2192 adopters \u2192 adopter_contacts\r\n"
              "L2,B1,B,4,0,Adopting \u2192 Potential Adopters \u2192 Contact Probability \u2192 Potentials Contacts \u2192 "
              "Adopting,adopting \u2192 potential_adopters \u2192 contact_probability \u2192 potentials_contacts \u2192 adopting\r\n");
    fs::remove_all(out);
}

TEST(LtmThroughHolon, YeastAlcoholDominanceOrder) {
    const fs::path out = scratch("yeast");
    ASSERT_EQ(holon_run("cld.ltm", fs::path(LTM_DATA) / "yeast.xmile", out), 0) << slurp(out.string() + ".stderr");
    const json result = json::parse(slurp(out / "result.json"));
    ASSERT_EQ(result["count"], 4);
    ASSERT_EQ(result["partitions"].size(), 1u);
    EXPECT_EQ(result["partitions"][0]["independent_loops"], 4);
    std::map<std::string, std::string> name; // loop id -> published name
    name[loop_through(result, {"cells", "births"})["id"]] = "R";
    name[loop_through(result, {"cells", "deaths"})["id"]] = "B1";
    name[loop_through(result, {"cells", "alcohol_production", "alcohol", "births"})["id"]] = "B2";
    name[loop_through(result, {"cells", "alcohol_production", "alcohol", "deaths"})["id"]] = "B3";
    std::vector<std::string> order; // the strongest loop of each period, repeats collapsed
    for (const json &period : result["dominance"]) {
        if (period["loops"].empty()) continue;
        const std::string strongest = name.at(period["loops"][0].get<std::string>());
        if (order.empty() || order.back() != strongest) order.push_back(strongest);
    }
    EXPECT_EQ(order, (std::vector<std::string>{"R", "B2", "B3", "B1"})) << result["dominance"].dump();
    fs::remove_all(out);
}

TEST(LtmThroughHolon, RefusesWhatItCannotScoreHonestly) {
    const fs::path dir = scratch("pipeline");
    fs::create_directories(dir);
    std::ofstream(dir / "pipeline.xmile") << R"(<?xml version="1.0" encoding="utf-8"?>
<xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0" version="1.0">
  <header><name>smoothed</name></header>
  <sim_specs method="Euler"><start>0</start><stop>4</stop><dt>1</dt></sim_specs>
  <model><variables>
    <stock name="S"><eqn>1</eqn><inflow>growth</inflow></stock>
    <flow name="growth"><eqn>DELAY(S, 2) / 10</eqn></flow>
  </variables></model>
</xmile>
)";
    const fs::path out = dir / "out";
    EXPECT_NE(holon_run("cld.ltm", dir / "pipeline.xmile", out), 0);
    const std::string err = slurp(out.string() + ".stderr");
    EXPECT_NE(err.find("calls DELAY"), std::string::npos) << err;
    fs::remove_all(dir);
}

TEST(LtmThroughHolon, CausalMapWithoutEquationsIsAModelError) {
    // The delayed-discharge map has stocks and flows by kind but no equations: nothing to simulate.
    const fs::path out = scratch("map");
    const int status = holon_run("cld.ltm", LTM_CAUSAL_MAP, out);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 2) << "a problem with the input, not a failed method";
    const std::string err = slurp(out.string() + ".stderr");
    EXPECT_NE(err.find("stock-and-flow"), std::string::npos) << err;
    fs::remove_all(out);
}

TEST(LoopsThroughHolon, World3FromVensimTruncatesCleanlyAtTheResultSizeCap) {
    // `holon run cld.loops --model wrld3-03.mdl` imports through sd.import-mdl. World3's one big
    // partition has far more loops than any result can hold; the size cap stops the search with a
    // result that fits, instead of a run that dies of memory or output size.
    if (!fs::exists(WORLD3_MDL)) GTEST_SKIP() << WORLD3_MDL << " is not there";
    const fs::path out = scratch("world3");
    ASSERT_EQ(holon_run("cld.loops", WORLD3_MDL, out, R"({"max_result_mb": 4})"), 0) << slurp(out.string() + ".stderr");
    const json result = json::parse(slurp(out / "result.json"));
    EXPECT_TRUE(result["truncated"].get<bool>());
    EXPECT_GT(result["count"].get<int>(), 100);
    EXPECT_EQ(result["count"].get<std::size_t>(), result["loops"].size());
    EXPECT_LT(fs::file_size(out / "result.json"), 6u * 1024 * 1024);
    ASSERT_EQ(result["partitions"].size(), 1u);
    EXPECT_EQ(result["partitions"][0]["variables"].size(), 154u);
    EXPECT_EQ(result["partitions"][0]["independent_loops"].get<int>(), 101);
    fs::remove_all(out);
}

} // namespace
