// Models: holon-model/1 documents with immutable revisions. Other formats are imported (and
// exported) by the importer/exporter method a plugin declares for the format, run in a runner.
#include "api/negotiation.hpp"
#include "api/routes.hpp"
#include "api/usage.hpp"
#include "execution/executor.hpp"
#include "execution/model_check.hpp"
#include "jsonschema/json_schema.hpp"
#include "model/model.hpp"
#include "suggest/suggest.hpp"

#include <holon/holon_plugin.h>

#include <algorithm>
#include <cctype>

namespace holon::api {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool is_native(const std::string& format) { return format.empty() || format == "json" || format == "holon"; }

// The format of a POSTed body: ?format= wins, then the media type.
std::string body_format(const Request& request) {
    if (auto f = request.query_param("format")) return lower(*f);
    const std::string type = lower(request.header("Content-Type"));
    if (type.empty() || type.rfind("application/json", 0) == 0) return "holon";
    if (type.find("+json") != std::string::npos) return "holon";
    if (type.rfind("application/xml", 0) == 0 || type.rfind("text/xml", 0) == 0) return "xmile";
    // Generic media types (curl's default form type, octet-stream, text/plain): look at the body.
    const auto first = request.body.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (first != std::string::npos && request.body[first] == '{') return "holon";
    if (first != std::string::npos && request.body[first] == '<') return "xmile";
    throw problems::unsupported_format("send holon-model/1 as application/json, XMILE as application/xml, or name "
                                       "the format with ?format=");
}

void check_model_size(const ApiServices& services, std::size_t bytes) {
    if (bytes > services.limits.max_model_bytes)
        throw problems::model_too_large("the model has " + std::to_string(bytes) + " bytes; the limit is " +
                                        std::to_string(services.limits.max_model_bytes));
}

bool blank(const std::string& body) { return body.find_first_not_of(" \t\r\n") == std::string::npos; }

void require_body(const Request& request) {
    if (blank(request.body))
        throw problems::invalid_request("the request body is empty: send a holon-model/1 document as application/json, "
                                        "XMILE as application/xml, or another model file with ?format=",
                                        {{"", "the request body is empty"}});
}

// Parses and fully validates a holon-model/1 document (schema, references, and what only a plugin
// can check: SD equations); throws invalid-model with every issue.
nlohmann::json checked_model(const ApiServices& services, const std::string& text, const std::string& ws) {
    check_model_size(services, text.size());
    nlohmann::json doc;
    try {
        model::ParseLimits limits;
        limits.max_bytes = services.limits.max_model_bytes;
        doc = model::parse(text, "body", limits);
    } catch (const model::ModelError& e) {
        throw problems::invalid_model(e.what(), {{e.path, e.what()}});
    }
    const auto issues = model::validate(doc);
    if (!issues.empty()) {
        // The first 100 are listed: a model wrong everywhere must not make a megabyte answer.
        std::vector<FieldError> errors;
        for (std::size_t k = 0; k < issues.size() && k < 100; ++k) errors.push_back({issues[k].path, issues[k].message});
        const auto& first = issues.front();
        throw problems::invalid_model((first.path.empty() ? std::string("model") : first.path) + ": " + first.message +
                                          (issues.size() > 1 ? " (and " + std::to_string(issues.size() - 1) + " more)"
                                                             : std::string()),
                                      std::move(errors));
    }
    const auto checked = execution::check_model_with_plugins(*services.executor, text, ws);
    // Only a refusal blocks the upload: a checker that crashed or ran out of time says nothing
    // about the model (its runs will tell).
    if (checked.problem == "invalid-model") {
        const auto details = nlohmann::json::parse(checked.details_json, nullptr, false);
        const std::string path = details.is_object() ? details.value("path", std::string()) : std::string();
        throw problems::invalid_model((path.empty() ? std::string("model") : path) + ": " + checked.message,
                                      {{path, checked.message}});
    }
    return doc;
}

store::ModelWrite write_of(const nlohmann::json& doc, std::string body) {
    store::ModelWrite w;
    w.name = doc.value("name", std::string());
    if (w.name.empty()) w.name = doc.value("id", std::string("model"));
    w.body = std::move(body);
    return w;
}

std::string import_to_model(const ApiServices& services, const std::string& ws, const std::string& format,
                            const std::string& source) {
    const auto* importer = services.executor->registry().importer_for(format);
    if (!importer) {
        std::vector<std::string> known = {"json"};
        for (const auto& f : services.executor->registry().import_formats()) known.push_back(f);
        throw problems::unsupported_format("no plugin imports format '" + format + "'" + suggest::did_you_mean(format, known) +
                                           " (importable: " + suggest::quoted_list(known, 50, "") + ")");
    }
    execution::RunRequest request;
    request.method_id = importer->description.id;
    request.source = source;
    request.source_name = "upload." + format;
    request.workspace = ws;  // warm runners never serve two workspaces
    const auto outcome = services.executor->run(request);
    if (!outcome.ok()) {
        // Where in the upload: the line and column the importer named.
        std::string where;
        const auto details = nlohmann::json::parse(outcome.details_json, nullptr, false);
        if (details.is_object() && details.contains("line") && details["line"].is_number_integer())
            where = "line " + details["line"].dump() +
                    (details.contains("column") ? ", column " + details["column"].dump() : std::string()) + ": ";
        throw problems::import_failed(
            importer->description.id + " failed (" + outcome.problem + "): " + where + outcome.message, "import-failed");
    }
    return outcome.result_json;
}

Response created(const std::string& ws, const store::ModelRef& ref, int status, const std::string& imported_from) {
    nlohmann::json body{{"id", ref.id}, {"revision", ref.revision}, {"etag", ref.etag}};
    if (!imported_from.empty()) body["imported_from"] = imported_from;
    auto r = json_response(status, body);
    r.header("ETag", ref.etag);
    r.header("Location", "/v1/workspaces/" + ws + "/models/" + ref.id);
    return r;
}

Response create(Call& call) {
    const auto& ws = call.param("ws");
    check_quota(call.services, ws);
    require_body(call.request);
    const std::string format = body_format(call.request);
    std::string text = call.request.body;
    std::string imported_from;
    if (!is_native(format)) {
        text = import_to_model(call.services, ws, format, call.request.body);
        imported_from = format;
    }
    const auto doc = checked_model(call.services, text, ws);
    const auto ref = call.store().create_model(ws, write_of(doc, std::move(text)));
    return created(ws, ref, 201, imported_from);
}

std::optional<std::int64_t> revision_param(const Request& request) {
    auto text = request.query_param("revision");
    if (!text) return std::nullopt;
    std::size_t used = 0;
    long long n = 0;
    try {
        n = std::stoll(*text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text->size() || n < 1)
        throw problems::invalid_request("revision must be a positive integer", {{"revision", "must be >= 1"}});
    return n;
}

Response get(Call& call) {
    const auto revision = call.store().get_model(call.param("ws"), call.param("model"), revision_param(call.request));
    std::string format = lower(call.request.query_param("format").value_or(""));
    if (!call.request.query_param("format")) {
        // Without ?format the Accept header chooses: the document itself, or XMILE when asked for
        // XML and a plugin exports it; anything else is 406 listing what is offered.
        std::vector<std::string> offered = {"application/json"};
        if (call.services.executor->registry().exporter_for("xmile")) offered.push_back("application/xml");
        if (choose_media_type(call.request, offered) == "application/xml") format = "xmile";
    }
    Response r;
    if (is_native(format)) {
        r.content_type = "application/json";
        r.body = revision.body;
    } else {
        const auto* exporter = call.services.executor->registry().exporter_for(format);
        if (!exporter) {
            std::vector<std::string> known = {"json"};
            const auto& registry = call.services.executor->registry();
            for (const auto& plugin : registry.plugins())
                for (const auto* m : registry.methods_of(*plugin))
                    if (m->description.kind == HOLON_METHOD_KIND_EXPORTER)
                        known.insert(known.end(), m->formats.begin(), m->formats.end());
            throw problems::unsupported_format("no plugin exports format '" + format + "'" +
                                               suggest::did_you_mean(format, known) +
                                               " (exportable: " + suggest::quoted_list(known, 50, "") + ")");
        }
        execution::RunRequest request;
        request.method_id = exporter->description.id;
        request.model_json = revision.body;
        request.workspace = call.param("ws");  // warm runners never serve two workspaces
        // Exporters serving several formats take the format as a param; the others take none. The
        // exporter's own params schema decides which (a retry on any invalid-params would also
        // retry, with other params, when the plugin itself refused them).
        const std::string with_format = nlohmann::json{{"format", format}}.dump();
        request.params_json = exporter->params_schema->validate_text(with_format).empty() ? with_format : "{}";
        auto outcome = call.services.executor->run(request);
        if (!outcome.ok() || outcome.blobs.empty())
            throw problems::import_failed(exporter->description.id + " failed (" + outcome.problem + "): " +
                                              (outcome.ok() ? std::string("it produced no file") : outcome.message),
                                          "export-failed");
        r.content_type = outcome.blobs.front().media_type.empty() ? "application/octet-stream"
                                                                 : outcome.blobs.front().media_type;
        r.body = std::move(outcome.blobs.front().data);
    }
    r.header("ETag", revision.etag);
    r.header("Holon-Model-Revision", std::to_string(revision.revision));
    return r;
}

std::string required_if_match(const Request& request) {
    std::string etag = request.header("If-Match");
    if (etag.empty()) throw problems::precondition_required("send If-Match with the ETag of the revision you changed");
    return etag;
}

Response replace(Call& call) {
    const auto& ws = call.param("ws");
    call.store().get_model(ws, call.param("model"));  // 404 before 428 for a model that does not exist
    const std::string etag = required_if_match(call.request);
    check_quota(call.services, ws);
    require_body(call.request);
    const auto doc = checked_model(call.services, call.request.body, ws);
    const auto ref = call.store().update_model(ws, call.param("model"), etag, write_of(doc, call.request.body));
    return created(ws, ref, 200, "");
}

Response patch(Call& call) {
    const auto& ws = call.param("ws");
    const auto current = call.store().get_model(ws, call.param("model"));
    const std::string etag = required_if_match(call.request);
    if (etag != current.etag) throw problems::precondition_failed("If-Match " + etag + " is not the latest revision");
    check_quota(call.services, ws);
    const auto patch_doc = call.json_body();
    auto doc = nlohmann::json::parse(current.body, nullptr, false);
    if (doc.is_discarded()) throw problems::internal("the stored revision is not JSON");
    doc.merge_patch(patch_doc);
    std::string text = doc.dump();
    checked_model(call.services, text, ws);
    const auto ref = call.store().update_model(ws, call.param("model"), etag, write_of(doc, std::move(text)));
    return created(ws, ref, 200, "");
}

Response remove(Call& call) {
    call.store().delete_model(call.param("ws"), call.param("model"));
    return no_content();
}

Response list(Call& call) {
    const auto page = call.store().list_models(call.param("ws"), call.page());
    auto items = nlohmann::json::array();
    for (const auto& m : page.items)
        items.push_back({{"id", m.id},
                         {"name", m.name},
                         {"revision", m.latest_revision},
                         {"etag", m.etag},
                         {"format", m.format},
                         {"bytes", m.bytes},
                         {"created_at", iso_time(m.created_at)},
                         {"updated_at", iso_time(m.updated_at)}});
    return json_response(200, {{"items", items}, {"next", next_cursor(page.next)}});
}

Response revisions(Call& call) {
    const auto page = call.store().list_revisions(call.param("ws"), call.param("model"), call.page());
    auto items = nlohmann::json::array();
    for (const auto& r : page.items)
        items.push_back({{"revision", r.revision},
                         {"etag", r.etag},
                         {"name", r.name},
                         {"format", r.format},
                         {"bytes", r.bytes},
                         {"created_at", iso_time(r.created_at)}});
    return json_response(200, {{"items", items}, {"next", next_cursor(page.next)}});
}

}  // namespace

void add_model_routes(std::vector<RouteDef>& routes) {
    routes.push_back({"listModels", Access::read, list});
    routes.push_back({"createModel", Access::edit, create});
    routes.push_back({"getModel", Access::read, get});
    routes.push_back({"replaceModel", Access::edit, replace});
    routes.push_back({"patchModel", Access::edit, patch});
    routes.push_back({"deleteModel", Access::edit, remove});
    routes.push_back({"listModelRevisions", Access::read, revisions});
}

}  // namespace holon::api
