#include "batch_runs/child_runs.hpp"

#include "batch/json_numbers.hpp"

#include <holon/holon_plugin.h>
#include <nlohmann/json.hpp>

#include <stdexcept>

namespace holon::batch_runs {

namespace {

using nlohmann::json;

using batch::json_number;
using batch::number_json;

json numbers_json(const std::vector<double>& values) {
    json out = json::array();
    for (double v : values) out.push_back(number_json(v));
    return out;
}

std::vector<double> numbers_of(const json& list) {
    std::vector<double> out;
    if (list.is_array())
        for (const auto& v : list) out.push_back(json_number(v));
    return out;
}

json limits_json(const registry::LimitOverrides& limits) {
    json out = json::object();
    if (limits.wall_seconds) out["wall_seconds"] = *limits.wall_seconds;
    if (limits.cpu_seconds) out["cpu_seconds"] = *limits.cpu_seconds;
    if (limits.memory_bytes) out["memory_bytes"] = *limits.memory_bytes;
    if (limits.output_bytes) out["output_bytes"] = *limits.output_bytes;
    return out;
}

registry::LimitOverrides limits_of(const json& doc) {
    registry::LimitOverrides limits;
    if (!doc.is_object()) return limits;
    if (doc.contains("wall_seconds")) limits.wall_seconds = doc["wall_seconds"].get<double>();
    if (doc.contains("cpu_seconds")) limits.cpu_seconds = doc["cpu_seconds"].get<double>();
    if (doc.contains("memory_bytes")) limits.memory_bytes = doc["memory_bytes"].get<std::uint64_t>();
    if (doc.contains("output_bytes")) limits.output_bytes = doc["output_bytes"].get<std::uint64_t>();
    return limits;
}

runner::TaskOutcome cancelled(const std::string& why) {
    return execution::host_failure(HOLON_ERR_CANCELLED, "cancelled", why);
}

// The batch a child belongs to is gone, finished or being cancelled: the child must not run.
bool batch_is_over(store::Store& store, const store::Run& child) {
    if (!child.parent_id) return false;
    try {
        const auto batch = store.get_run(child.workspace_id, *child.parent_id);
        return store::is_terminal(batch.state) || batch.cancel_requested;
    } catch (const store::NotFound&) {
        return true;
    } catch (const store::StoreError&) {
        return false;  // cannot tell (the database is away): run it; a batch that ended ignores it
    }
}

runner::TaskOutcome encoded(json doc) {
    runner::TaskOutcome out;
    out.result_json = doc.dump(-1, ' ', false, json::error_handler_t::replace);
    return out;
}

runner::TaskOutcome run_chunk_child(const execution::Executor& executor, const store::Run& run, const json& params,
                                    const std::atomic<bool>* cancel) {
    execution::ChunkRequest request;
    request.method_id = params.at("method").get<std::string>();
    request.model_json = params.at("model").get<std::string>();
    for (const auto& p : params.at("params")) request.params_json.push_back(p.dump());
    request.outcomes = runner::OutcomeSpec::from_json(params.at("outcomes"));
    request.limits = limits_of(params.value("limits", json::object()));
    request.workspace = run.workspace_id;
    runner::TaskCallbacks callbacks;
    callbacks.cancel = cancel;
    const auto out = executor.run_chunk(request, callbacks);
    if (out.task.problem == "cancelled") return cancelled(out.task.message);
    json points = json::array();
    for (const auto& p : out.points) {
        if (!p.ok) {
            points.push_back({{"ok", false}, {"problem", p.problem}, {"message", p.message}});
            continue;
        }
        json series = json::array();
        for (const auto& column : p.series) series.push_back(numbers_json(column));
        points.push_back({{"ok", true}, {"scalars", numbers_json(p.scalars)}, {"series_time", numbers_json(p.series_time)},
                          {"series", std::move(series)}});
    }
    return encoded({{"ok", out.task.ok()},
                    {"problem", out.task.problem},
                    {"message", out.task.message},
                    {"wall_seconds", out.task.wall_seconds},
                    {"points", std::move(points)}});
}

runner::TaskOutcome run_point_child(const execution::Executor& executor, const store::Run& run, const json& params,
                                    const std::atomic<bool>* cancel) {
    execution::RunRequest request;
    request.method_id = params.at("method").get<std::string>();
    request.model_json = params.at("model").get<std::string>();
    request.params_json = params.at("params").dump();
    request.limits = limits_of(params.value("limits", json::object()));
    request.workspace = run.workspace_id;
    runner::TaskCallbacks callbacks;
    callbacks.cancel = cancel;
    auto out = executor.run(request, callbacks);
    if (out.problem == "cancelled") return cancelled(out.message);
    json result = out.result_json.empty() ? json() : json::parse(out.result_json, nullptr, false);
    std::string result_text;  // a result that is not JSON is kept as it came: the batch reports it
    if (result.is_discarded()) {
        result = nullptr;
        result_text = out.result_json;
    }
    json details = out.details_json.empty() ? json() : json::parse(out.details_json, nullptr, false);
    if (details.is_discarded()) details = nullptr;
    auto doc = encoded({{"ok", out.ok()},
                        {"status", out.status},
                        {"problem", out.problem},
                        {"message", out.message},
                        {"details", std::move(details)},
                        {"wall_seconds", out.wall_seconds},
                        {"result", std::move(result)},
                        {"result_text", std::move(result_text)}});
    doc.tables = std::move(out.tables);
    doc.blobs = std::move(out.blobs);
    return doc;
}

// What a child that did not succeed tells: its problem id (the tail of the problem type) and detail.
void failure_of(const store::Run& run, std::string& problem, std::string& message) {
    if (run.state == store::RunState::cancelled) {
        problem = "cancelled";
        message = "cancelled";
        return;
    }
    const auto doc = json::parse(run.error_json.empty() ? "{}" : run.error_json, nullptr, false);
    const std::string type = doc.is_object() ? doc.value("type", "") : "";
    problem = type.empty() ? "run-failed" : type.substr(type.rfind('/') + 1);
    message = doc.is_object() ? doc.value("detail", "the points' run failed") : "the points' run failed";
}

json stored_result(const store::RunOutputs& outputs) {
    auto doc = json::parse(outputs.result_json.empty() ? "{}" : outputs.result_json, nullptr, false);
    if (!doc.is_object()) throw std::runtime_error("a child run of the batch stored no readable result");
    return doc;
}

}  // namespace

bool is_child_method(const std::string& method) { return method == chunk_method || method == point_method; }

std::string chunk_params(const execution::ChunkRequest& request) {
    json params = json::array();
    for (const auto& p : request.params_json) params.push_back(json::parse(p));
    return json{{"method", request.method_id},
                {"model", request.model_json},
                {"params", std::move(params)},
                {"outcomes", request.outcomes.to_json()},
                {"limits", limits_json(request.limits)}}
        .dump();
}

std::string point_params(const execution::RunRequest& request) {
    if (!request.tables.empty() || !request.source.empty())
        throw std::invalid_argument("a point with input tables or a foreign document runs in the batch's host");
    return json{{"method", request.method_id},
                {"model", request.model_json},
                {"params", json::parse(request.params_json.empty() ? "{}" : request.params_json)},
                {"limits", limits_json(request.limits)}}
        .dump();
}

runner::TaskOutcome execute_child(store::Store& store, const execution::Executor& executor, const store::Run& run,
                                  const std::atomic<bool>* cancel) {
    if (batch_is_over(store, run)) return cancelled("the batch this run belongs to has ended");
    try {
        const auto params = json::parse(run.params_json);
        if (run.method == chunk_method) return run_chunk_child(executor, run, params, cancel);
        if (run.method == point_method) return run_point_child(executor, run, params, cancel);
        return execution::host_failure(HOLON_ERR_FAILED, "unknown-method", "not a batch's child run: " + run.method);
    } catch (const std::exception& e) {
        return execution::host_failure(HOLON_ERR_FAILED, "batch-failed", std::string("unreadable child run: ") + e.what());
    }
}

jobs::HostMethod make_child_method(store::Store& store, const execution::Executor& executor) {
    return [&store, &executor](const store::Run& run, jobs::HostRunContext& context) {
        return execute_child(store, executor, run, context.cancel);
    };
}

execution::ChunkOutcome chunk_outcome(const store::Run& run, const store::RunOutputs& outputs) {
    execution::ChunkOutcome out;
    if (run.state != store::RunState::succeeded) {
        failure_of(run, out.task.problem, out.task.message);
        out.task.status = out.task.problem == "cancelled" ? HOLON_ERR_CANCELLED : HOLON_ERR_FAILED;
        return out;
    }
    const auto doc = stored_result(outputs);
    out.task.wall_seconds = doc.value("wall_seconds", 0.0);
    if (!doc.value("ok", false)) {
        out.task.status = HOLON_ERR_FAILED;
        out.task.problem = doc.value("problem", "run-failed");
        out.task.message = doc.value("message", "");
        return out;
    }
    for (const auto& p : doc.at("points")) {
        execution::ChunkPoint point;
        point.ok = p.value("ok", false);
        point.problem = p.value("problem", "");
        point.message = p.value("message", "");
        if (point.ok) {
            point.scalars = numbers_of(p.value("scalars", json::array()));
            point.series_time = numbers_of(p.value("series_time", json::array()));
            for (const auto& column : p.value("series", json::array())) point.series.push_back(numbers_of(column));
        }
        out.points.push_back(std::move(point));
    }
    return out;
}

runner::TaskOutcome point_outcome(const store::Run& run, const store::RunOutputs& outputs) {
    runner::TaskOutcome out;
    if (run.state != store::RunState::succeeded) {
        failure_of(run, out.problem, out.message);
        out.status = out.problem == "cancelled" ? HOLON_ERR_CANCELLED : HOLON_ERR_FAILED;
        return out;
    }
    const auto doc = stored_result(outputs);
    out.wall_seconds = doc.value("wall_seconds", 0.0);
    if (!doc.value("ok", false)) {
        out.status = doc.value("status", static_cast<int32_t>(HOLON_ERR_FAILED));
        if (out.status == HOLON_OK) out.status = HOLON_ERR_FAILED;
        out.problem = doc.value("problem", "run-failed");
        out.message = doc.value("message", "");
        if (doc.contains("details") && !doc["details"].is_null()) out.details_json = doc["details"].dump();
        return out;
    }
    const auto& result = doc.at("result");
    out.result_json = result.is_null() ? doc.value("result_text", "") : result.dump();
    for (const auto& t : outputs.tables) out.tables.push_back({t.name, t.columns, t.values, t.labels, t.units});
    for (const auto& b : outputs.blobs) out.blobs.push_back({b.name, b.media_type, b.data});
    return out;
}

store::RunOutputs outputs_of(const runner::TaskOutcome& encoded) {
    store::RunOutputs outputs;
    outputs.result_json = encoded.result_json;
    for (const auto& t : encoded.tables) outputs.tables.push_back({t.name, t.columns, t.values, t.labels, t.units});
    for (const auto& b : encoded.blobs) outputs.blobs.push_back({b.name, b.media_type, b.data});
    return outputs;
}

}  // namespace holon::batch_runs
