// Sweep plots a consultant can paste into a report: what each kind of sweep is drawn as, distinct
// colours, colour bars and panels, scripts that re-plot anywhere, and numbers rounded for people.
#include "batch/plots.hpp"
#include "batch/statistics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <unistd.h>

namespace holon::batch {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path &file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

size_t count_of(const std::string &text, const std::string &what) {
    size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

std::set<std::string> matches(const std::string &text, const std::string &pattern) {
    std::set<std::string> out;
    const std::regex re(pattern);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) out.insert((*it)[1]);
    return out;
}

bool have_gnuplot() {
    const fs::path log = fs::temp_directory_path() / ("holon-pictures-test-probe-" + std::to_string(::getpid()) + ".log");
    const int status = run_program("gnuplot", {"-e", "print 1"}, log);
    std::error_code ec;
    fs::remove(log, ec);
    return status == 0;
}

class Pictures : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("holon-pictures-test-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        for (int t = 0; t <= 10; ++t) time_.push_back(t);
    }
    void TearDown() override {
        if (!HasFailure()) fs::remove_all(dir_);
    }

    // `n` runs, run k rising to k + 1: a 4 x 3 grid when n is 12 (contact slowest, duration fastest).
    PlotRequest request(size_t n) {
        runs_.clear();
        for (size_t k = 0; k < n; ++k) {
            std::vector<double> v;
            for (double t : time_) v.push_back(static_cast<double>(k + 1) * t / 10.0);
            runs_.push_back(v);
        }
        PlotRequest r;
        r.dir = dir_;
        r.stem = "infectious";
        r.title = "SIR - policy: infectious";
        r.x_label = "time";
        r.x_units = "day";
        r.y_label = "infectious";
        r.y_units = "people";
        r.time = time_;
        for (size_t k = 0; k < n; ++k) {
            r.runs.push_back(&runs_[k]);
            r.run_labels.push_back("scenario " + std::to_string(k + 1));
        }
        return r;
    }

    // The 4 x 3 grid coloured by contact infectivity, a panel per duration.
    PlotRequest grid_request() {
        PlotRequest r = request(12);
        r.colour_label = "contact_infectivity";
        const double contact[] = {0.15, 0.2, 0.25, 0.3};
        const char *duration[] = {"4", "5", "6"};
        for (size_t k = 0; k < 12; ++k) {
            r.colour_values.push_back(contact[k / 3]);
            r.panels.push_back(std::string("duration = ") + duration[k % 3]);
        }
        return r;
    }

    fs::path dir_;
    std::vector<double> time_;
    std::vector<std::vector<double>> runs_;
};

TEST(RunColours, AreAllDifferentForAnyNumberOfRuns) {
    const std::regex hex("#[0-9a-f]{6}");
    for (size_t n : {1u, 2u, 8u, 9u, 10u, 12u, 13u, 30u, 100u, 360u}) {
        const auto colours = run_colours(n);
        ASSERT_EQ(colours.size(), n);
        EXPECT_EQ(std::set<std::string>(colours.begin(), colours.end()).size(), n) << n << " runs";
        for (const auto &c : colours) EXPECT_TRUE(std::regex_match(c, hex)) << c;
    }
    EXPECT_NE(run_colours(12)[8], run_colours(12)[0]); // no cycling of a short palette
}

TEST_F(Pictures, TwelveRunsWithoutAColourParameterGetTwelveColoursAndAKeyEntryEach) {
    const PreparedPlot p = prepare_plot(request(12));
    const std::string gp = read_file(p.script);
    EXPECT_EQ(matches(gp, "lc rgb '(#[0-9a-f]{6})' title").size(), 12u) << gp;
    for (int k = 1; k <= 12; ++k) EXPECT_NE(gp.find("title 'scenario " + std::to_string(k) + "'"), std::string::npos) << k;
    EXPECT_NE(gp.find("set key below"), std::string::npos); // not a column beside the plot
    EXPECT_EQ(gp.find(" dt "), std::string::npos);          // solid lines
    EXPECT_NE(gp.find("with lines lw 2 "), std::string::npos);
    if (!have_gnuplot()) GTEST_SKIP() << "gnuplot is not installed";
    ASSERT_EQ(draw_plot(p, "gnuplot", false), "");
    // In the picture itself: each run's line is drawn in its own colour.
    const std::string svg = read_file(p.svg);
    std::set<std::string> line_colours;
    for (int k = 1; k <= 12; ++k) {
        const auto at = svg.find("id=\"gnuplot_plot_" + std::to_string(k) + "\"");
        ASSERT_NE(at, std::string::npos) << k;
        std::smatch path; // the run's first path: its key sample and line
        const std::string rest = svg.substr(at);
        ASSERT_TRUE(std::regex_search(rest, path, std::regex("<path stroke='(rgb\\([^)]*\\))'"))) << k;
        line_colours.insert(path[1]);
    }
    EXPECT_EQ(line_colours.size(), 12u);
}

