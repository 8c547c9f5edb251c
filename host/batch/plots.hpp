// Line plots of one variable across the runs of a step, drawn by gnuplot (a subprocess running a
// generated script), as SVG and PNG. The data and the script stay beside the pictures so that a
// practitioner can restyle a plot and re-run gnuplot on it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace holon::batch {

struct PlotRequest {
    std::filesystem::path dir;  // where <stem>.dat/.gp/.svg/.png go
    std::string stem;           // file stem
    std::string title, x_label, y_label;
    std::vector<double> time;
    std::vector<const std::vector<double> *> runs; // one series per successful run
    std::vector<std::string> run_labels;           // shown when the runs are drawn one by one
};

// Runs of at most this many are also drawn one by one over the envelope.
inline constexpr size_t max_individual_lines = 12;

// A plot whose data (.dat) and script (.gp) are written and which gnuplot has yet to draw.
struct PreparedPlot {
    std::filesystem::path script, svg, png, log;
    // The same drawing as the .gp script cut into an SVG-only and a PNG-only script, so that two
    // gnuplot processes can draw the two pictures at the same time.
    std::string svg_script, png_script;
};

// Writes the data and script. One run: a line. Several: the min-max, 5-95 and 25-75 percentile
// bands and the median. Throws std::runtime_error when the files cannot be written.
PreparedPlot prepare_plot(const PlotRequest &request);

class GnuplotPool;

// Draws a prepared plot: one gnuplot run of its .gp script or, when `split`, an SVG run and a PNG
// run at the same time (the pictures are the same), by processes taken from `warm` when given.
// Returns "" on success, else why no picture was made.
std::string draw_plot(const PreparedPlot &plot, const std::string &gnuplot, bool split, GnuplotPool *warm = nullptr);

// prepare_plot + draw_plot(not split). Returns "" on success, else why no picture was made.
std::string render_plot(const PlotRequest &request, const std::string &gnuplot = "gnuplot");

// Runs `program args...` with stdin from /dev/null and stdout+stderr into `log`; returns the exit
// status (127 when the program cannot be started, 128+signal when it was killed).
int run_program(const std::string &program, const std::vector<std::string> &args, const std::filesystem::path &log);

// run_program in two steps, so that several programs can run at once: spawn_program returns the
// child's pid (-1 when it cannot be started) and wait_program its exit status as above.
int spawn_program(const std::string &program, const std::vector<std::string> &args, const std::filesystem::path &log);
int wait_program(int pid);

} // namespace holon::batch
