// A sweep chunk in the runner: the method runs once per params document of the task, and what
// goes back is only each run's outcomes (runner/outcomes.hpp), computed here from the table the
// run put while the plugin still holds it: no series crosses the socket unless a series outcome
// asks for it, and the model text arrives once for the whole chunk.
#pragma once

#include "runner/outcomes.hpp"
#include "runner/protocol.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace holon::runner {

// What one run of a chunk put, reduced to its outcomes.
struct ChunkCapture {
    const OutcomeSpec *spec = nullptr;
    bool table_seen = false;  // the run put some table already
    bool computed = false;    // the outcome table was found and read
    std::string error;        // why the outcomes could not be computed
    std::vector<double> scalars, series_time;
    std::vector<std::vector<double>> series;

    // Called by put_table while the plugin's columns are valid.
    void on_table(const holon_table_t &table);
};

struct ChunkHooks {
    // Runs the method with these params, its put_table calls going to the capture; returns the
    // run's DONE as a single task would have sent it.
    std::function<protocol::DoneMessage(std::string_view params, ChunkCapture &capture)> run_one;
    std::function<bool()> cancelled;
    std::function<void(protocol::MessageType, std::string_view)> send;
};

// Runs every point of `task` and sends the chunk's reply: RESULT_TABLE holon.outcomes (one row per
// point, one column per scalar outcome; NaN for failed points), RESULT_TABLE holon.series (long
// form: point, time, one column per series outcome) when series outcomes are asked for,
// RESULT_JSON {"failed": [...]}, then DONE.
void run_sweep_chunk(const protocol::TaskMessage &task, const ChunkHooks &hooks);

} // namespace holon::runner
