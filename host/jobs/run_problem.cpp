#include "jobs/run_problem.hpp"

#include <nlohmann/json.hpp>

namespace holon::jobs {

namespace {

struct RunProblem {
    const char* id;
    const char* type;
    const char* title;
    int status;
};

// Runner and executor problem ids (runner_pool.hpp, executor.hpp) -> stable API problem types.
constexpr RunProblem run_problems[] = {
    {"wall-clock-limit", "run-time-limit", "The run exceeded its time limit", 500},
    {"cpu-time-limit", "run-time-limit", "The run exceeded its time limit", 500},
    {"memory-limit", "run-memory-limit", "The run exceeded its memory limit", 500},
    {"result-too-large", "result-too-large", "The run produced too much output", 500},
    {"crashed", "runner-crashed", "The plugin crashed", 500},
    {"forbidden-syscall", "forbidden-syscall", "The plugin made a forbidden system call", 500},
    {"cancelled", "run-cancelled", "The run was cancelled", 409},
    {"method-failed", "method-failed", "The method reported an error", 422},
    {"invalid-result", "invalid-result", "The method's result does not match its schema", 500},
    {"invalid-params", "invalid-params", "The params do not match the method's schema", 422},
    {"invalid-model", "invalid-model", "The model is not valid", 422},
    {"unknown-method", "unknown-method", "No plugin offers this method", 422},
    {"invoke-depth", "invoke-depth", "Nested invocations went too deep", 500},
    {"plugin-load-failed", "plugin-load-failed", "The plugin could not be loaded", 500},
    {"abi-mismatch", "abi-mismatch", "The plugin was built for another SDK", 500},
    {"protocol-error", "runner-protocol-error", "The runner broke the protocol", 500},
    {"runner-unavailable", "runner-unavailable", "No runner could be started", 503},
    {"host-crashed", "host-crashed", "The host running this job stopped", 500},
    {"model-not-found", "model-not-found", "The run's model no longer exists", 422},
    {"batch-points-failed", "batch-points-failed", "Some points of the batch failed", 422},
    {"invalid-batch", "invalid-batch", "The batch job cannot run", 422},
    {"batch-output", "batch-output", "The batch output folder cannot be used", 500},
    {"batch-failed", "batch-failed", "The batch stopped with an error", 500},
    {"quota-exceeded", "quota-exceeded", "The workspace's storage quota is used up", 507},
};

const RunProblem* find_run_problem(const std::string& id) {
    for (const auto& p : run_problems)
        if (id == p.id) return &p;
    return nullptr;
}

}  // namespace

std::string run_problem_type(const std::string& problem_id) {
    const auto* p = find_run_problem(problem_id);
    return std::string("/problems/") + (p ? p->type : "run-failed");
}

std::string run_problem_json(const std::string& problem_id, const std::string& message,
                             const std::string& details_json) {
    const auto* p = find_run_problem(problem_id);
    nlohmann::json doc{{"type", run_problem_type(problem_id)},
                       {"title", p ? p->title : "The run failed"},
                       {"status", p ? p->status : 500},
                       {"detail", message}};
    if (!details_json.empty()) {
        auto details = nlohmann::json::parse(details_json, nullptr, false);
        // The executor reports schema violations as {"violations": [{"path","message"}]}.
        if (details.is_object() && details.contains("violations") && details["violations"].is_array()) {
            auto errors = nlohmann::json::array();
            for (const auto& e : details["violations"])
                if (e.is_object() && e.contains("path") && e.contains("message"))
                    errors.push_back({{"path", e["path"]}, {"message", e["message"]}});
            if (!errors.empty()) doc["errors"] = errors;
        }
    }
    return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace holon::jobs
