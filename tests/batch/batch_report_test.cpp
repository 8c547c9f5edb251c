// The report and plots of `holon batch` as a practitioner takes them away: index.html is one file
// (pictures inline, no link to a file beside it), numbers rounded for reading, plot scripts that
// re-plot from any folder, envelopes only for sampled uncertainty.
#include "../cli/cli_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

// A Sobol design with a series outcome, coloured by an uncertainty, and explore.sobol on its tables.
const char *kSobolPipeline = R"(  - name: sample
    method: sd.simulate
    input: sir
    params: {save_step: 1}
    sweep:
      sobol: {samples: 64, second_order: false, seed: 7}
      uncertainties:
        - {name: overrides.contact_infectivity, min: 0.2, max: 0.4}
        - {name: overrides.duration, min: 3, max: 7}
    outcomes:
      - {name: peak, variable: infectious, kind: max}
      - {name: infectious, variable: infectious, kind: series}
    outputs: {colour_by: overrides.duration}
  - name: indices
    method: explore.sobol
    tables_from: sample
    params: {seed: 1, resamples: 20}
)";

// The cells of the row of an index table whose factor cell names `factor` (title = its path).
std::vector<std::string> index_row(const std::string &html, const std::string &outcome, const std::string &factor) {
    const std::string start = "<tr><td class=\"text\">" + outcome + "</td><td class=\"text\" title=\"" + factor + "\">";
    const auto at = html.find(start);
    if (at == std::string::npos) return {};
    const std::string row = html.substr(at, html.find("</tr>", at) - at);
    return all_matches(row, "<td>([^<]*)</td>");
}

TEST_F(BatchReport, AnExploreSobolStepPutsItsPictureAndIndexTableInTheReport) {
    const auto r = run_job(kSobolPipeline);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string index = read(dir / "out" / "index.html");
    // The method's own picture, inline (ids prefixed like gnuplot's), named by its file.
    EXPECT_NE(index.find("<figcaption>steps/indices/runs/p0000/sobol-peak.svg"), std::string::npos);
    const auto figure = index.rfind("<svg", index.find("<figcaption>steps/indices/runs/p0000/sobol-peak.svg"));
    ASSERT_NE(figure, std::string::npos);
    EXPECT_NE(index.find("first order S1", figure), std::string::npos); // the picture's legend, not a link
    EXPECT_EQ(index.find("<img"), std::string::npos);
    // The index table: S1, its interval, ST, its interval per factor, rounded like the rest.
    const auto result = nlohmann::json::parse(read(dir / "out" / "steps" / "indices" / "runs" / "p0000" / "result.json"));
    for (const auto &f : result["outcomes"][0]["factors"]) {
        const std::string path = f["name"];
        const auto cells = index_row(index, "peak (people)", path);
        ASSERT_EQ(cells.size(), 4u) << path;
        size_t k = 0;
        for (const char *key : {"S1", "S1_conf", "ST", "ST_conf"}) {
            const double shown = std::stod(cells[k++]), exact = f[key].get<double>();
            EXPECT_LE(significant_digits(cells[k - 1]), 4u) << cells[k - 1];
            EXPECT_NEAR(shown, exact, 5e-4 * std::fabs(exact)) << path << " " << key;
        }
    }
    // The model's names and units (from its variables: the runs' tables stay in the runners), the
    // path on hover.
    EXPECT_NE(index.find("title=\"overrides.duration\">duration (days)</td>"), std::string::npos);
    // No path of the machine that ran it, in the report or in any script beside a picture.
    EXPECT_EQ(index.find(dir.string()), std::string::npos);
    for (const auto &e : fs::recursive_directory_iterator(dir / "out"))
        if (e.path().extension() == ".gp") {
            EXPECT_EQ(read(e.path()).find(dir.string()), std::string::npos) << e.path();
        }
}

