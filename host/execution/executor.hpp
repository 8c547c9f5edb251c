// Runs a method the way every caller (CLI, REST, batch, nested holon.invoke/1) must: resolve the
// method, validate params and model before any plugin code runs, run it in a runner process under
// its limits, and validate what comes back.
#pragma once

#include "registry/registry.hpp"
#include "runner/outcomes.hpp"
#include "runner/runner_pool.hpp"

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace holon::execution {

struct RunRequest {
    std::string method_id;
    std::string model_json;          // holon-model/1 text; empty for importers
    std::string params_json = "{}";
    std::vector<runner::TableData> tables;
    std::string source;              // importers: the foreign document
    std::string source_name;
    std::string source_dir;
    registry::LimitOverrides limits; // per-call limits, clamped to the host maxima
    std::string workspace;           // the tenant: warm runners are never shared between workspaces
};

// Many runs of one method on one model in one runner round trip (a chunk of a sweep): the runner
// runs the method once per params document and sends back only each run's outcomes, computed
// from the table the run put (runner/outcomes.hpp). The runs' own result documents and other
// tables are dropped unread, so they are not checked against the method's result schema.
struct ChunkRequest {
    std::string method_id;
    std::string model_json;
    std::vector<std::string> params_json;  // one per run
    runner::OutcomeSpec outcomes;
    registry::LimitOverrides limits;       // per run; a chunk gets them times kChunkRuns
    std::string workspace;
};

// The most runs a chunk should hold. Its wall-clock and CPU limits are this many times a run's,
// whatever its size, so that every chunk of a sweep goes to the same warm runners (runners are
// kept per limits).
constexpr size_t kChunkRuns = 1000;

struct ChunkPoint {
    bool ok = false;
    std::string problem, message;          // failed runs: as a TaskOutcome would say
    std::vector<double> scalars;           // one per scalar outcome, in spec order
    std::vector<double> series_time;       // series outcomes: the time column
    std::vector<std::vector<double>> series; // one column per series outcome
};

struct ChunkOutcome {
    runner::TaskOutcome task;              // the round trip; !task.ok(): the runner failed, points empty
    std::vector<ChunkPoint> points;        // one per params document
};

struct ExecutorOptions {
    runner::Limits defaults;         // when neither the manifest nor the call says otherwise
    runner::Limits maxima = max_limits();
    int max_invoke_depth = 8;        // nested holon.invoke/1 calls
    static runner::Limits max_limits();
};

// Host-side problem ids, in addition to the runner's ("crashed", "cpu-time-limit", ...):
//   "unknown-method", "invalid-params", "invalid-model", "invalid-result", "invoke-depth".
class Executor {
public:
    Executor(const registry::Registry &registry, runner::RunnerPool &pool, ExecutorOptions options = {});

    runner::TaskOutcome run(const RunRequest &request, const runner::TaskCallbacks &callbacks = {}) const;
    // Runs a chunk (see ChunkRequest). Params are validated one by one before any plugin code
    // runs (a refused one fails only its run); the model once.
    ChunkOutcome run_chunk(const ChunkRequest &request, const runner::TaskCallbacks &callbacks = {}) const;

    // Has the pool start runners for `count` runs of `method_id` at once (see RunnerPool::prestart);
    // an unknown method is ignored (its runs fail with unknown-method). Returns at once.
    void prestart(const std::string &method_id, const registry::LimitOverrides &limits, size_t count,
                  const std::string &workspace = "") const;
    // The same for runners that will run chunks (their limits are kChunkRuns times a run's).
    void prestart_chunks(const std::string &method_id, const registry::LimitOverrides &limits, size_t count,
                         const std::string &workspace = "") const;
    // The limits a run of `method` gets with the given per-call overrides.
    runner::Limits limits_for(const registry::MethodEntry &method, const registry::LimitOverrides &call) const;
    // A chunk's limits: a run's, wall-clock and CPU times kChunkRuns (capped at the maxima).
    runner::Limits chunk_limits(const registry::MethodEntry &method, const registry::LimitOverrides &call) const;

    const registry::Registry &registry() const { return registry_; }

private:
    runner::TaskOutcome run_at_depth(const RunRequest &request, const runner::TaskCallbacks &callbacks, int depth) const;
    // Sweeps run the same model text hundreds of times: a model that passed validation is
    // remembered (by its exact text, not a hash) so that it is not parsed and validated again.
    bool known_valid(const std::string &model_json) const;
    void remember_valid(const std::string &model_json) const;
    // The host's refusal of the model a method that reads one was given (missing, malformed or
    // invalid), or nullopt when it may run; one rule for single runs and sweep chunks.
    std::optional<runner::TaskOutcome> refuse_model(const std::string &method_id, const std::string &model_json) const;

    const registry::Registry &registry_;
    runner::RunnerPool &pool_;
    ExecutorOptions options_;
    mutable std::mutex valid_models_mutex_;
    mutable std::deque<std::string> valid_models_;  // most recent last
};

// A failed outcome with a host-side problem id (no runner involved).
runner::TaskOutcome host_failure(int32_t status, std::string problem, std::string message, std::string details_json = {});

} // namespace holon::execution
