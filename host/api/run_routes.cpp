// Runs: durable jobs executed by the job engine. Progress by polling or server-sent events,
// cancellation, results as JSON, tables as JSON, CSV or XLSX, everything as one zip archive.
#include "api/archive.hpp"
#include "api/negotiation.hpp"
#include "api/routes.hpp"
#include "api/usage.hpp"
#include "batch_runs/batch_outputs.hpp"
#include "batch_runs/batch_runs.hpp"
#include "execution/admission.hpp"
#include "execution/executor.hpp"
#include "jobs/job_engine.hpp"
#include "jsonschema/json_schema.hpp"
#include "tables/csv.hpp"
#include "tables/xlsx.hpp"

#include <charconv>
#include <chrono>
#include <cmath>
#include <sstream>

namespace holon::api {

nlohmann::json run_view(const store::Run& run) {
    auto params = parse_stored(run.params_json);
    auto error = parse_stored(run.error_json);
    return {{"id", run.id},
            {"workspace", run.workspace_id},
            {"method", run.method},
            {"model", run.model_id ? nlohmann::json(*run.model_id) : nlohmann::json(nullptr)},
            {"model_revision", run.model_revision ? nlohmann::json(*run.model_revision) : nlohmann::json(nullptr)},
            {"params", params.is_object() ? params : nlohmann::json::object()},
            {"state", std::string(store::to_string(run.state))},
            {"progress", std::clamp(run.progress, 0.0, 1.0)},
            {"stage", run.stage},
            {"cancel_requested", run.cancel_requested},
            {"attempts", run.attempts},
            {"created_at", iso_time(run.created_at)},
            {"started_at", nullable_time(run.started_at)},
            {"finished_at", nullable_time(run.finished_at)},
            {"error", error.is_object() ? error : nlohmann::json(nullptr)}};
}

namespace {

nlohmann::json view(const store::Run& run) { return run_view(run); }

std::string run_location(const store::Run& run) {
    return "/v1/workspaces/" + run.workspace_id + "/runs/" + run.id;
}

double wait_param(const Call& call) {
    auto text = call.request.query_param("wait");
    if (!text) return 0;
    double seconds = -1;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), seconds);
    if (ec != std::errc() || end != text->data() + text->size() || !(seconds >= 0) ||
        seconds > call.services.limits.max_wait_seconds)
        throw problems::invalid_request("wait must be a number of seconds from 0 to " +
                                            std::to_string(static_cast<int>(call.services.limits.max_wait_seconds)),
                                        {{"wait", "out of range"}});
    return seconds;
}

Response create(Call& call) {
    const auto& ws = call.param("ws");
    const double wait = wait_param(call);
    const auto body = call.json_body();
    const std::string method_id = body["method"].get<std::string>();
    const auto* method = call.services.executor->registry().find_method(method_id);
    if (!method) {
        ApiError e(422, "/problems/unknown-method", "No plugin offers this method",
                   execution::unknown_method_message(call.services.executor->registry(), method_id) +
                       " (GET /v1/plugins lists them)");
        e.errors.push_back({"/method", "unknown method"});
        throw e;
    }
    const auto& d = method->description;
    if (d.kind == HOLON_METHOD_KIND_IMPORTER)
        throw problems::invalid_request(method_id + " is an importer: POST the document to .../models instead",
                                        {{"/method", "importers cannot be run"}});
    if (!body.contains("model") && execution::needs_model(d))
        throw problems::invalid_request(execution::missing_model_message(method_id), {{"/model", "required by this method"}});
    const auto params = body.value("params", nlohmann::json::object());
    if (method->params_schema) {
        const auto violations = method->params_schema->validate(params);
        if (!violations.empty()) {
            ApiError e(422, "/problems/invalid-params", "The params do not match the method's schema",
                       "params" + violations.front().path + ": " + violations.front().message);
            for (const auto& v : violations) e.errors.push_back({"/params" + v.path, v.message});
            throw e;
        }
    }
    check_quota(call.services, ws);
    if (call.store().count_in_flight(ws) >= call.services.limits.max_runs_in_flight)
        throw problems::too_many_runs("the workspace has " + std::to_string(call.services.limits.max_runs_in_flight) +
                                          " runs queued or running; retry later",
                                      call.services.limits.retry_after_seconds);

    store::NewRun request;
    request.method = method_id;
    if (body.contains("model")) request.model_id = body["model"].get<std::string>();
    if (body.contains("model_revision")) request.model_revision = body["model_revision"].get<std::int64_t>();
    request.params_json = params.dump();
    request.limits_json = body.value("limits", nlohmann::json::object()).dump();
    store::Run run = call.store().create_run(ws, request);
    call.log.run = run.id;
    call.services.jobs->notify_queued();
    int status = 202;
    if (wait > 0) {
        run = call.services.jobs->wait_for_end(ws, run.id, std::chrono::milliseconds(static_cast<long>(wait * 1000)));
        if (store::is_terminal(run.state)) status = 200;
    }
    auto r = json_response(status, view(run));
    r.header("Location", run_location(run));
    return r;
}

