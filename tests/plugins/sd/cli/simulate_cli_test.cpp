// `holon simulate` run as a user would: the real binary, the real runner, the sd plugin.
#include "cli_process.hpp"
#include "reference.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <unistd.h>

namespace fs = std::filesystem;
using holon::test::line_count;
using holon::test::run_process;

namespace {

const fs::path suite = HOLON_SD_TEST_MODELS;

holon::test::ProcessResult simulate(std::vector<std::string> args) {
    args.insert(args.begin(), "simulate");
    args.push_back("--plugin-path");
    args.push_back(HOLON_SD_PLUGIN_DIR);
    return run_process(HOLON_BIN, args);
}

std::vector<std::string> split(const std::string &line, char sep) {
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false;
    for (char c : line) {
        if (c == '"') quoted = !quoted;
        else if (c == sep && !quoted) {
            out.push_back(cur);
            cur.clear();
        } else if (c != '\r') cur += c;
    }
    out.push_back(cur);
    return out;
}

// The CSV header: up to the first line break outside quotes (names keep the line breaks the
// modeller wrote, quoted as RFC 4180 allows).
std::string first_line(const std::string &text) {
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '"') quoted = !quoted;
        else if (text[i] == '\n' && !quoted) return text.substr(0, i);
    }
    return text;
}

// A temporary model file.
struct TempFile {
    fs::path path;
    TempFile(const std::string &name, const std::string &text)
        : path(fs::temp_directory_path() / ("holon-sd-cli-" + std::to_string(::getpid()) + "-" + name)) {
        std::ofstream(path) << text;
    }
    ~TempFile() { fs::remove(path); }
};

const char *pulse_model = R"(<xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
<sim_specs><start>0</start><stop>4</stop><dt>1</dt></sim_specs>
<model><variables>
<stock name="s"><eqn>0</eqn><inflow>f</inflow></stock>
<flow name="f"><eqn>PULSE(1, 2)</eqn></flow>
<aux name="rate"><eqn>3</eqn></aux>
</variables></model></xmile>)";

} // namespace