TEST_F(Pictures, APolicyGridIsDrawnRunByRunNeverAsAnEnvelope) {
    const PreparedPlot p = prepare_plot(grid_request());
    const std::string gp = read_file(p.script), dat = read_file(dir_ / "infectious.dat");
    EXPECT_EQ(gp.find("filledcurves"), std::string::npos) << gp;
    EXPECT_EQ(gp.find("median"), std::string::npos) << gp;
    EXPECT_EQ(dat.find("p25"), std::string::npos);
    // Every run is a line of its own (a comment with its label, then its rows), in one plot
    // element per panel whose third column is the run's colour value.
    for (int k = 1; k <= 12; ++k) EXPECT_EQ(count_of(dat, "# scenario " + std::to_string(k) + "\n"), 1u) << k;
    EXPECT_EQ(count_of(gp, "using 1:2:3 with lines lw 2 lc palette notitle"), 3u) << gp;
}

TEST_F(Pictures, SampledUncertaintyIsDrawnAsPercentileBandsAndTheMedian) {
    PlotRequest r = request(20);
    r.sampled = true;
    r.colour_label = "contact_infectivity";
    for (size_t k = 0; k < 20; ++k) r.colour_values.push_back(0.2 + 0.01 * static_cast<double>(k));
    const PreparedPlot p = prepare_plot(r);
    const std::string gp = read_file(p.script), dat = read_file(dir_ / "infectious.dat");
    EXPECT_EQ(count_of(gp, "with filledcurves"), 3u) << gp;
    for (const char *band : {"title 'min-max'", "title '5-95 %'", "title '25-75 %'", "title 'median'"})
        EXPECT_NE(gp.find(band), std::string::npos) << band;
    EXPECT_EQ(gp.find("index 1"), std::string::npos); // the runs themselves are not drawn
    EXPECT_NE(dat.find("# time min p5 p25 median p75 p95 max (20 runs)"), std::string::npos) << dat;
    // Row t=10: runs end at 1..20, so the median is 10.5 and the 5th percentile 1.95 (R type 7).
    std::istringstream row(dat.substr(dat.rfind("\n10 ") + 1));
    double t = 0, min = 0, p5 = 0, p25 = 0, median = 0, p75 = 0, p95 = 0, max = 0;
    ASSERT_TRUE(row >> t >> min >> p5 >> p25 >> median >> p75 >> p95 >> max) << dat;
    EXPECT_DOUBLE_EQ(min, 1);
    EXPECT_NEAR(p5, 1.95, 1e-12);
    EXPECT_NEAR(p25, 5.75, 1e-12);
    EXPECT_NEAR(median, 10.5, 1e-12);
    EXPECT_NEAR(p75, 15.25, 1e-12);
    EXPECT_NEAR(p95, 19.05, 1e-12);
    EXPECT_DOUBLE_EQ(max, 20);
}

