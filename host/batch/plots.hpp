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

// Writes the data and script and runs `gnuplot`. One run: a line. Several: the min-max, 5-95 and
// 25-75 percentile bands and the median. Returns "" on success, else why no picture was made.
std::string render_plot(const PlotRequest &request, const std::string &gnuplot = "gnuplot");

// Runs `program args...` with stdin from /dev/null and stdout+stderr into `log`; returns the exit
// status (127 when the program cannot be started, 128+signal when it was killed).
int run_program(const std::string &program, const std::vector<std::string> &args, const std::filesystem::path &log);

} // namespace holon::batch
