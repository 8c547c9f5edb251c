#include "batch/plots.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
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

bool have_gnuplot() {
    const fs::path log = fs::temp_directory_path() / ("holon-plots-test-probe-" + std::to_string(::getpid()) + ".log");
    const int status = run_program("gnuplot", {"-e", "print 1"}, log);
    std::error_code ec;
    fs::remove(log, ec);
    return status == 0;
}

class Plots : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("holon-plots-test-" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        time_ = {0, 1, 2, 3, 4};
        runs_ = {{0, 2, 4, 3, 1}, {1, 3, 5, 2, 0}, {0, 1, 1, 1, 1}};
    }
    void TearDown() override { fs::remove_all(dir_); }

    PlotRequest request() {
        PlotRequest r;
        r.dir = dir_;
        r.stem = "infectious";
        r.title = "a sweep: infectious across 3 runs";
        r.x_label = "time";
        r.y_label = "infectious";
        r.time = time_;
        for (const auto &run : runs_) r.runs.push_back(&run);
        r.run_labels = {"a=1", "a=2", "a=3"};
        return r;
    }

    fs::path dir_;
    std::vector<double> time_;
    std::vector<std::vector<double>> runs_;
};

TEST_F(Plots, TheScriptDrawsTheSvgThenThePngWithTheSamePlotCommand) {
    const PreparedPlot p = prepare_plot(request());
    const std::string script = read_file(p.script);
    const auto svg_at = script.find("set terminal svg"), png_at = script.find("set terminal pngcairo");
    ASSERT_NE(svg_at, std::string::npos);
    ASSERT_NE(png_at, std::string::npos);
    EXPECT_LT(svg_at, png_at);
    EXPECT_NE(script.find("replot"), std::string::npos);
    // The split scripts hold the plot command of the .gp file, each for one picture.
    const std::string plot = script.substr(script.find("plot '"), script.find("\nset terminal pngcairo") - script.find("plot '"));
    EXPECT_NE(p.svg_script.find(plot), std::string::npos);
    EXPECT_NE(p.png_script.find(plot), std::string::npos);
    EXPECT_EQ(p.svg_script.find("pngcairo"), std::string::npos);
    EXPECT_EQ(p.png_script.find("terminal svg"), std::string::npos);
}

TEST_F(Plots, DrawingSvgAndPngInTwoProcessesMakesTheSameFilesAsOneRun) {
    if (!have_gnuplot()) GTEST_SKIP() << "gnuplot is not installed";
    const PreparedPlot p = prepare_plot(request());
    ASSERT_EQ(draw_plot(p, "gnuplot", false), "");
    const std::string svg = read_file(p.svg), png = read_file(p.png);
    ASSERT_FALSE(svg.empty());
    ASSERT_FALSE(png.empty());
    fs::remove(p.svg);
    fs::remove(p.png);

    ASSERT_EQ(draw_plot(p, "gnuplot", true), "");
    EXPECT_EQ(read_file(p.svg), svg);
    EXPECT_EQ(read_file(p.png), png);
    std::vector<std::string> files;
    for (const auto &e : fs::directory_iterator(dir_)) files.push_back(e.path().filename().string());
    std::sort(files.begin(), files.end());
    EXPECT_EQ(files, (std::vector<std::string>{"infectious.dat", "infectious.gp", "infectious.png", "infectious.svg"}));
}

TEST_F(Plots, AMissingGnuplotIsReportedByBothWaysOfDrawing) {
    const PreparedPlot p = prepare_plot(request());
    for (bool split : {false, true}) {
        const std::string problem = draw_plot(p, "holon-no-such-gnuplot", split);
        EXPECT_NE(problem.find("could not be started"), std::string::npos) << problem;
    }
}

} // namespace
} // namespace holon::batch
