// The report and plots of `holon batch` as a practitioner takes them away: index.html is one file
// (pictures inline, no link to a file beside it), numbers rounded for reading, plot scripts that
// re-plot from any folder, envelopes only for sampled uncertainty.
#include "../cli/cli_process.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;
using holon::test::run_process;

namespace {

const std::string sir_model = std::string(HOLON_SOURCE_DIR) + "/docs/examples/SIR.xmile";

std::string read(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

size_t count_of(const std::string &text, const std::string &what) {
    size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

std::vector<std::string> all_matches(const std::string &text, const std::string &pattern) {
    std::vector<std::string> out;
    const std::regex re(pattern);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) out.push_back((*it)[1]);
    return out;
}

// Significant digits of a number as written ("0.0002021" -> 4, "1.235e+07" -> 4, "100" -> 1).
size_t significant_digits(std::string text) {
    text = text.substr(0, text.find_first_of("eE"));
    std::string digits;
    for (char c : text)
        if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    const auto first = digits.find_first_not_of('0');
    if (first == std::string::npos) return 1;
    digits.erase(0, first);
    if (text.find('.') == std::string::npos) digits.erase(digits.find_last_not_of('0') + 1); // 1235000: 4
    return digits.size();
}

class BatchReport : public ::testing::Test {
protected:
    void SetUp() override {
        dir = fs::temp_directory_path() / ("holon-batch-report-test-" + std::to_string(::getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    void TearDown() override {
        if (!HasFailure()) fs::remove_all(dir);
    }
    holon::test::ProcessResult run_job(const std::string &steps) {
        std::ofstream(dir / "job.yaml") << "version: holon-batch/1\nname: report test\ninputs:\n  sir: {file: \"" << sir_model
                                        << "\"}\nsteps:\n"
                                        << steps;
        return run_process(HOLON_BIN, {"batch", (dir / "job.yaml").string(), "--out", (dir / "out").string(), "--jobs", "2"});
    }
    fs::path dir;
};

const char *kPolicyAndUncertainty = R"(  - name: policy
    method: sd.simulate
    input: sir
    params: {save_step: 1}
    sweep:
      grid:
        - {name: overrides.contact_infectivity, values: [0.2, 0.3]}
        - {name: overrides.duration, values: [4, 6]}
    outputs: {variables: [infectious], plots: [infectious]}
  - name: uncertainty
    method: sd.simulate
    input: sir
    params: {save_step: 1}
    sweep:
      latin_hypercube:
        samples: 8
        seed: 3
        parameters:
          - {name: overrides.contact_infectivity, distribution: uniform, min: 0.2, max: 0.4}
    outputs: {variables: [infectious], plots: [infectious]}
)";

TEST_F(BatchReport, IsOneFileWithItsPicturesInlineAndNoLinkToAFileBesideIt) {
    const auto r = run_job(kPolicyAndUncertainty);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string index = read(dir / "out" / "index.html");
    EXPECT_EQ(count_of(index, "<svg"), 2u); // the two plots
    EXPECT_EQ(count_of(index, "</svg>"), 2u);
    EXPECT_EQ(index.find("<img"), std::string::npos);
    EXPECT_EQ(index.find("<?xml"), std::string::npos); // not valid inside HTML
    // Every reference stays inside the page (an SVG's own #fragments) or is data: nothing that a
    // download, an e-mail attachment or the REST route would break.
    const auto refs = all_matches(index, "(?:href|src)\\s*=\\s*[\"']([^\"']*)[\"']");
    EXPECT_FALSE(refs.empty()); // gnuplot's SVG uses #fragments for its point symbols
    for (const auto &ref : refs) EXPECT_TRUE(ref.rfind("#", 0) == 0 || ref.rfind("data:", 0) == 0) << ref;
    // The pictures' ids stay unique in one page, and every #fragment points at one of them.
    const auto ids = all_matches(index, " id=[\"']([^\"']*)[\"']");
    const std::set<std::string> unique(ids.begin(), ids.end());
    EXPECT_EQ(unique.size(), ids.size());
    for (const auto &ref : refs) {
        if (ref.rfind("#", 0) == 0) {
            EXPECT_TRUE(unique.count(ref.substr(1))) << ref;
        }
    }
    // Names and units: the swept variables by the model's names, the statistics with the units.
    EXPECT_NE(index.find("<th title=\"overrides.contact_infectivity\">contact_infectivity</th>"), std::string::npos);
    EXPECT_NE(index.find("<th>infectious final (people)</th>"), std::string::npos);
    // Files are named for the folder or archive they come in.
    EXPECT_NE(index.find("<code>steps/policy/summary.csv</code>"), std::string::npos);
    EXPECT_NE(index.find("<code>results.json</code>"), std::string::npos);
}

TEST_F(BatchReport, ShowsNumbersRoundedToFourSignificantDigits) {
    const auto r = run_job(kPolicyAndUncertainty);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string index = read(dir / "out" / "index.html");
    const auto cells = all_matches(index, "<td>(-?[0-9][0-9.]*(?:e[-+][0-9]+)?)</td>");
    ASSERT_GE(cells.size(), 4u * 4u + 8u * 4u); // 12 points: swept values, final, max, peak time
    for (const auto &c : cells) EXPECT_LE(significant_digits(c), 4u) << c;
    // The summary CSV keeps every digit; the report shows the same number rounded.
    std::ifstream summary(dir / "out" / "steps" / "policy" / "summary.csv");
    std::string header, row;
    std::getline(summary, header);
    std::getline(summary, row);
    std::vector<std::string> fields;
    std::istringstream in(row);
    for (std::string f; std::getline(in, f, ',');) fields.push_back(f);
    ASSERT_GT(fields.size(), 4u);
    const std::string final_value = fields[4]; // infectious.final of p0000
    ASSERT_GT(significant_digits(final_value), 6u) << final_value;
    EXPECT_EQ(index.find(final_value), std::string::npos);
    char rounded[32];
    std::snprintf(rounded, sizeof rounded, "%.4g", std::stod(final_value));
    EXPECT_NE(index.find(std::string("<td>") + rounded + "</td>"), std::string::npos) << rounded;
}

TEST_F(BatchReport, AGridIsDrawnRunByRunAndASampleAsItsSpread) {
    const auto r = run_job(kPolicyAndUncertainty);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string policy = read(dir / "out" / "steps" / "policy" / "plots" / "infectious.gp");
    const std::string uncertainty = read(dir / "out" / "steps" / "uncertainty" / "plots" / "infectious.gp");
    EXPECT_EQ(policy.find("filledcurves"), std::string::npos) << policy;
    EXPECT_EQ(policy.find("median"), std::string::npos);
    // Coloured by the first swept variable, a panel per value of the other.
    const std::string data = read(dir / "out" / "steps" / "policy" / "plots" / "infectious.dat");
    EXPECT_EQ(count_of(data, " 0.2\n"), 2u * 101u) << data.substr(0, 500); // two runs' rows, t = 0..100
    EXPECT_NE(policy.find("using 1:2:3 with lines lw 2 lc palette notitle"), std::string::npos) << policy;
    EXPECT_NE(policy.find("set cblabel 'contact_infectivity'"), std::string::npos);
    EXPECT_NE(policy.find("set multiplot layout 1,2"), std::string::npos);
    EXPECT_NE(policy.find("set title 'duration = 6 days'"), std::string::npos) << policy;
    // Units from the model: the y axis and the panels (the SIR model gives people and days).
    EXPECT_NE(policy.find("set ylabel 'infectious (people)'"), std::string::npos);
    EXPECT_TRUE(fs::exists(dir / "out" / "steps" / "policy" / "series.columns.csv"));
    EXPECT_EQ(count_of(uncertainty, "with filledcurves"), 3u) << uncertainty;
    EXPECT_NE(uncertainty.find("title 'median'"), std::string::npos);
    EXPECT_NE(uncertainty.find("8 Latin hypercube runs"), std::string::npos);
}

TEST_F(BatchReport, ASampleUnderSeveralPoliciesGetsAnEnvelopePerPolicy) {
    const auto r = run_job(R"(  - name: levers
    method: sd.simulate
    input: sir
    params: {save_step: 1}
    sweep:
      sobol: {samples: 4, second_order: false, seed: 3}
      uncertainties:
        - {name: overrides.contact_infectivity, min: 0.2, max: 0.4}
      levers:
        - {name: overrides.total_population, values: [1000, 2000]}
    outputs: {variables: [infectious], plots: [infectious]}
)");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto plots = dir / "out" / "steps" / "levers" / "plots";
    const std::string gp = read(plots / "infectious.gp"), dat = read(plots / "infectious.dat");
    EXPECT_NE(gp.find("set multiplot layout 1,2"), std::string::npos) << gp;
    EXPECT_NE(gp.find("set title 'total_population = 1000 people'"), std::string::npos) << gp;
    EXPECT_NE(gp.find("set title 'total_population = 2000 people'"), std::string::npos);
    EXPECT_EQ(count_of(gp, "with filledcurves"), 6u); // three bands in each of the two panels
    EXPECT_EQ(count_of(dat, "(12 runs)"), 2u) << dat; // 4 * (1 + 2) Saltelli rows per policy
}

TEST_F(BatchReport, PlotScriptsNameNoServerPathAndRePlotInACopiedFolder) {
    const auto r = run_job(kPolicyAndUncertainty);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char *step : {"policy", "uncertainty"}) {
        const auto plots = dir / "out" / "steps" / step / "plots";
        const std::string gp = read(plots / "infectious.gp");
        EXPECT_EQ(gp.find(dir.string()), std::string::npos) << gp;
        EXPECT_EQ(gp.find("'/"), std::string::npos) << gp;
        // As downloaded: the folder somewhere else, `gnuplot infectious.gp` run inside it.
        const auto copy = dir / (std::string("copy-") + step);
        fs::copy(plots, copy);
        fs::remove(copy / "infectious.svg");
        fs::remove(copy / "infectious.png");
        const auto redraw = run_process("/bin/sh", {"-c", "cd '" + copy.string() + "' && gnuplot infectious.gp"});
        EXPECT_EQ(redraw.exit_code, 0) << redraw.err;
        EXPECT_EQ(read(copy / "infectious.svg"), read(plots / "infectious.svg")) << step;
    }
}

TEST_F(BatchReport, ColourByChoosesTheSweptVariableThatColoursTheRuns) {
    std::string steps = kPolicyAndUncertainty;
    steps.replace(steps.find("plots: [infectious]}"), 20, "plots: [infectious], colour_by: duration}");
    auto r = run_job(steps);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string policy = read(dir / "out" / "steps" / "policy" / "plots" / "infectious.gp");
    EXPECT_NE(policy.find("set cblabel 'duration (days)'"), std::string::npos) << policy;
    EXPECT_EQ(count_of(read(dir / "out" / "steps" / "policy" / "plots" / "infectious.dat"), " 6\n"), 2u * 101u);
    EXPECT_NE(policy.find("set title 'contact_infectivity = 0.3'"), std::string::npos);

    steps = kPolicyAndUncertainty;
    steps.replace(steps.find("plots: [infectious]}"), 20, "plots: [infectious], colour_by: contact}");
    fs::remove_all(dir / "out");
    r = run_job(steps);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("/steps/0/outputs/colour_by"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("overrides.contact_infectivity, overrides.duration"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out"));
}

} // namespace
