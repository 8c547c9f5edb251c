#include "batch_runs/batch_runs.hpp"

#include "batch/batch.hpp"
#include "batch/batch_spec.hpp"
#include "batch_runs/shared_points.hpp"
#include "registry/registry.hpp"

#include <holon/holon_plugin.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <thread>
#include <optional>

namespace holon::batch_runs {

namespace {

JobProblem problem_of(const batch::DocumentError& e) {
    std::string message = e.what();
    const std::string prefix = e.path() + ": ";
    if (!e.path().empty() && message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
    // Paths that are not JSON pointers name the document itself.
    return {e.path().empty() || e.path().front() != '/' ? std::string() : e.path(), message};
}

std::string points_detail(const batch::BatchProgress& p) {
    return nlohmann::json{{"points", {{"total", p.total}, {"done", p.done}, {"succeeded", p.succeeded}, {"failed", p.failed}}}}
        .dump();
}

std::string points_stage(const batch::BatchProgress& p) {
    std::string stage = "points " + std::to_string(p.done) + "/" + std::to_string(p.total);
    if (p.failed) stage += ", " + std::to_string(p.failed) + " failed";
    return stage;
}

double fraction(const batch::BatchProgress& p) {
    return p.total ? static_cast<double>(p.done) / static_cast<double>(p.total) : 1.0;
}

runner::TaskOutcome outcome_of(const batch::BatchReport& report, const std::string& name) {
    const auto& p = report.progress;
    runner::TaskOutcome outcome;
    if (report.cancelled) {
        outcome = execution::host_failure(HOLON_ERR_CANCELLED, "cancelled",
                                          "stopped with " + std::to_string(p.total - p.done) + " of " +
                                              std::to_string(p.total) + " points not run");
        return outcome;
    }
    nlohmann::json summary{{"name", name},
                           {"points", {{"total", p.total}, {"done", p.done}, {"succeeded", p.succeeded},
                                       {"failed", p.failed}, {"reused", p.reused}, {"ran", p.ran}}},
                           {"report", "index.html"},
                           {"warnings", report.warnings}};
    if (report.all_succeeded()) {
        outcome.result_json = summary.dump();
        return outcome;
    }
    std::string message = std::to_string(p.failed) + " of " + std::to_string(p.total) + " points failed";
    if (p.done < p.total) message += ", " + std::to_string(p.total - p.done) + " not run";
    if (report.stopped_by_fail_fast) message += " (stopped by fail_fast)";
    auto failures = nlohmann::json::array();
    for (const auto& f : report.failures) {
        if (failures.size() == 20) break;
        failures.push_back({{"step", f.step}, {"point", f.label}, {"problem", f.problem}, {"error", f.error}});
    }
    if (!report.failures.empty()) {
        const auto& f = report.failures.front();
        message += "; first: " + f.step + " " + f.label + ": " + f.error;
    }
    summary["failures"] = failures;
    outcome = execution::host_failure(HOLON_ERR_FAILED, "batch-points-failed", message, summary.dump());
    return outcome;
}

}  // namespace

InvalidJob::InvalidJob(JobProblem problem)
    : std::runtime_error(problem.path.empty() ? problem.message : problem.path + ": " + problem.message),
      problem_(std::move(problem)) {}

std::filesystem::path batch_dir(const std::filesystem::path& root, const std::string& run_id) { return root / run_id; }

AcceptedJob accept_job(std::string_view body, const std::string& workspace_id, store::Store& store,
                       const registry::Registry& registry) {
    std::optional<batch::BatchDocument> job;
    try {
        // File inputs are refused below, so no file is ever resolved against this folder.
        job = batch::BatchDocument::parse(body, "request body", std::filesystem::path("/nonexistent"));
        batch::check_methods(*job, registry);
    } catch (const batch::DocumentError& e) {
        throw InvalidJob(problem_of(e));
    }
    nlohmann::json models = nlohmann::json::object();
    std::map<std::string, std::string> model_texts;
    for (const auto& input : job->inputs()) {
        const std::string where = "/inputs/" + input.name;
        if (!input.file.empty())
            throw InvalidJob({where + "/file", "files cannot be named in a job posted to the server; store the model "
                                               "(POST /v1/workspaces/{ws}/models) and give its model_id"});
        try {
            auto model = store.get_model(workspace_id, input.model_id);
            models[input.name] = model.revision;
            model_texts[input.name] = std::move(model.body);
        } catch (const store::NotFound&) {
            throw InvalidJob({where + "/model_id", "no model '" + input.model_id + "' in this workspace"});
        }
    }
    // A swept or outcome variable the stored model lacks is refused now (422), not at run time.
    try {
        batch::check_model_names(*job, model_texts);
    } catch (const batch::DocumentError& e) {
        throw InvalidJob(problem_of(e));
    }
    AcceptedJob accepted;
    accepted.name = job->name();
    accepted.total_points = job->total_points();
    accepted.params_json =
        nlohmann::json{{"job", job->spec().document}, {"models", models}, {"total_points", accepted.total_points}}.dump();
    return accepted;
}

jobs::HostMethod make_batch_method(store::Store& store, const execution::Executor& executor, BatchServiceOptions options) {
    return [&store, &executor, options](const store::Run& run, jobs::HostRunContext& context) -> runner::TaskOutcome {
        try {
            const auto params = nlohmann::json::parse(run.params_json);
            const auto job = batch::BatchDocument::parse(params.at("job").dump(), "batch " + run.id, options.root);
            const nlohmann::json models = params.value("models", nlohmann::json::object());

            batch::BatchOptions bo;
            bo.executor = &executor;
            bo.out_dir = batch_dir(options.root, run.id);
            bo.jobs = options.jobs;
            bo.plots = options.plots;
            bo.cancel = context.cancel;
            bo.workspace = run.workspace_id;
            bo.load_model = [&](const batch::InputRef& input) -> std::string {
                if (input.model_id.empty()) throw std::runtime_error("only stored models (model_id) can be used");
                std::optional<std::int64_t> revision;
                if (models.contains(input.name)) revision = models[input.name].get<std::int64_t>();
                return store.get_model(run.workspace_id, input.model_id, revision).body;
            };
            batch::BatchCallbacks callbacks;
            callbacks.on_start = [&](const batch::BatchProgress& p) {
                context.progress(fraction(p), points_stage(p), points_detail(p));
            };
            callbacks.on_point = [&](const batch::PointEvent&, const batch::BatchProgress& p) {
                context.progress(fraction(p), points_stage(p), points_detail(p));
            };
            std::unique_ptr<SharedPoints> shared;
            if (options.share_points) {
                const unsigned jobs = batch::effective_jobs(options.jobs);
                shared = std::make_unique<SharedPoints>(store, executor, run, jobs, context.cancel,
                                                        SharedPointsOptions{options.owner, options.lease_ms});
                try {
                    shared->clear_children();
                } catch (const std::exception&) {
                    // Children an earlier attempt left go when this attempt ends, or with the batch.
                }
                bo.points = shared.get();
                // A host that hung past its lease must not write the journal another host resumed.
                bo.may_record = [&store, &run, &options, cancel = context.cancel] {
                    for (;;) {
                        try {
                            const auto now = store.get_run(run.workspace_id, run.id);
                            return now.state == store::RunState::running && now.lease_owner == options.owner &&
                                   now.attempts == run.attempts;
                        } catch (const store::NotFound&) {
                            return false;
                        } catch (const std::exception&) {
                            if (cancel && cancel->load()) return false;  // unreachable database
                            std::this_thread::sleep_for(std::chrono::milliseconds(500));
                        }
                    }
                };
            }
            const auto report = batch::run_job(job, bo, callbacks);
            if (shared) {
                try {
                    shared->clear_children();
                } catch (const std::exception&) {
                    // The points are recorded; children left behind go when the batch is deleted.
                }
            }
            try {
                store.get_run(run.workspace_id, run.id);
            } catch (const store::NotFound&) {
                // The workspace was deleted while the batch ran: its outputs go with it.
                std::error_code ignored;
                std::filesystem::remove_all(bo.out_dir, ignored);
            }
            return outcome_of(report, job.name());
        } catch (const batch::DocumentError& e) {
            return execution::host_failure(HOLON_ERR_INVALID_PARAMS, "invalid-batch", e.what());
        } catch (const batch::BatchError& e) {
            return execution::host_failure(HOLON_ERR_FAILED, "batch-output", e.what());
        } catch (const std::exception& e) {
            return execution::host_failure(HOLON_ERR_FAILED, "batch-failed", e.what());
        }
    };
}

}  // namespace holon::batch_runs
