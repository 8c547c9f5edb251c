// The runs a REST batch on a shared database splits its points into (issue 20 part 3): a chunk of
// a sweep with outcomes ("holon.batch-chunk") or one point of a step without outcomes
// ("holon.batch-point"), each a child run of the batch that any host's job engine claims and
// executes in its own runners. This file is what such a run is: its params (the request, model
// text included, so that any host can run it without the batch), how a host executes it, and how
// its outcome is written into the run's outputs and read back exactly (problem ids included).
#pragma once

#include "execution/executor.hpp"
#include "jobs/job_engine.hpp"
#include "store/store.hpp"

#include <string>

namespace holon::batch_runs {

inline constexpr const char* chunk_method = "holon.batch-chunk";
inline constexpr const char* point_method = "holon.batch-point";

bool is_child_method(const std::string& method);

// A child run's params for a request. Throws std::invalid_argument for a point request that
// carries input tables or a foreign document (those steps run in the batch's own host).
std::string chunk_params(const execution::ChunkRequest& request);
std::string point_params(const execution::RunRequest& request);

// Runs a child run here (the job engine of any host, or the batch itself). A child whose batch
// has ended or is being cancelled is cancelled without running. The method's outcome is
// encoded in the returned outcome: it is ok (stored as succeeded) unless the child was cancelled.
runner::TaskOutcome execute_child(store::Store& store, const execution::Executor& executor, const store::Run& run,
                                  const std::atomic<bool>* cancel);

// The host method of both child methods, for EngineOptions::host_methods.
jobs::HostMethod make_child_method(store::Store& store, const execution::Executor& executor);

// Reads back what a child run produced: from the stored run (any host ran it) or from the
// outcome execute_child returned (the batch ran it itself).
execution::ChunkOutcome chunk_outcome(const store::Run& run, const store::RunOutputs& outputs);
runner::TaskOutcome point_outcome(const store::Run& run, const store::RunOutputs& outputs);
store::RunOutputs outputs_of(const runner::TaskOutcome& encoded);

}  // namespace holon::batch_runs
