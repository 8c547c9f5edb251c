// Line plots of one variable across the runs of a step, drawn by gnuplot (a subprocess running a
// generated script), as SVG and PNG. The data and the script stay beside the pictures so that a
// practitioner can restyle a plot and re-run gnuplot on it.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <vector>

namespace holon::batch {

struct PlotRequest {
    std::filesystem::path dir;  // where <stem>.dat/.gp/.svg/.png go
    std::string stem;           // file stem
    std::string title, x_label, y_label;
    std::string x_units, y_units; // shown after the labels when known
    std::vector<double> time;
    std::vector<const std::vector<double> *> runs; // one series per successful run
    std::vector<std::string> run_labels;           // one per run: its key entry
    // The runs are draws of uncertain inputs (Latin hypercube, Monte Carlo): drawn as percentile
    // bands and their median. Otherwise (a policy grid, scenarios) each run is its own line, since
    // a percentile across chosen options means nothing.
    bool sampled = false;
    // Colouring by a swept parameter: its name, units and each run's value (one per run). Empty, or
    // fewer than two distinct values: each run gets its own colour and a key entry.
    std::string colour_label, colour_units;
    std::vector<double> colour_values;
    // Small multiples: each run's panel ("duration = 4"), one per run; empty = one panel. Drawn as
    // panels when there are 2 to max_panels distinct ones, else in one panel. Sampled runs in
    // panels (a policy's draws) get an envelope each; with too many panels, a line each.
    std::vector<std::string> panels;
    // Sampled runs coloured by colour_values: each run a line from the colour bar, the envelope's
    // median and 5-95 % drawn over them (a panel per policy as for envelopes). With max_lines, only
    // every k-th run is drawn so that at most that many lines are; the envelope is of all runs.
    bool colour_runs = false;
    size_t max_lines = 0;
};

// More distinct colours than this and the runs are told apart by a colour bar, not a key.
inline constexpr size_t max_key_entries = 12;
inline constexpr size_t max_panels = 6;

// `count` colours ("#rrggbb"), all different: a qualitative palette for up to 10, hues spread
// evenly in three lightnesses beyond.
std::vector<std::string> run_colours(size_t count);

// A label with its units: "infectious (people)", or the label alone.
std::string with_units(const std::string &label, const std::string &units);

// A plot whose data (.dat) and script (.gp) are written and which gnuplot has yet to draw. The
// script names its files relative to its own folder (gnuplot runs there): a copied or downloaded
// folder re-plots with `gnuplot <stem>.gp`.
struct PreparedPlot {
    std::filesystem::path script, svg, png, log;
    // The same drawing as the .gp script cut into an SVG-only and a PNG-only script, so that two
    // gnuplot processes can draw the two pictures at the same time.
    std::string svg_script, png_script;
};

// Writes the data and script. One run: a line. Sampled runs: the min-max, 5-95 and 25-75
// percentile bands and the median. Other runs: a line each, coloured by colour_values with a
// colour bar or each its own colour with a key below. Throws std::runtime_error when the files
// cannot be written.
PreparedPlot prepare_plot(const PlotRequest &request);

// Every how many runs one is drawn when at most `max_lines` of `runs` are (1 = all).
inline size_t line_stride(size_t runs, size_t max_lines) { return max_lines == 0 || runs <= max_lines ? 1 : (runs + max_lines - 1) / max_lines; }

// Counts of values in equal bins from lo: bin k is [lo + k width, lo + (k+1) width), the last one
// closed.
struct Bins {
    double lo = 0, width = 1;
    std::vector<size_t> counts;
};

// The distribution of one scalar outcome across a step's runs: its histogram and, per swept
// input, the outcome against the input, as points (few runs) or as counts in a grid of cells
// (many runs), so that the data and the picture stay small for any number of runs.
struct OutcomePlotRequest {
    std::filesystem::path dir;
    std::string stem, title;
    std::string label, units; // the outcome
    Bins histogram;
    struct Scatter {
        std::string x_label, x_units;
        std::vector<std::pair<double, double>> points; // (input, outcome) of every run, or empty:
        Bins x, y;                                     // the cells' edges (counts unused)
        std::vector<std::array<size_t, 3>> cells;      // (x bin, y bin, runs) of non-empty cells
        std::vector<size_t> point_groups;              // with groups: each point's group
    };
    std::vector<Scatter> scatter;
    // Policies of a design with levers (2 to max_panels), by name: the histogram gets a line per
    // policy (group_counts, in the histogram's bins) and the points a colour per policy.
    std::vector<std::string> groups;
    std::vector<std::vector<size_t>> group_counts;
};

// Writes the data (.dat: the histogram as index 0, each scatter as the next) and the script.
PreparedPlot prepare_outcome_plot(const OutcomePlotRequest &request);

class GnuplotPool;

// Draws a prepared plot in the plot's folder: one gnuplot run of its .gp script or, when `split`, an SVG run and a PNG
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