Response list(Call& call) {
    std::optional<store::RunState> state;
    if (auto s = call.request.query_param("state")) {
        try {
            state = store::run_state_from_string(*s);
        } catch (const store::InvalidArgument&) {
            throw problems::invalid_request("unknown state " + *s, {{"state", "not a run state"}});
        }
    }
    const auto page = call.store().list_runs(call.param("ws"), call.page(), state);
    auto items = nlohmann::json::array();
    for (const auto& r : page.items) items.push_back(view(r));
    return json_response(200, {{"items", items}, {"next", next_cursor(page.next)}});
}

Response get(Call& call) { return json_response(200, view(call.store().get_run(call.param("ws"), call.param("run")))); }

Response cancel(Call& call) {
    const auto run = call.store().request_cancel(call.param("ws"), call.param("run"));
    call.services.jobs->cancel(run.id);
    return json_response(202, view(run));
}

// A finished run with its events and outputs (a batch's output folder too); 409 while it runs.
Response remove(Call& call) {
    const auto run = call.store().get_run(call.param("ws"), call.param("run"));
    if (!store::is_terminal(run.state))
        throw problems::run_not_finished("run " + run.id + " is " + std::string(store::to_string(run.state)) +
                                         "; cancel it and wait for it to end before deleting it");
    try {
        call.store().delete_run(run.workspace_id, run.id);
    } catch (const store::Conflict& e) {
        throw problems::run_not_finished(e.what());
    }
    if (run.method == batch_runs::batch_method && !call.services.batch_root.empty())
        batch_runs::remove_batch_dirs(call.services.batch_root, {run.id});
    return no_content();
}

// The run must have succeeded for its outputs to be read.
void require_succeeded(Call& call) {
    const auto run = call.store().get_run(call.param("ws"), call.param("run"));
    if (run.state == store::RunState::succeeded) return;
    throw problems::run_not_finished("run " + run.id + " is " + std::string(store::to_string(run.state)) +
                                     (store::is_terminal(run.state) ? "; see its error" : "; wait for it to end"));
}

Response result(Call& call) {
    require_succeeded(call);
    const auto outputs = call.store().get_outputs(call.param("ws"), call.param("run"));
    Response r;
    r.content_type = "application/json";
    r.body = outputs.result_json.empty() ? "null" : outputs.result_json;
    return r;
}

// Parallel to "columns": each column's display name and units, null where it has none.
nlohmann::json texts_or_null(const std::vector<std::string>& texts, std::size_t count) {
    auto out = nlohmann::json::array();
    for (std::size_t c = 0; c < count; ++c)
        out.push_back(c < texts.size() && !texts[c].empty() ? nlohmann::json(texts[c]) : nlohmann::json(nullptr));
    return out;
}

Response tables(Call& call) {
    require_succeeded(call);
    const auto outputs = call.store().get_outputs(call.param("ws"), call.param("run"));
    auto list = nlohmann::json::array();
    for (const auto& t : outputs.tables)
        list.push_back({{"name", t.name},
                        {"columns", t.columns},
                        {"labels", texts_or_null(t.labels, t.columns.size())},
                        {"units", texts_or_null(t.units, t.columns.size())},
                        {"row_count", t.values.empty() ? 0 : t.values.front().size()}});
    auto files = nlohmann::json::array();
    for (const auto& b : outputs.blobs)
        files.push_back({{"name", b.name}, {"media_type", b.media_type}, {"bytes", b.data.size()}});
    return json_response(200, {{"tables", list}, {"files", files}});
}

// What a table can be sent as; the first is what a client without preference gets. The order is
// that of openapi.yaml as the router reads it (sorted), so that every 406 lists them alike.
const std::vector<std::string> table_media_types{"application/json", tables::xlsx_media_type, "text/csv"};

