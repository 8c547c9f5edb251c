// Batches: a holon-batch/1 job document (YAML or JSON) posted to a workspace runs durably as a
// run of the host method "holon.batch" (see host/batch_runs). Status with point counts, cancellation,
// and the output folder (summary tables, per-point tables, plots, index.html) file by file.
#include "api/archive.hpp"
#include "api/negotiation.hpp"
#include "api/request_json.hpp"
#include "api/routes.hpp"
#include "api/usage.hpp"
#include "batch_runs/batch_outputs.hpp"
#include "batch_runs/batch_runs.hpp"
#include "execution/executor.hpp"
#include "jobs/job_engine.hpp"

#include <fstream>
#include <sstream>

namespace holon::api {

namespace {

std::string batch_location(const store::Run& run) {
    return "/v1/workspaces/" + run.workspace_id + "/batches/" + run.id;
}

// The run behind a batch id; another workspace's, unknown ids and runs that are not batches: 404.
store::Run load_batch(Call& call) {
    const std::string& id = call.param("batch");
    call.log.run = id;
    store::Run run;
    try {
        run = call.store().get_run(call.param("ws"), id);
    } catch (const store::NotFound&) {
        throw problems::not_found("no batch " + id);
    }
    if (run.method != batch_runs::batch_method) throw problems::not_found("no batch " + id);
    return run;
}

nlohmann::json batch_view(const Call& call, const store::Run& run) {
    auto view = run_view(run);
    const auto params = parse_stored(run.params_json);
    std::size_t total = 0;
    std::string name;
    if (params.is_object()) {
        total = params.value("total_points", std::size_t{0});
        if (params.contains("job") && params["job"].is_object()) name = params["job"].value("name", "");
    }
    const auto counts = batch_runs::count_points(batch_runs::batch_dir(call.services.batch_root, run.id));
    view["name"] = name;
    view["points"] = {{"total", total}, {"done", counts.done}, {"succeeded", counts.succeeded}, {"failed", counts.failed}};
    view["run"] = "/v1/workspaces/" + run.workspace_id + "/runs/" + run.id;
    return view;
}

Response create(Call& call) {
    const auto& ws = call.param("ws");
    if (call.request.header("Content-Type").rfind("application/json", 0) == 0) {
        // JSON goes through the shared reader first: duplicate keys and over-deep nesting are
        // refused the same way as in every other JSON body.
        JsonLimits limits;
        limits.max_bytes = call.services.limits.max_body_bytes;
        limits.max_depth = call.services.limits.max_json_depth;
        read_request_json(call.request.body, limits);
    }
    batch_runs::AcceptedJob job;
    try {
        job = batch_runs::accept_job(call.request.body, ws, call.store(), call.services.executor->registry());
    } catch (const batch_runs::InvalidJob& e) {
        ApiError error(422, "/problems/invalid-batch", "The batch job document cannot run", e.what());
        error.errors.push_back({e.problem().path, e.problem().message});
        throw error;
    }
    check_quota(call.services, ws);
    if (call.store().count_in_flight(ws) >= call.services.limits.max_runs_in_flight)
        throw problems::too_many_runs("the workspace has " + std::to_string(call.services.limits.max_runs_in_flight) +
                                          " runs queued or running; retry later",
                                      call.services.limits.retry_after_seconds);
    store::NewRun request;
    request.method = batch_runs::batch_method;
    request.params_json = job.params_json;
    const store::Run run = call.store().create_run(ws, request);
    call.log.run = run.id;
    call.services.jobs->notify_queued();
    auto r = json_response(202, batch_view(call, run));
    r.header("Location", batch_location(run));
    return r;
}

Response get(Call& call) { return json_response(200, batch_view(call, load_batch(call))); }

Response cancel(Call& call) {
    const auto batch = load_batch(call);
    const auto run = call.store().request_cancel(call.param("ws"), batch.id);
    call.services.jobs->cancel(run.id);
    return json_response(202, batch_view(call, run));
}

// A finished batch: its run, events and output folder. 409 while it runs.
Response remove(Call& call) {
    const auto batch = load_batch(call);
    if (!store::is_terminal(batch.state))
        throw problems::run_not_finished("batch " + batch.id + " is " + std::string(store::to_string(batch.state)) +
                                         "; cancel it and wait for it to end before deleting it");
    try {
        call.store().delete_run(batch.workspace_id, batch.id);
    } catch (const store::Conflict& e) {
        throw problems::run_not_finished(e.what());
    }
    if (!call.services.batch_root.empty()) batch_runs::remove_batch_dirs(call.services.batch_root, {batch.id});
    return no_content();
}

Response files(Call& call) {
    const auto run = load_batch(call);
    auto items = nlohmann::json::array();
    for (const auto& f : batch_runs::list_outputs(batch_runs::batch_dir(call.services.batch_root, run.id)))
        items.push_back({{"path", f.path}, {"bytes", f.bytes}, {"media_type", f.media_type}});
    return json_response(200, {{"items", std::move(items)}});
}

Response file(Call& call) {
    const auto run = load_batch(call);
    const auto relative = call.request.query_param("path");
    if (!relative || relative->empty())
        throw problems::invalid_request("give the file's path in the folder, e.g. ?path=index.html",
                                        {{"path", "required"}});
    const auto found = batch_runs::resolve_output(batch_runs::batch_dir(call.services.batch_root, run.id), *relative);
    if (!found) throw problems::not_found("batch " + run.id + " has no file " + *relative);
    // The file is what it is: an Accept that rules out its type (and octet-stream) is a 406.
    const std::string type = batch_runs::media_type_of(*relative);
    const std::string accept = call.request.header("Accept");
    if (!negotiate(accept, {type}) && !negotiate(accept, {"application/octet-stream"}))
        throw not_acceptable(accept, {type});
    std::ifstream in(*found, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    if (!in.good() && !in.eof()) throw problems::internal("reading " + *relative + " failed");
    Response r;
    r.content_type = batch_runs::media_type_of(*relative);
    r.body = content.str();
    return r;
}

// The batch's output folder as one zip: manifest.json (the batch and its file list) first, then
// every file under its folder path, each byte for byte what getBatchFile gives. 409 while the
// batch runs (its folder is still changing).
Response archive(Call& call) {
    const auto run = load_batch(call);
    if (!store::is_terminal(run.state))
        throw problems::run_not_finished("batch " + run.id + " is " + std::string(store::to_string(run.state)) +
                                         "; wait for it to end");
    const auto dir = batch_runs::batch_dir(call.services.batch_root, run.id);
    std::vector<ArchiveEntry> entries;
    auto files = nlohmann::json::array();
    for (const auto& f : batch_runs::list_outputs(dir)) {
        const auto found = batch_runs::resolve_output(dir, f.path);
        if (!found) continue;
        entries.push_back({f.path, f.media_type, {}, *found, f.bytes});
        files.push_back({{"path", f.path}, {"media_type", f.media_type}, {"bytes", f.bytes}});
    }
    const nlohmann::json manifest{{"kind", "holon-batch-archive/1"}, {"batch", batch_view(call, run)}, {"files", files}};
    entries.insert(entries.begin(), {"manifest.json", "application/json", manifest.dump(2) + "\n", {}, 0});
    Response r;
    r.content_type = "application/zip";
    r.header("Content-Disposition", "attachment; filename=\"" + archive_segment(run.id) + ".zip\"");
    const store::Millis modified = run.finished_at.value_or(run.created_at);
    r.stream = [entries = std::move(entries), modified](std::ostream& out) { write_zip(out, entries, modified); };
    return r;
}

}  // namespace

void add_batch_routes(std::vector<RouteDef>& routes) {
    routes.push_back({"createBatch", Access::edit, create});
    routes.push_back({"getBatch", Access::read, get});
    routes.push_back({"cancelBatch", Access::edit, cancel});
    routes.push_back({"deleteBatch", Access::edit, remove});
    routes.push_back({"listBatchFiles", Access::read, files});
    routes.push_back({"getBatchFile", Access::read, file});
    routes.push_back({"getBatchArchive", Access::read, archive});
}

}  // namespace holon::api
