// The real Vensim models of ../shared/sd-bench, unmodified: World3-03 reproduces the Limits to
// Growth standard run (population peaks in the 2020s-2030s, then declines) and C-LEARN v77
// simulates 1850-2100 without NaN (apart from Vensim's :NA:, missing in the output).
#include "compile/compiler.hpp"
#include "ir/names.hpp"
#include "mdl/reader.hpp"
#include "structure/dependencies.hpp"
#include "vm/simulator.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace holon_sd;

namespace {

std::filesystem::path bench_dir() { return HOLON_SD_BENCH_MODELS; }

std::string read_file(const std::filesystem::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Model load(const char *file) {
    std::filesystem::path path = bench_dir() / file;
    return read_mdl(read_file(path), {bench_dir().string(), file});
}

size_t column(const Results &r, const std::string &name) {
    for (size_t c = 0; c < r.names.size(); ++c)
        if (r.names[c] == name) return c;
    ADD_FAILURE() << "no column " << name;
    return 0;
}

} // namespace

TEST(SdVensimModels, World3PopulationPeaksInThe2020sOr2030sThenDeclines) {
    if (!std::filesystem::exists(bench_dir() / "wrld3-03.mdl")) GTEST_SKIP() << "sd-bench models missing";
    Model m = load("wrld3-03.mdl");
    EXPECT_DOUBLE_EQ(m.sim_specs.start, 1900);
    EXPECT_DOUBLE_EQ(m.sim_specs.stop, 2100);
    Program p = compile(m);
    Simulator sim(p);
    RunSettings settings;
    settings.save_step = p.sim_specs.dt;
    const Results &r = sim.run(settings);
    ASSERT_DOUBLE_EQ(r.times.front(), 1900);
    ASSERT_DOUBLE_EQ(r.times.back(), 2100);
    size_t pop = column(r, "population");
    size_t peak = 0;
    for (size_t row = 0; row < r.times.size(); ++row) {
        ASSERT_FALSE(std::isnan(r.value(row, pop))) << "at " << r.times[row];
        if (r.value(row, pop) > r.value(peak, pop)) peak = row;
    }
    EXPECT_GE(r.times[peak], 2020);
    EXPECT_LT(r.times[peak], 2040);
    EXPECT_NEAR(r.value(0, pop), 1.6e9, 1e6);
    EXPECT_GT(r.value(peak, pop), 6e9);
    EXPECT_LT(r.value(peak, pop), 9e9);
    // Declines: by 2100 well below the peak, and falling.
    double end = r.value(r.times.size() - 1, pop);
    EXPECT_LT(end, 0.8 * r.value(peak, pop));
    EXPECT_LT(end, r.value(r.times.size() - 21, pop));
}

TEST(SdVensimModels, ClearnSimulates1850To2100WithoutNaN) {
    if (!std::filesystem::exists(bench_dir() / "C-LEARN-v77.mdl")) GTEST_SKIP() << "sd-bench models missing";
    Model m = load("C-LEARN-v77.mdl");
    Program p = compile(m);
    EXPECT_GT(p.outputs.size(), 3000u);
    Simulator sim(p);
    const Results &r = sim.run();
    ASSERT_DOUBLE_EQ(r.times.front(), 1850);
    ASSERT_DOUBLE_EQ(r.times.back(), 2100);
    // NaN only where the model says :NA: (missing in Vensim's output too): the 2050 emission
    // levels are IF THEN ELSE(Time > y2050, ..., :NA:), so missing up to 2050 and numbers after.
    std::set<std::string> missing;
    for (size_t c = 0; c < r.names.size(); ++c)
        for (size_t row = 0; row < r.times.size(); ++row) {
            if (!std::isnan(r.value(row, c))) continue;
            missing.insert(r.names[c].substr(0, r.names[c].find('[')));
        }
    // Every missing column is a variable whose equation holds :NA: or reads one that does.
    std::set<std::string> may_be_na;
    for (const Variable &v : m.variables) {
        bool na = v.equation.find("e+33") != std::string::npos;
        for (const ElementEquation &e : v.elements) na = na || e.equation.find("e+33") != std::string::npos;
        if (na) may_be_na.insert(canonical_name(v.name));
    }
    std::vector<Dependency> deps = dependencies(m);
    for (size_t grown = 1; grown;) {
        grown = 0;
        for (const Dependency &d : deps)
            if (may_be_na.count(canonical_name(d.from))) grown += may_be_na.insert(canonical_name(d.to)).second;
    }
    EXPECT_GT(missing.size(), 0u);
    for (const std::string &name : missing) EXPECT_TRUE(may_be_na.count(canonical_name(name))) << name;
    // Warming under the reference scenario: a few degrees by 2100, none in 1850.
    size_t t = column(r, "Temperature change from preindustrial[Deterministic]");
    EXPECT_NEAR(r.value(0, t), 0, 0.3);
    EXPECT_GT(r.value(r.times.size() - 1, t), 1.5);
    EXPECT_LT(r.value(r.times.size() - 1, t), 8);
}