// The representation asked for: ?format= (json, csv, xlsx, or columns: the CSV of column ids,
// display names and units) wins over Accept; a format or Accept the route cannot give is a 406.
std::string table_format(const Request& request) {
    if (auto f = request.query_param("format")) {
        if (*f == "json" || *f == "csv" || *f == "xlsx" || *f == "columns") return *f;
        ApiError e = not_acceptable("", table_media_types);
        e.errors.push_back({"format", "use json, csv, xlsx or columns"});
        throw e;
    }
    const std::string type = choose_media_type(request, table_media_types);
    return type == "text/csv" ? "csv" : type == tables::xlsx_media_type ? "xlsx" : "json";
}

// The dates the run's downloads carry (XLSX creation time, archive entries): its end, so that
// the same run always downloads as the same bytes.
store::Millis finished_millis(const store::Run& run) { return run.finished_at.value_or(run.created_at); }

std::string table_json_text(const store::ResultTable& t) {
    const std::size_t rows = t.values.empty() ? 0 : t.values.front().size();
    auto data = nlohmann::json::array();
    for (std::size_t row = 0; row < rows; ++row) {
        auto line = nlohmann::json::array();
        for (const auto& column : t.values)
            line.push_back(std::isfinite(column[row]) ? nlohmann::json(column[row]) : nlohmann::json(nullptr));
        data.push_back(std::move(line));
    }
    return nlohmann::json{{"name", t.name},
                          {"columns", t.columns},
                          {"labels", texts_or_null(t.labels, t.columns.size())},
                          {"units", texts_or_null(t.units, t.columns.size())},
                          {"rows", std::move(data)}}
        .dump();
}

std::string table_xlsx(const store::ResultTable& t, const store::Run& run) {
    try {
        return tables::xlsx({tables::table_ref(t)}, static_cast<std::time_t>(finished_millis(run) / 1000));
    } catch (const tables::XlsxError& e) {
        throw problems::internal(std::string("writing the workbook failed: ") + e.what());
    }
}

Response attachment(std::string content_type, std::string body, const std::string& filename) {
    Response r;
    r.content_type = std::move(content_type);
    r.body = std::move(body);
    r.header("Content-Disposition", "attachment; filename=\"" + archive_segment(filename) + "\"");
    return r;
}

Response table(Call& call) {
    require_succeeded(call);
    const std::string format = table_format(call.request);
    const auto run = call.store().get_run(call.param("ws"), call.param("run"));
    const auto t = call.store().get_result_table(call.param("ws"), call.param("run"), call.param("table"));
    if (format == "csv")
        return attachment("text/csv; charset=utf-8", tables::csv(tables::table_ref(t), "\r\n"), t.name + ".csv");
    if (format == "columns")
        return attachment("text/csv; charset=utf-8", tables::columns_csv(tables::table_ref(t), "\r\n"),
                          t.name + ".columns.csv");
    if (format == "xlsx") {
        if (!tables::fits_xlsx(tables::table_ref(t))) {
            ApiError e = not_acceptable(call.request.header("Accept"), {"application/json", "text/csv"});
            e.errors.push_back({"format", "table '" + t.name + "' is larger than an Excel sheet (1,048,574 rows, "
                                          "16,384 columns); fetch it as text/csv or application/json"});
            throw e;
        }
        return attachment(tables::xlsx_media_type, table_xlsx(t, run), t.name + ".xlsx");
    }
    Response r;
    r.content_type = "application/json";
    r.body = table_json_text(t);
    return r;
}

Response file(Call& call) {
    require_succeeded(call);
    auto blob = call.store().get_result_blob(call.param("ws"), call.param("run"), call.param("file"));
    const std::string type = blob.media_type.empty() ? "application/octet-stream" : blob.media_type;
    // The file is what it is: an Accept that rules out its type (and octet-stream) is a 406.
    const std::string accept = call.request.header("Accept");
    if (!negotiate(accept, {type}) && !negotiate(accept, {"application/octet-stream"}))
        throw not_acceptable(accept, {type});
    Response r;
    r.content_type = type;
    r.body = std::move(blob.data);
    return r;
}

