// A batch job posted to the REST API (POST /v1/workspaces/{ws}/batches) is a run whose method is
// "holon.batch": the job engine claims it by lease like any run and executes it in the host
// (make_batch_method), which runs every point through the Executor in runner processes exactly as
// `holon batch` does. The output folder is <batch root>/<run id>/; its journal makes a batch
// interrupted by a server stop or kill resume with only the missing points.
#pragma once

#include "jobs/job_engine.hpp"
#include "store/store.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace holon::registry {
class Registry;
}

namespace holon::batch_runs {

inline constexpr const char* batch_method = "holon.batch";

// One thing wrong with a posted job document: a JSON pointer into it and a message.
struct JobProblem {
    std::string path;
    std::string message;
};

// The posted document cannot run. what() is "PATH: message" (as `holon batch` prints it).
class InvalidJob : public std::runtime_error {
public:
    explicit InvalidJob(JobProblem problem);
    const JobProblem& problem() const { return problem_; }

private:
    JobProblem problem_;
};

// A job document accepted for a workspace, ready to store as the run's params.
struct AcceptedJob {
    std::string name;
    std::size_t total_points = 0;
    std::string params_json;  // {"job": <the document as JSON>, "models": {input: revision}, "total_points": n}
};

// Parses the body (YAML or JSON), checks it against the holon-batch/1 schema and its cross
// references, checks the methods exist, refuses file inputs (the server's files are not the
// client's) and pins every model_id input to its latest revision in the workspace. Writes
// nothing. Throws InvalidJob.
AcceptedJob accept_job(std::string_view body, const std::string& workspace_id, store::Store& store,
                       const registry::Registry& registry);

struct BatchServiceOptions {
    std::filesystem::path root;  // <data>/batches, or the folder every host sharing the database mounts
    unsigned jobs = 0;           // points run at once per batch; 0 = the number of cores
    bool plots = true;
    // A database several hosts share: the points of a batch become child runs every host claims
    // (shared_points.hpp) under this host's lease owner and lease.
    bool share_points = false;
    std::string owner;
    std::int64_t lease_ms = 30000;
};

// The host method that executes "holon.batch" runs.
jobs::HostMethod make_batch_method(store::Store& store, const execution::Executor& executor,
                                   BatchServiceOptions options);

// The output folder of a batch run.
std::filesystem::path batch_dir(const std::filesystem::path& root, const std::string& run_id);

}  // namespace holon::batch_runs