TEST_F(BatchReport, ASampledSeriesOutcomeIsDrawnRunByRunInTheColoursOfAnUncertaintyUnderItsEnvelope) {
    const auto r = run_job(kSobolPipeline);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto plots = dir / "out" / "steps" / "sample" / "plots";
    const std::string gp = read(plots / "infectious.gp"), dat = read(plots / "infectious.dat");
    EXPECT_NE(gp.find("set cblabel 'duration (days)'"), std::string::npos) << gp;
    EXPECT_NE(gp.find("set ylabel 'infectious (people)'"), std::string::npos) << gp;
    EXPECT_NE(gp.find("set colorbox user"), std::string::npos) << gp;
    EXPECT_NE(gp.find("lc palette notitle"), std::string::npos) << gp;
    EXPECT_NE(gp.find("title 'median'"), std::string::npos) << gp;
    // 64 x 4 = 256 runs: at most 200 lines drawn (every 2nd: 128), the envelope of all 256 after them.
    EXPECT_EQ(count_of(dat, "\n# time value colour\n"), 1u);
    EXPECT_EQ(count_of(dat, "# time min p5 p25 median p75 p95 max (256 runs)"), 1u);
    EXPECT_EQ(count_of(dat, "\n# p"), 128u) << "one label line per drawn run";
    EXPECT_TRUE(fs::exists(plots / "infectious.svg"));
    EXPECT_TRUE(fs::exists(plots / "infectious.png"));
    const std::string index = read(dir / "out" / "index.html");
    EXPECT_NE(index.find("<figcaption>steps/sample/plots/infectious.svg"), std::string::npos);
    EXPECT_NE(index.find("<figcaption>steps/sample/plots/peak-distribution.svg"), std::string::npos);
    // The first rows show each point's outcome, rounded.
    EXPECT_NE(index.find("<th>peak (people)</th>"), std::string::npos);
}

TEST_F(BatchReport, AScalarOutcomeOfManyRunsIsDrawnFromBinnedData) {
    // 2,048 x 4 = 8,192 runs: the histogram and both scatters are counts in bins, not points.
    std::string steps = kSobolPipeline;
    steps.replace(steps.find("samples: 64"), 11, "samples: 2048");
    const std::string series_outcome = "      - {name: infectious, variable: infectious, kind: series}\n";
    steps.erase(steps.find(series_outcome), series_outcome.size());
    steps = steps.substr(0, steps.find("  - name: indices"));
    const auto r = run_job(steps);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string dat = read(dir / "out" / "steps" / "sample" / "plots" / "peak-distribution.dat");
    // Three blocks (histogram, against contact_infectivity, against duration), blank lines between.
    std::vector<size_t> rows(1, 0);
    std::istringstream lines(dat);
    size_t blank = 0;
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) {
            if (++blank == 2) rows.push_back(0);
            continue;
        }
        blank = 0;
        if (line[0] != '#') ++rows.back();
    }
    ASSERT_EQ(rows.size(), 3u) << dat.substr(0, 400);
    EXPECT_EQ(rows[0], 40u);           // the square-root rule capped at 40 bins
    EXPECT_GT(rows[1], 40u);           // non-empty cells of a 40 x 30 grid
    EXPECT_LE(rows[1], 40u * 30u);
    EXPECT_LE(rows[2], 40u * 30u);
    EXPECT_LT(rows[1] + rows[2], 8192u / 2); // fewer rows than the runs they draw
    // The histogram counts every run once.
    size_t total = 0;
    std::istringstream hist(dat.substr(0, dat.find("\n\n\n")));
    for (std::string line; std::getline(hist, line);)
        if (!line.empty() && line[0] != '#') total += std::stoul(line.substr(line.find(' ') + 1));
    EXPECT_EQ(total, 8192u);
    EXPECT_NE(read(dir / "out" / "steps" / "sample" / "plots" / "peak-distribution.gp").find("with boxxyerror fc palette"), std::string::npos);
}

TEST_F(BatchReport, AnOutcomeUnderSeveralPoliciesIsDrawnPolicyByPolicy) {
    const auto r = run_job(R"(  - name: policies
    method: sd.simulate
    input: sir
    params: {save_step: 1}
    sweep:
      morris: {trajectories: 10, levels: 4, seed: 3}
      uncertainties:
        - {name: overrides.duration, min: 3, max: 7}
      levers:
        - {name: overrides.contact_infectivity, values: [0.25, 0.35]}
    outcomes:
      - {name: peak, variable: infectious, kind: max}
)");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto plots = dir / "out" / "steps" / "policies" / "plots";
    const std::string dat = read(plots / "peak-distribution.dat"), gp = read(plots / "peak-distribution.gp");
    EXPECT_NE(dat.find("# bin centre, runs, contact_infectivity = 0.25, contact_infectivity = 0.35\n"), std::string::npos) << dat;
    EXPECT_EQ(count_of(gp, "with histeps"), 2u) << gp; // one line per policy
    EXPECT_NE(gp.find("title 'contact_infectivity = 0.35'"), std::string::npos) << gp;
    // 2 policies x 10 trajectories x 2 rows: each point against duration with its policy in a third column.
    const std::string against = dat.substr(dat.find("# duration (days)\n"));
    EXPECT_EQ(count_of(against, " 0\n"), 20u);
    EXPECT_EQ(count_of(against, " 1\n"), 20u);
}

} // namespace
