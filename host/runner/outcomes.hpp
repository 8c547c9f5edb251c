// Outcomes of a run, computed from its series where the run happens: scalar outcomes (final
// value, min/max and the time of it, mean or integral over a window, the time a threshold is
// crossed) and time-series outcomes. Shared by the host (which parses the batch document) and the
// runner (which computes them for every point of a sweep chunk, so only numbers travel back).
#pragma once

#include "task_types.hpp"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace holon::runner {

enum class OutcomeKind { initial, final, min, max, time_of_min, time_of_max, mean, integral, crossing, series };

struct Outcome {
    std::string name;     // the column in the outcomes table
    std::string variable; // the column of the run's table it is computed from
    OutcomeKind kind = OutcomeKind::final;
    std::optional<double> from, to; // the window (times, both included); none = the whole run
    double threshold = 0;           // crossing
    int direction = 0;              // crossing: +1 upwards, -1 downwards, 0 either
};

struct OutcomeSpec {
    std::string table;         // "" = the first table the method puts
    std::string time = "time"; // its time column
    std::vector<Outcome> outcomes;

    nlohmann::json to_json() const;
    static OutcomeSpec from_json(const nlohmann::json &j); // throws std::invalid_argument
};

const char *to_string(OutcomeKind kind);
std::optional<OutcomeKind> outcome_kind(const std::string &name);

// One scalar outcome of a series (NaN when it has no value: an empty window, a threshold never
// crossed). Windows cut the series by linear interpolation at `from` and `to`.
//   initial/final: the first/last value in the window; min/max: the extreme value;
//   time_of_min/time_of_max: the time of the first extreme; integral: trapezoidal rule;
//   mean: integral / window length (a time-weighted mean; the value itself for a single time);
//   crossing: the first time the series reaches the threshold in the given direction, linearly
//   interpolated between saved times (a series starting at the threshold crosses at its start).
double scalar_outcome(const Outcome &o, std::span<const double> time, std::span<const double> values);

// Finds a column by name: exactly, else ignoring case and treating ' ' and '_' alike.
std::optional<size_t> find_column_loose(const std::vector<std::string> &columns, const std::string &name);

// A borrowed table: column names and values, valid while the producer keeps them.
struct TableView {
    std::string name;
    std::vector<std::string> columns;
    std::vector<std::span<const double>> values;
};
TableView view_of(const TableData &table);

// The outcomes of one run from the tables it put. `scalars` gets one value per non-series
// outcome (in spec order); `series` one column per series outcome, cut to the window, with
// `series_time` its time column. Returns "" or why the outcomes cannot be computed (a missing
// table or column), which fails the point.
std::string compute_outcomes(const OutcomeSpec &spec, const std::vector<TableView> &tables, std::vector<double> &scalars,
                             std::vector<double> &series_time, std::vector<std::vector<double>> &series);
// Whether a table named `name` (the first one the run put, or a later one) is the one
// compute_outcomes reads: the spec's table, else the first.
bool is_outcome_table(const OutcomeSpec &spec, const std::string &name, bool first);

} // namespace holon::runner
