// What the runner knows about each step and point while a batch runs (internal to holon_batch).
#pragma once

#include "batch/batch.hpp"
#include "batch/batch_spec.hpp"
#include "batch/statistics.hpp"

#include <map>
#include <mutex>
#include <optional>

namespace holon::batch {

struct PointState {
    bool recorded = false; // in the journal (this or an earlier invocation)
    bool ok = false;
    int session = 0;
    std::string problem, error;
    double wall_seconds = 0;
    nlohmann::json result;                  // the method's result document (null if none)
    std::string table;                      // the table the statistics come from
    std::vector<std::string> columns;       // statistic columns in table order
    std::map<std::string, SeriesStats> stats;
    std::vector<double> outcomes;           // steps with outcomes: the scalar outcomes in spec order
};

struct StepState {
    const StepSpec *spec = nullptr;
    std::vector<PointState> points;
    std::string skipped;                    // why the step did not run ("" = it ran)
    // Plot data, filled as runs finish (or read back from disk for reused points).
    std::vector<double> time;
    std::map<std::string, std::vector<std::vector<double>>> series; // variable -> per point (empty if none)
    std::vector<std::string> plot_variables;
    std::vector<std::string> plot_files;    // relative to the output folder (svg)
    // Display names and units of the statistic, plot and time columns, where the method gave them.
    std::map<std::string, std::string> labels, units;
};

// The point's folder name: p0000, p0001, ... (at least four digits).
std::string point_id(size_t index, size_t count);
// The point's label in reports: the scenario name, else its id.
std::string point_label(const StepSpec &step, size_t index);

// Finds a column by name: exactly, else ignoring case and treating ' ' and '_' alike.
std::optional<size_t> find_column(const std::vector<std::string> &columns, const std::string &name);

class GnuplotPool;

// Writes summary.csv of every step, the plots (by processes from `warm` when given), results.json
// and index.html.
void write_reports(const BatchSpec &spec, std::vector<StepState> &steps, const BatchOptions &options,
                   BatchReport &report, const std::function<void(const std::string &)> &note, GnuplotPool *warm = nullptr);

// Whether each plot's SVG and PNG are drawn by two processes at once, given `lanes` at a time.
bool split_plots(size_t plots, unsigned lanes);
// How many gnuplot processes to start ahead for `plots` plots drawn `lanes` at a time: one per
// plot drawn at once. A split plot's second (SVG) process starts when drawing: the SVG terminal
// needs no fonts, and warming it would take CPU from the runs, which keep every lane busy.
size_t warm_gnuplot_processes(size_t plots, unsigned lanes);

} // namespace holon::batch