TEST_F(Pictures, SampledRunsOfSeveralPoliciesGetAnEnvelopePerPolicyNeverOneAcrossThem) {
    PlotRequest r = request(12);
    r.sampled = true;
    for (size_t k = 0; k < 12; ++k) r.panels.push_back(k < 6 ? "distancing = 0" : "distancing = 1");
    const PreparedPlot p = prepare_plot(r);
    const std::string gp = read_file(p.script), dat = read_file(dir_ / "infectious.dat");
    EXPECT_NE(gp.find("set multiplot layout 1,2"), std::string::npos) << gp;
    EXPECT_EQ(count_of(gp, "with filledcurves"), 6u);
    EXPECT_NE(gp.find("'' index 1 using 1:5 with lines"), std::string::npos); // the second policy's median
    EXPECT_EQ(count_of(dat, "(6 runs)"), 2u) << dat;
    // Runs 1..6 end at 1..6 and runs 7..12 at 7..12: each policy's median at t=10 is its own.
    EXPECT_NE(dat.find("\n10 1 1.25 2.25 3.5 4.75 5.75 6\n"), std::string::npos) << dat;
    EXPECT_NE(dat.find("\n10 7 7.25 8.25 9.5 10.75 11.75 12\n"), std::string::npos) << dat;

    for (size_t k = 0; k < 12; ++k) r.panels[k] = "policy " + std::to_string(k); // too many for panels
    const std::string many = read_file(prepare_plot(r).script);
    EXPECT_EQ(many.find("filledcurves"), std::string::npos);
    EXPECT_EQ(matches(many, "lc rgb '(#[0-9a-f]{6})' title").size(), 12u);
}

TEST_F(Pictures, ARunsColourComesFromTheChosenParameterWithAColourBarAndPanelsForTheOthers) {
    const PreparedPlot p = prepare_plot(grid_request());
    const std::string gp = read_file(p.script);
    EXPECT_NE(gp.find("set cblabel 'contact_infectivity'"), std::string::npos) << gp;
    EXPECT_NE(gp.find("set cbtics (0.15, 0.2, 0.25, 0.3)"), std::string::npos) << gp;
    // One band per value, in colours that differ: the bar reads as a key.
    const auto bands = matches(gp, "set palette defined \\(0 ('#[0-9a-f]{6}'), 1 \\1, 1 ('#[0-9a-f]{6}'), 2 \\2, 2 ('#[0-9a-f]{6}'), 3 \\3, 3 ('#[0-9a-f]{6}'), 4 \\4\\)");
    EXPECT_EQ(bands.size(), 1u) << gp;
    EXPECT_NE(gp.find("set cbrange [0.125:0.325]"), std::string::npos) << gp; // each value mid-band
    const std::string dat = read_file(dir_ / "infectious.dat");
    EXPECT_EQ(count_of(dat, " 0.15\n"), 3u * 11u); // three runs of 11 rows at contact 0.15
    EXPECT_EQ(count_of(dat, " 0.3\n"), 3u * 11u);
    EXPECT_EQ(count_of(dat, "# panel: duration = 6\n"), 1u);
    EXPECT_NE(gp.find("set multiplot layout 1,3"), std::string::npos);
    for (const char *panel : {"set title 'duration = 4'", "set title 'duration = 5'", "set title 'duration = 6'"})
        EXPECT_NE(gp.find(panel), std::string::npos) << panel;
    EXPECT_EQ(count_of(gp, "set colorbox user"), 1u); // one colour bar for the three panels
    EXPECT_NE(gp.find("unset key"), std::string::npos);
    // Units on both axes and on the colour bar's label when known.
    EXPECT_NE(gp.find("set xlabel 'time (day)'"), std::string::npos);
    EXPECT_NE(gp.find("set ylabel 'infectious (people)'"), std::string::npos);
    if (!have_gnuplot()) GTEST_SKIP() << "gnuplot is not installed";
    ASSERT_EQ(draw_plot(p, "gnuplot", false), "");
    const std::string svg = read_file(p.svg);
    EXPECT_NE(svg.find("contact_infectivity"), std::string::npos);
    EXPECT_NE(svg.find("duration = 6"), std::string::npos);
}

TEST_F(Pictures, TooManyPanelsOrRunsWithoutValuesFallBackToOnePanel) {
    PlotRequest r = grid_request();
    for (size_t k = 0; k < 12; ++k) r.panels[k] = "panel " + std::to_string(k); // 12 panels: too many
    std::string gp = read_file(prepare_plot(r).script);
    EXPECT_EQ(gp.find("multiplot"), std::string::npos);
    EXPECT_NE(gp.find("set cblabel 'contact_infectivity'"), std::string::npos);

    r = grid_request();
    r.colour_values[3] = std::nan(""); // a run without the parameter: colours by run
    gp = read_file(prepare_plot(r).script);
    EXPECT_EQ(gp.find("lc palette cb 0.15"), std::string::npos);
    EXPECT_EQ(matches(gp, "lc rgb '(#[0-9a-f]{6})' title").size(), 12u);
}