TEST(SdSimulateCli, PrintsTheSeriesAsCsvWithTheModelsNames) {
    auto r = simulate({(suite / "samples/SIR/SIR.xmile").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto header = split(first_line(r.out), ',');
    ASSERT_FALSE(header.empty());
    EXPECT_EQ(header[0], "time");
    std::set<std::string> names(header.begin(), header.end());
    EXPECT_TRUE(names.count("susceptible")) << first_line(r.out);
    EXPECT_TRUE(names.count("infectious")) << first_line(r.out);
    EXPECT_GT(line_count(r.out), 10u);
}

TEST(SdSimulateCli, VarsSetMethodAndOutFile) {
    TempFile model("pulse.xmile", pulse_model);
    fs::path out = model.path.string() + ".csv";
    auto r = simulate({model.path.string(), "--vars", "rate,s", "--set", "rate=7.5", "--method", "rk4", "--out",
                       out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    fs::remove(out);
    std::istringstream lines(text.str());
    std::string header, row0;
    std::getline(lines, header);
    std::getline(lines, row0);
    EXPECT_EQ(header, "time,rate,s");
    EXPECT_EQ(split(row0, ',').at(1), "7.5");
    EXPECT_EQ(line_count(text.str()), 6u); // header + times 0..4
}

TEST(SdSimulateCli, BenchPrintsOneJsonLine) {
    auto r = simulate({(suite / "samples/teacup/teacup.xmile").string(), "--bench", "3"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(line_count(r.out), 1u);
    auto j = nlohmann::json::parse(r.out);
    for (const char *key : {"compile_ms", "run_ms_mean", "run_ms_min", "steps", "variables"})
        EXPECT_TRUE(j.contains(key)) << key << " missing from " << r.out;
    EXPECT_GE(j["run_ms_mean"].get<double>(), j["run_ms_min"].get<double>());
    EXPECT_GT(j["steps"].get<int>(), 0);
}

TEST(SdSimulateCli, BrokenModelsExitTwoWithOneLineNamingTheProblem) {
    TempFile undefined("undefined.xmile", R"(<xmile><model><variables>
<aux name="a"><eqn>b + 1</eqn></aux></variables></model></xmile>)");
    auto r = simulate({undefined.path.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(line_count(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find(undefined.path.string()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("undefined variable 'b'"), std::string::npos) << r.err;

    TempFile unknown("unknown.xmile", R"(<xmile><model><variables>
<aux name="a"><eqn>FOO(1)</eqn></aux></variables></model></xmile>)");
    r = simulate({unknown.path.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("unknown function 'foo'"), std::string::npos) << r.err;

    TempFile loop("loop.xmile", R"(<xmile><model><variables>
<aux name="a"><eqn>b</eqn></aux><aux name="b"><eqn>a</eqn></aux></variables></model></xmile>)");
    r = simulate({loop.path.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("algebraic loop: a -> b -> a"), std::string::npos) << r.err;

    TempFile malformed("malformed.xmile", "<xmile>\n<model>\n<variables>\n</model>\n</xmile>\n");
    r = simulate({malformed.path.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(line_count(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find("line 4"), std::string::npos) << r.err;
}

TEST(SdSimulateCli, CvodeRefusesPerDtBuiltins) {
    TempFile model("pulse.xmile", pulse_model);
    auto r = simulate({model.path.string(), "--method", "cvode"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("variable 'f' uses PULSE"), std::string::npos) << r.err;
}

// The acceptance rule: every conformance model that is not a known-bad file exits 0 and prints
// every column of its reference output.
TEST(SdSimulateCli, ASubscriptOutOfRangeIsNaNWithAWarningOnStderr) {
    TempFile model("computed.xmile", R"(<xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
<sim_specs><start>0</start><stop>4</stop><dt>1</dt></sim_specs>
<dimensions><dim name="D"><elem name="e1"/><elem name="e2"/><elem name="e3"/></dim></dimensions>
<model><variables>
<aux name="a"><dimensions><dim name="D"/></dimensions><eqn>10</eqn></aux>
<aux name="w"><eqn>a[TIME+1]</eqn></aux>
</variables></model></xmile>)");
    auto r = simulate({model.path.string(), "--vars", "w"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "time,w\n0,10\n1,10\n2,10\n3,NaN\n4,NaN\n");
    EXPECT_NE(r.err.find("warning: variable 'w': a subscript of 'a' is 4 at time 3, outside 1..3: the value is NaN"),
              std::string::npos) << r.err;
}

TEST(SdSimulateCli, EveryConformanceModelPrintsEveryReferenceColumn) {
    if (!fs::is_directory(suite)) GTEST_SKIP() << "conformance suite missing";
    std::set<std::string> known_bad;
    std::ifstream known(HOLON_SD_KNOWN_FAILURES);
    for (std::string line; std::getline(known, line);)
        if (!line.empty() && line[0] != '#') known_bad.insert(line.substr(0, line.find(' ')));
    int checked = 0;
    for (const auto &e : fs::recursive_directory_iterator(suite)) {
        const fs::path &p = e.path();
        if (p.extension() != ".xmile" && p.extension() != ".stmx" && p.extension() != ".mdl") continue;
        if (known_bad.count(p.parent_path().filename().string() + "/" + p.filename().string())) continue;
        fs::path dir = p.parent_path();
        fs::path ref = fs::exists(dir / "output.csv") ? dir / "output.csv" : dir / "output.tab";
        const bool needs_data = p.extension() == ".mdl" && fs::exists(dir / "data.tab");
        if (needs_data) {
            // Its data variables come from data.tab (Vensim's .vdf converted): without the
            // importer's data_files the import says so in one line; with it, it simulates.
            auto refused = simulate({p.string()});
            EXPECT_EQ(refused.exit_code, 2) << p;
            EXPECT_NE(refused.err.find("pass data_files"), std::string::npos) << p << ": " << refused.err;
        }
        auto r = needs_data ? simulate({p.string(), "--import-params", R"({"data_files": ["data.tab"]})"})
                            : simulate({p.string()});
        ASSERT_EQ(r.exit_code, 0) << p << ": " << r.err;
        std::set<std::string> printed;
        for (const std::string &n : split(first_line(r.out), ',')) printed.insert(holon::conformance::normalize_column(n));
        for (const std::string &n : holon::conformance::read_reference(ref.string()).names) {
            std::string c = holon::conformance::normalize_column(n);
            if (c == "initial time" || c == "final time" || c == "time step" || c == "saveper") continue;
            EXPECT_TRUE(printed.count(c)) << p << " does not print " << n;
        }
        ++checked;
    }
    EXPECT_GE(checked, 150);
}

// Vensim models go through sd.import-mdl on the way, with data files read from the model's folder.
TEST(SdSimulateCli, SimulatesVensimModelsAndTheirDataFiles) {
    if (!fs::is_directory(suite)) GTEST_SKIP() << "conformance suite missing";
    auto r = simulate({(suite / "samples/teacup/teacup.mdl").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> names;
    for (const std::string &n : split(first_line(r.out), ',')) names.insert(n);
    EXPECT_TRUE(names.count("Teacup Temperature")) << first_line(r.out);

    r = simulate({(suite / "tests/get_xls_cellrange/test_get_xls_cellrange.mdl").string(), "--vars", "finalv[B]"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(first_line(r.out), "time,finalv[B]");

    TempFile broken("broken.mdl", "{UTF-8}\nx = 1 ~~|\ny = FIND MARKET PRICE(x, x, x, x) ~~|\n"
                                  "INITIAL TIME = 0 ~~|\nFINAL TIME = 1 ~~|\nTIME STEP = 1 ~~|\n");
    r = simulate({broken.path.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(line_count(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find(":3: variable 'y': unsupported Vensim function 'FIND MARKET PRICE'"), std::string::npos) << r.err;
}
