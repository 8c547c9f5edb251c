// The batch runner: runs a job document's steps and sweep points through the Executor on a pool
// of worker threads, streams every finished point to disk, and writes the summary tables, JSON
// results, plots and index.html. Used by `holon batch` and meant for the REST route
// POST /v1/workspaces/{ws}/batches (see docs/batch.md, "Running a job from another program").
//
// Output folder:
//   journal.jsonl                       resumability (see journal.hpp)
//   results.json                        every point: params, status, error, statistics, result
//   index.html                          the report
//   steps/<step>/summary.csv            one row per point: params, status, statistics, error
//   steps/<step>/runs/<point>/          <table>.csv per result table, result.json
//   steps/<step>/plots/<variable>.svg   and .png, with the gnuplot .gp script and .dat data
#pragma once

#include "batch/batch_document.hpp"
#include "execution/executor.hpp"

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace holon::batch {

// Where the points of a step with several points run. Without one (BatchOptions::points) they
// run through the executor, in this process's runners; the server on a shared database hands them
// to every host (batch_runs/shared_points.hpp). Called from the batch's worker threads at once.
class PointRunner {
public:
    virtual ~PointRunner() = default;
    virtual runner::TaskOutcome run(const execution::RunRequest &request, const runner::TaskCallbacks &callbacks) = 0;
    virtual execution::ChunkOutcome run_chunk(const execution::ChunkRequest &request, const runner::TaskCallbacks &callbacks) = 0;
    // Points (or chunks) the batch keeps in flight at once when it may run `jobs` of them itself.
    virtual unsigned lanes(unsigned jobs) const = 0;
};

struct BatchOptions {
    const execution::Executor *executor = nullptr; // required
    PointRunner *points = nullptr;                 // optional; see PointRunner
    std::filesystem::path out_dir;                 // required; created when missing
    unsigned jobs = 0;                             // parallel runs; 0 = std::thread::hardware_concurrency()
    // Discard the results an earlier invocation left in out_dir (needed when the job changed).
    bool restart = false;
    // Run points again that an earlier invocation recorded as failed (by default only missing
    // points run on a resume).
    bool retry_failed = false;
    // Polled between points and passed to every run: when it turns true, running points are
    // cancelled, no new point starts, and the reports are written for what is done.
    const std::atomic<bool> *cancel = nullptr;
    // Turns an input into holon-model/1 JSON text (importing foreign formats). Required when the
    // job has inputs. Throw std::exception with a one-line message when it cannot.
    std::function<std::string(const InputRef &)> load_model;
    bool plots = true;
    std::string gnuplot = "gnuplot"; // program name or path
    std::string workspace;           // the tenant the runs are for (server); "" from the CLI
    // Asked before each journal write, under the batch's lock: false means this process no
    // longer owns the batch (another host took it over when its lease ran out), and the batch
    // stops without recording anything more. May block while it cannot tell. Empty: always true.
    std::function<bool()> may_record;
};

struct BatchProgress {
    size_t total = 0;     // points in the job
    size_t done = 0;      // recorded (succeeded + failed), including reused ones
    size_t succeeded = 0;
    size_t failed = 0;
    size_t reused = 0;    // recorded by an earlier invocation, not run again
    size_t ran = 0;       // run by this invocation
};

struct PointEvent {
    std::string step;
    size_t point = 0;
    std::string label;   // "p0007" or the scenario name
    bool ok = false;
    std::string problem; // failed points: the problem id ("method-failed", "crashed", ...)
    std::string error;   // failed points: one line
    double wall_seconds = 0;
};

// Called on worker threads, one call at a time (the runner serialises them). May be empty.
struct BatchCallbacks {
    std::function<void(const BatchProgress &)> on_start;                    // after planning, before the first run
    std::function<void(const PointEvent &, const BatchProgress &)> on_point; // after a point is recorded
    std::function<void(const std::string &)> on_note;                       // phases and warnings
};

struct BatchReport {
    BatchProgress progress;
    bool cancelled = false;
    bool stopped_by_fail_fast = false;
    std::vector<PointEvent> failures;   // every failed point (also earlier invocations')
    std::vector<std::string> warnings;  // e.g. a plot gnuplot could not draw
    std::filesystem::path index_html;
    bool all_succeeded() const { return !cancelled && progress.failed == 0 && progress.done == progress.total; }
};

// Thrown when the output folder cannot be used (e.g. not writable). The job itself being wrong
// is a DocumentError.
class BatchError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The points run at once for BatchOptions::jobs: itself, or the number of cores for 0.
unsigned effective_jobs(unsigned jobs);

// Checks that a plugin offers every method the job names and that each step gives the model its
// method needs. run_job does this itself; callers that accept a job for later (the REST API) call
// it first. Throws DocumentError.
void check_methods(const BatchDocument &job, const registry::Registry &registry);

// Checks the model variables the job names (swept or set overrides.NAME; outcome and output
// variables of sd.simulate steps) against its input models (input name -> holon-model/1 text),
// with "did you mean". run_job does this itself. Throws DocumentError.
void check_model_names(const BatchDocument &job, const std::map<std::string, std::string> &models);

// Runs the job. Before anything is written it checks the methods exist, loads every input and
// compares the job with any journal in out_dir: a different job document (or changed input
// models) throws DocumentError unless options.restart. Throws DocumentError / BatchError; failed points
// are not exceptions but entries of the report.
BatchReport run_job(const BatchDocument &job, const BatchOptions &options, BatchCallbacks &callbacks);

} // namespace holon::batch
