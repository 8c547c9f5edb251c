// Plots of a step with outcomes (internal to holon_batch): for each scalar outcome its histogram
// and the outcome against each swept input, and for each series outcome the runs coloured by a
// swept input (outputs.colour_by) under their percentile envelope. Every picture's data is binned
// or thinned first, so that it stays small for any number of points.
#pragma once

#include "batch/plots.hpp"
#include "batch/run_state.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace holon::batch {

// Up to this many runs a scatter draws each run as a point; beyond, counts in cells.
inline constexpr size_t max_scatter_points = 500;
inline constexpr size_t scatter_cells_x = 40, scatter_cells_y = 30;
// Inputs drawn against an outcome (the histogram is the sixth panel).
inline constexpr size_t max_scatter_inputs = 5;
// Series read from series.csv (every k-th point beyond), and lines drawn of them.
inline constexpr size_t max_series_runs = 2000, max_series_lines = 200;

// Bins for a histogram of n values: the square-root rule, 5 to 40.
size_t histogram_bins(size_t n);

// `bins` equal bins from the smallest finite value to the largest, with the count of each
// (NaN and infinities left out). All values equal: one-wide bins centred on the value.
Bins bin_values(const std::vector<double> &values, size_t bins);

// The bin of v in b (clamped to the first and last).
size_t bin_of(const Bins &b, double v);

// The outcome against one input: its points up to max_scatter_points, else the counts of the
// non-empty cells of a scatter_cells_x x scatter_cells_y grid.
OutcomePlotRequest::Scatter outcome_scatter(const std::vector<double> &input, const std::vector<double> &outcome);

struct StepPlot {
    std::string name;      // "<step>/<outcome>"
    std::string svg_file;  // relative to the output folder
    PreparedPlot prepared;
};

// Writes the data and scripts of a step's outcome plots into steps/<step>/plots/.
std::vector<StepPlot> prepare_outcome_plots(const std::string &job_name, const StepState &st, const std::filesystem::path &out_dir,
                                            std::vector<std::string> &warnings);

} // namespace holon::batch