TEST_F(Pictures, ManyRunsWithoutAParameterAreNumberedOnAColourBarInsteadOfAKey) {
    const std::string gp = read_file(prepare_plot(request(40)).script);
    EXPECT_NE(gp.find("unset key"), std::string::npos);
    EXPECT_EQ(gp.find(" title 'scenario"), std::string::npos);
    EXPECT_NE(gp.find("set cbrange [0.5:40.5]"), std::string::npos) << gp;
    EXPECT_NE(gp.find("using 1:2:3 with lines lw 2 lc palette notitle"), std::string::npos);
    const std::string dat = read_file(dir_ / "infectious.dat");
    EXPECT_EQ(count_of(dat, "# scenario 40\n"), 1u);
    EXPECT_EQ(count_of(dat, "\n10 40 40\n"), 1u); // the 40th run's last row, coloured 40
}

TEST_F(Pictures, ScriptsNameNoAbsolutePathAndRePlotInACopiedFolder) {
    const PreparedPlot p = prepare_plot(grid_request());
    for (const std::string &script : {read_file(p.script), p.svg_script, p.png_script}) {
        EXPECT_EQ(script.find(dir_.string()), std::string::npos) << script;
        EXPECT_EQ(script.find("'/"), std::string::npos) << script;
        EXPECT_EQ(script.find("\"/"), std::string::npos) << script;
        EXPECT_NE(script.find("'infectious.dat'"), std::string::npos);
    }
    if (!have_gnuplot()) GTEST_SKIP() << "gnuplot is not installed";
    // A downloaded folder: the .gp and .dat alone, somewhere else, drawn by plain `gnuplot x.gp`.
    const fs::path copy = dir_ / "downloaded";
    fs::create_directories(copy);
    fs::copy_file(p.script, copy / "infectious.gp");
    fs::copy_file(dir_ / "infectious.dat", copy / "infectious.dat");
    const int status = run_program("sh", {"-c", "cd '" + copy.string() + "' && gnuplot infectious.gp"}, dir_ / "sh.log");
    EXPECT_EQ(status, 0) << read_file(dir_ / "sh.log");
    EXPECT_GT(fs::file_size(copy / "infectious.svg"), 1000u);
    EXPECT_GT(fs::file_size(copy / "infectious.png"), 1000u);
    EXPECT_FALSE(fs::exists(dir_ / "infectious.svg")); // nothing drawn where the script was made
}

TEST(Units, FollowTheLabelWhenKnown) {
    EXPECT_EQ(with_units("infectious", "people"), "infectious (people)");
    EXPECT_EQ(with_units("infectious", ""), "infectious");
    EXPECT_EQ(with_units("fraction", "dmnl"), "fraction"); // Vensim's "dimensionless" says nothing on an axis
    EXPECT_EQ(with_units("time", "Time"), "time");           // XMILE's default time units
    EXPECT_EQ(with_units("peak time", "Time"), "peak time");
}

TEST(RoundedText, KeepsFourSignificantDigits) {
    EXPECT_EQ(rounded_text(0.0002020562085900792), "0.0002021");
    EXPECT_EQ(rounded_text(119.6412345), "119.6");
    EXPECT_EQ(rounded_text(12.430246248000513), "12.43");
    EXPECT_EQ(rounded_text(5), "5");
    EXPECT_EQ(rounded_text(100), "100");
    EXPECT_EQ(rounded_text(0.30000000000000004), "0.3");
    EXPECT_EQ(rounded_text(9999.7), "10000"); // rounding carries into the next digit
    EXPECT_EQ(rounded_text(1234567), "1235000");
    EXPECT_EQ(rounded_text(12345678), "1.235e+07");
    EXPECT_EQ(rounded_text(0.00001234567), "1.235e-05");
    EXPECT_EQ(rounded_text(-0.00001), "-1e-05");
    EXPECT_EQ(rounded_text(-2.5e-9 * 0), "0"); // no "-0"
    EXPECT_EQ(rounded_text(-47.123), "-47.12");
    EXPECT_EQ(rounded_text(std::nan("")), "");
    EXPECT_EQ(rounded_text(0.123456789, 6), "0.123457");
}

} // namespace
} // namespace holon::batch
