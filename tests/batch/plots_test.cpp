#include "batch/plots.hpp"
#include "batch/warm_gnuplot.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <cerrno>
#include <fcntl.h>
#include <sys/wait.h>
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

TEST_F(Plots, TheScriptDrawsTheSvgThenThePngWithTheSameDrawing) {
    const PreparedPlot p = prepare_plot(request());
    const std::string script = read_file(p.script);
    EXPECT_NE(script.find("pictures = 'svg png'\n"), std::string::npos) << script;
    const auto svg_at = script.find("set terminal svg"), png_at = script.find("set terminal pngcairo");
    ASSERT_NE(svg_at, std::string::npos);
    ASSERT_NE(png_at, std::string::npos);
    EXPECT_LT(svg_at, png_at);
    // The split scripts are the .gp file's drawing, each told to draw one picture.
    const std::string body = script.substr(script.find("do for [picture in pictures]"));
    EXPECT_EQ(p.svg_script, "pictures = 'svg'\n" + body);
    EXPECT_EQ(p.png_script, "pictures = 'png'\n" + body);
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
        GnuplotPool warm("holon-no-such-gnuplot");
        warm.prestart(2);
        const std::string warm_problem = draw_plot(p, "holon-no-such-gnuplot", split, &warm);
        EXPECT_NE(warm_problem.find("could not be started"), std::string::npos) << warm_problem;
    }
}

TEST_F(Plots, WarmProcessesDrawTheSameFilesAsFreshOnes) {
    if (!have_gnuplot()) GTEST_SKIP() << "gnuplot is not installed";
    const PreparedPlot p = prepare_plot(request());
    ASSERT_EQ(draw_plot(p, "gnuplot", false), "");
    const std::string svg = read_file(p.svg), png = read_file(p.png);
    for (bool split : {false, true}) {
        fs::remove(p.svg);
        fs::remove(p.png);
        GnuplotPool warm("gnuplot");
        warm.prestart(split ? 2 : 1);
        ASSERT_EQ(draw_plot(p, "gnuplot", split, &warm), "") << "split " << split;
        EXPECT_EQ(read_file(p.svg), svg) << "split " << split;
        EXPECT_EQ(read_file(p.png), png) << "split " << split;
        // The warm-up drew nothing anyone sees and said nothing: no log, no stray file.
        std::vector<std::string> files;
        for (const auto &e : fs::directory_iterator(dir_)) files.push_back(e.path().filename().string());
        std::sort(files.begin(), files.end());
        EXPECT_EQ(files, (std::vector<std::string>{"infectious.dat", "infectious.gp", "infectious.png", "infectious.svg"}));
    }
}

TEST_F(Plots, AWarmProcessPutsGnuplotsComplaintsInTheLog) {
    if (!have_gnuplot()) GTEST_SKIP() << "gnuplot is not installed";
    const fs::path script = dir_ / "bad.gp", log = dir_ / "bad.log";
    std::ofstream(script) << "set terminal svg\nset output '" << (dir_ / "bad.svg").string() << "'\nplot no_such_function(x)\n";
    WarmGnuplot gnuplot("gnuplot");
    EXPECT_NE(gnuplot.run(script, log), 0);
    const std::string said = read_file(log);
    EXPECT_NE(said.find("undefined function"), std::string::npos) << said;
    EXPECT_EQ(said.find("warm"), std::string::npos) << said;
}

// gnuplot lists its own open files (through a shell it starts, whose parent it is).
std::vector<std::string> gnuplot_fds(const std::string &log_text) {
    std::vector<std::string> fds;
    std::istringstream in(log_text.substr(log_text.find("fds:") + 4));
    for (std::string fd; in >> fd;) fds.push_back(fd);
    return fds;
}

TEST_F(Plots, GnuplotGetsNoneOfTheHostsOtherFiles) {
    if (!have_gnuplot()) GTEST_SKIP() << "gnuplot is not installed";
    // An inheritable descriptor, as a server's client socket or database may be.
    const int leaked = ::fcntl(::open("/dev/null", O_RDONLY), F_DUPFD, 200);
    ASSERT_GE(leaked, 200);
    const fs::path script = dir_ / "fds.gp", log = dir_ / "fds.log";
    std::ofstream(script) << "print 'fds: ' . system('ls /proc/$PPID/fd | tr \"\\n\" \" \"')\n";
    for (bool warm : {false, true}) {
        const int status = warm ? WarmGnuplot("gnuplot").run(script, log) : run_program("gnuplot", {script.string()}, log);
        ASSERT_EQ(status, 0) << read_file(log);
        const auto fds = gnuplot_fds(read_file(log));
        EXPECT_FALSE(fds.empty()) << read_file(log);
        EXPECT_EQ(std::count(fds.begin(), fds.end(), std::to_string(leaked)), 0) << "warm " << warm << ": " << read_file(log);
    }
    ::close(leaked);
}

TEST_F(Plots, UnusedWarmProcessesAreReapedWithTheirPool) {
    if (!have_gnuplot()) GTEST_SKIP() << "gnuplot is not installed";
    {
        GnuplotPool warm("gnuplot");
        warm.prestart(3);
        auto one = warm.take(); // taken but never run: reaped on its own
    }
    errno = 0;
    EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1); // no child left, not even a zombie
    EXPECT_EQ(errno, ECHILD);
}

} // namespace
} // namespace holon::batch