// The whole run as one zip: manifest.json (the run and the list of files), result.json, each
// table as tables/<name>.csv, .xlsx (when it fits a sheet) and (when it has names or units)
// .columns.csv, and each file under files/. Every entry is byte for byte what its own download
// gives.
Response archive(Call& call) {
    require_succeeded(call);
    const auto run = call.store().get_run(call.param("ws"), call.param("run"));
    auto outputs = call.store().get_outputs(call.param("ws"), call.param("run"));
    std::vector<ArchiveEntry> entries;
    if (!outputs.result_json.empty()) entries.push_back({"result.json", "application/json", outputs.result_json, {}, 0});
    for (const auto& t : outputs.tables) {
        const auto ref = tables::table_ref(t);
        const std::string base = "tables/" + archive_segment(t.name);
        entries.push_back({base + ".csv", "text/csv", tables::csv(ref, "\r\n"), {}, 0});
        if (ref.has_metadata()) entries.push_back({base + ".columns.csv", "text/csv", tables::columns_csv(ref, "\r\n"), {}, 0});
        // A table larger than a sheet has no workbook; its CSV holds it all.
        if (tables::fits_xlsx(ref)) entries.push_back({base + ".xlsx", tables::xlsx_media_type, table_xlsx(t, run), {}, 0});
    }
    for (auto& b : outputs.blobs)
        entries.push_back({"files/" + archive_segment(b.name), b.media_type, std::move(b.data), {}, 0});
    auto files = nlohmann::json::array();
    for (auto& e : entries) {
        e.bytes = e.data.size();
        files.push_back({{"path", e.path}, {"media_type", e.media_type}, {"bytes", e.bytes}});
    }
    const nlohmann::json manifest{{"kind", "holon-run-archive/1"}, {"run", run_view(run)}, {"files", files}};
    entries.insert(entries.begin(), {"manifest.json", "application/json", manifest.dump(2) + "\n", {}, 0});
    Response r;
    r.content_type = "application/zip";
    r.header("Content-Disposition", "attachment; filename=\"" + archive_segment(run.id) + ".zip\"");
    const store::Millis modified = finished_millis(run);
    r.stream = [entries = std::move(entries), modified](std::ostream& out) { write_zip(out, entries, modified); };
    return r;
}

std::int64_t resume_after(const Request& request) {
    std::string text = request.header("Last-Event-ID");
    if (text.empty()) text = request.query_param("after").value_or("");
    if (text.empty()) return 0;
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id < 0)
        throw problems::invalid_request("Last-Event-ID must be an event id", {{"Last-Event-ID", "not an event id"}});
    return id;
}

Response events(Call& call) {
    const std::string ws = call.param("ws");
    const std::string run_id = call.param("run");
    call.store().get_run(ws, run_id);  // 404 before the stream starts
    std::int64_t after = resume_after(call.request);
    const ApiServices services = call.services;
    Response r;
    r.content_type = "text/event-stream";
    r.header("Cache-Control", "no-store");
    r.stream = [services, ws, run_id, after](std::ostream& out) mutable {
        auto last_write = std::chrono::steady_clock::now();
        out << "retry: 1000\n\n" << std::flush;
        while (out.good() && !(services.stopping && services.stopping->load())) {
            const auto batch = services.store->list_events(ws, run_id, after, 100);
            for (const auto& e : batch) {
                out << "id: " << e.id << "\nevent: " << e.type << "\ndata: " << e.data_json << "\n\n";
                after = e.id;
            }
            if (!batch.empty()) {
                out.flush();
                last_write = std::chrono::steady_clock::now();
                continue;
            }
            // Read the state after the events: a terminal state seen here has its event stored.
            if (store::is_terminal(services.store->get_run(ws, run_id).state) &&
                services.store->list_events(ws, run_id, after, 1).empty())
                return;
            if (std::chrono::steady_clock::now() - last_write > std::chrono::seconds(15)) {
                out << ": keep-alive\n\n" << std::flush;
                last_write = std::chrono::steady_clock::now();
            }
            services.jobs->wait_for_change(std::chrono::milliseconds(250));
        }
    };
    return r;
}

}  // namespace

void add_run_routes(std::vector<RouteDef>& routes) {
    routes.push_back({"listRuns", Access::read, list});
    routes.push_back({"createRun", Access::edit, create});
    routes.push_back({"getRun", Access::read, get});
    routes.push_back({"streamRunEvents", Access::read, events});
    routes.push_back({"cancelRun", Access::edit, cancel});
    routes.push_back({"deleteRun", Access::edit, remove});
    routes.push_back({"getRunResult", Access::read, result});
    routes.push_back({"listRunTables", Access::read, tables});
    routes.push_back({"getRunTable", Access::read, table});
    routes.push_back({"getRunFile", Access::read, file});
    routes.push_back({"getRunArchive", Access::read, archive});
}

}  // namespace holon::api
