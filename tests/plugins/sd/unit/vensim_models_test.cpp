// The real Vensim models of ../shared/sd-bench, unmodified: World3-03 reproduces the Limits to
// Growth standard run (population peaks in the 2020s-2030s, then declines) and C-LEARN v77
// simulates 1850-2100 without NaN.
#include "compile/compiler.hpp"
#include "mdl/reader.hpp"
#include "vm/simulator.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
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
    for (size_t c = 0; c < r.names.size(); ++c)
        for (size_t row = 0; row < r.times.size(); ++row)
            ASSERT_FALSE(std::isnan(r.value(row, c))) << r.names[c] << " at " << r.times[row];
    // Warming under the reference scenario: a few degrees by 2100, none in 1850.
    size_t t = column(r, "Temperature change from preindustrial[Deterministic]");
    EXPECT_NEAR(r.value(0, t), 0, 0.3);
    EXPECT_GT(r.value(r.times.size() - 1, t), 1.5);
    EXPECT_LT(r.value(r.times.size() - 1, t), 8);
}
