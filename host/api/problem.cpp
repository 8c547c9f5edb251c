#include "api/problem.hpp"

#include <nlohmann/json.hpp>

namespace holon::api {

ApiError::ApiError(int status, std::string type, std::string title, const std::string& detail)
    : std::runtime_error(detail), status_(status), type_(std::move(type)), title_(std::move(title)) {}

std::string problem_json(const ApiError& error) {
    nlohmann::json doc{{"type", error.type()}, {"title", error.title()}, {"status", error.status()},
                       {"detail", error.what()}};
    if (!error.errors.empty()) {
        auto list = nlohmann::json::array();
        for (const auto& e : error.errors) list.push_back({{"path", e.path}, {"message", e.message}});
        doc["errors"] = std::move(list);
    }
    if (error.retry_after_seconds) doc["retry_after"] = *error.retry_after_seconds;
    if (!error.offered.empty()) doc["offered"] = error.offered;
    return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Response problem_response(const ApiError& error) {
    Response r;
    r.status = error.status();
    r.content_type = "application/problem+json";
    r.body = problem_json(error);
    if (error.retry_after_seconds) r.header("Retry-After", std::to_string(*error.retry_after_seconds));
    // RFC 6750: a 401 names the scheme the client should use.
    if (error.status() == 401) r.header("WWW-Authenticate", "Bearer realm=\"holon\"");
    return r;
}

namespace problems {

namespace {
ApiError make(int status, const char* slug, const char* title, const std::string& detail) {
    return ApiError(status, std::string("/problems/") + slug, title, detail);
}
}  // namespace

ApiError unauthorized(const std::string& d) { return make(401, "unauthorized", "Missing or invalid token", d); }
ApiError forbidden(const std::string& d) { return make(403, "forbidden", "The token's role does not allow this", d); }
ApiError not_found(const std::string& d) { return make(404, "not-found", "No such resource", d); }
ApiError method_not_allowed(const std::string& d) {
    return make(405, "method-not-allowed", "Method not allowed on this resource", d);
}
ApiError invalid_request(const std::string& d, std::vector<FieldError> errors) {
    auto e = make(400, "invalid-request", "The request is not valid", d);
    e.errors = std::move(errors);
    return e;
}
ApiError invalid_model(const std::string& d, std::vector<FieldError> errors) {
    auto e = make(422, "invalid-model", "The model is not a valid holon-model/1 document", d);
    e.errors = std::move(errors);
    return e;
}
ApiError unsupported_format(const std::string& d) {
    return make(415, "unsupported-format", "No importer or exporter for this format", d);
}
ApiError unsupported_media_type(const std::string& d) {
    return make(415, "unsupported-media-type", "The request's Content-Type is not accepted here", d);
}
ApiError precondition_required(const std::string& d) {
    return make(428, "precondition-required", "If-Match is required", d);
}
ApiError precondition_failed(const std::string& d) {
    return make(412, "precondition-failed", "The ETag does not match the latest revision", d);
}
ApiError body_too_large(const std::string& d) { return make(413, "body-too-large", "The request body is too large", d); }
ApiError model_too_large(const std::string& d) { return make(413, "model-too-large", "The model is too large", d); }
ApiError too_many_runs(const std::string& d, int retry_after_seconds) {
    auto e = make(429, "too-many-runs", "Too many runs in flight in this workspace", d);
    e.retry_after_seconds = retry_after_seconds;
    return e;
}
ApiError run_not_finished(const std::string& d) { return make(409, "run-not-finished", "The run has not succeeded", d); }
ApiError conflict(const std::string& d) { return make(409, "conflict", "Conflicts with the current state", d); }
ApiError import_failed(const std::string& d, const std::string& type_suffix) {
    return ApiError(422, "/problems/" + type_suffix, "The import or export failed", d);
}
ApiError not_ready(const std::string& d) { return make(503, "not-ready", "The server is not ready", d); }
ApiError internal(const std::string& d) { return make(500, "internal", "Internal error", d); }

}  // namespace problems

}  // namespace holon::api
