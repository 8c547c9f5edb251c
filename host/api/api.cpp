#include "api/api.hpp"
#include "api/negotiation.hpp"

#include "api/openapi.hpp"
#include "api/request_json.hpp"
#include "api/routes.hpp"
#include "jobs/job_engine.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <ctime>
#include <set>
#include <stdexcept>

namespace holon::api {

namespace {

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> out;
    std::size_t start = 1;
    while (start <= path.size()) {
        const auto slash = path.find('/', start);
        const auto end = slash == std::string::npos ? path.size() : slash;
        out.push_back(path.substr(start, end - start));
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    return out;
}

struct CompiledRoute {
    std::string method;
    std::vector<std::string> segments;  // "{name}" segments capture
    const RouteDef* def = nullptr;
    std::vector<std::string> media_types;  // accepted request Content-Types (none: no body)
    std::vector<std::string> response_media_types;  // what its 2xx responses can be (openapi.yaml)
};

// "Application/JSON; charset=utf-8" -> "application/json".
std::string media_type_of(const std::string& content_type) {
    std::string out = content_type.substr(0, content_type.find(';'));
    while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
    while (!out.empty() && (out.front() == ' ' || out.front() == '\t')) out.erase(out.begin());
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// A body must be sent with one of the media types openapi.yaml documents for the operation.
// createModel's ?format= names the body's format itself (e.g. ?format=mdl): any type goes then.
void check_media_type(const CompiledRoute& route, const Request& request) {
    if (route.media_types.empty()) return;
    if (route.def->operation_id == "createModel" && request.query_param("format")) return;
    const std::string type = media_type_of(request.header("Content-Type"));
    for (const auto& accepted : route.media_types)
        if (type == accepted) return;
    std::string list;
    for (const auto& accepted : route.media_types) list += (list.empty() ? "" : ", ") + accepted;
    throw problems::unsupported_media_type(
        (type.empty() ? std::string("the request has no Content-Type") : "Content-Type " + type + " is not accepted") +
        "; send one of: " + list);
}

// Honest content negotiation: a route whose responses can be none of what the client accepts
// answers 406 up front (listing what it offers) instead of sending JSON anyway. A ?format= query
// names the representation itself, and stored files (application/octet-stream: any type) are
// negotiated by their handler against the file's own type.
void check_accept(const CompiledRoute& route, const Request& request) {
    const auto& offered = route.response_media_types;
    if (offered.empty() || request.query_param("format")) return;
    if (std::find(offered.begin(), offered.end(), "application/octet-stream") != offered.end()) return;
    const std::string accept = request.header("Accept");
    if (!negotiate(accept, offered)) throw not_acceptable(accept, offered);
}

bool is_parameter(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool matches(const CompiledRoute& route, const std::vector<std::string>& segments) {
    if (route.segments.size() != segments.size()) return false;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const auto& s = route.segments[i];
        if (is_parameter(s) ? segments[i].empty() : s != segments[i]) return false;
    }
    return true;
}

// The path parameters of a route that matches().
std::map<std::string, std::string> capture(const CompiledRoute& route, const std::vector<std::string>& segments) {
    std::map<std::string, std::string> params;
    for (std::size_t i = 0; i < segments.size(); ++i)
        if (is_parameter(route.segments[i])) params[route.segments[i].substr(1, route.segments[i].size() - 2)] = segments[i];
    return params;
}

std::optional<std::string> bearer_secret(const Request& request) {
    const std::string auth = request.header("Authorization");
    constexpr std::string_view scheme = "Bearer ";
    if (auth.size() <= scheme.size()) return std::nullopt;
    for (std::size_t i = 0; i < scheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(auth[i])) != std::tolower(static_cast<unsigned char>(scheme[i])))
            return std::nullopt;
    return auth.substr(scheme.size());
}

int rank(store::Role role) {
    switch (role) {
    case store::Role::viewer: return 0;
    case store::Role::editor: return 1;
    case store::Role::admin: return 2;
    }
    return 0;
}

void authorize(Access access, const store::Principal& who) {
    const bool server_token = who.workspace_id.empty();
    switch (access) {
    case Access::open:
    case Access::any_token:
    case Access::read:
        return;
    case Access::edit:
        if (rank(who.role) < rank(store::Role::editor))
            throw problems::forbidden("this needs an editor or admin token; the token is a viewer's");
        return;
    case Access::workspace_admin:
        if (who.role != store::Role::admin) throw problems::forbidden("this needs an admin token");
        return;
    case Access::server_admin:
        if (!server_token || who.role != store::Role::admin)
            throw problems::forbidden("this needs the server admin token (not bound to a workspace)");
        return;
    }
}

}  // namespace

struct ResolvedRequest {
    const RouteDef* def = nullptr;
    std::map<std::string, std::string> params;
    std::optional<store::Principal> principal;
    bool heavy = false;
};

namespace {

// Operations that parse and validate a whole document in the server (CPU and memory bound).
bool is_heavy(const std::string& operation_id) {
    return operation_id == "createModel" || operation_id == "replaceModel" || operation_id == "patchModel" ||
           operation_id == "createBatch";
}

// The problem+json answer for the exception being handled.
Response current_problem() {
    try {
        throw;
    } catch (const ApiError& e) {
        return problem_response(e);
    } catch (const store::NotFound& e) {
        return problem_response(problems::not_found(e.what()));
    } catch (const store::Conflict& e) {
        return problem_response(problems::precondition_failed(e.what()));
    } catch (const store::InvalidArgument& e) {
        return problem_response(problems::invalid_request(e.what()));
    } catch (const store::Unavailable& e) {
        // Nothing was written; the client can try again once the database is back.
        return problem_response(problems::not_ready(std::string("the database cannot be reached (") + e.what() + ")"));
    } catch (const std::exception& e) {
        return problem_response(problems::internal(e.what()));
    } catch (...) {
        return problem_response(problems::internal("unknown error"));
    }
}

// Headers every answer carries: no MIME sniffing, and documents a browser could render (HTML
// reports, SVG plots, a plugin's files) get a policy that runs no script and loads nothing else.
void add_security_headers(Response& response) {
    response.header("X-Content-Type-Options", "nosniff");
    const auto& type = response.content_type;
    for (const auto& [name, value] : response.headers)
        if (name == "Content-Security-Policy") return;  // the console's page sets its own
    if (type.rfind("text/html", 0) == 0 || type.rfind("image/svg", 0) == 0 || type.rfind("application/xhtml", 0) == 0 ||
        type.rfind("text/xml", 0) == 0 || type.rfind("application/xml", 0) == 0)
        response.header("Content-Security-Policy",
                        "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox");
}

}  // namespace

struct Api::Impl {
    ApiServices services;
    std::vector<RouteDef> defs;
    std::vector<CompiledRoute> routes;
    mutable std::atomic<int> heavy_in_use{0};

    ResolvedRequest resolve(const Request& request, RequestLog& log) const;
    Response dispatch(const Request& request, RequestLog& log, const ResolvedRequest& resolved) const;
    std::shared_ptr<void> take_heavy_slot() const;
    void record(const RequestLog& log, const Response& response, std::chrono::steady_clock::time_point started) const;
};

Api::Api(ApiServices services) : impl_(std::make_unique<Impl>()) {
    impl_->services = std::move(services);
    add_health_routes(impl_->defs);
    add_workspace_routes(impl_->defs);
    add_token_routes(impl_->defs);
    add_model_routes(impl_->defs);
    add_plugin_routes(impl_->defs);
    add_run_routes(impl_->defs);
    add_batch_routes(impl_->defs);
    add_console_routes(impl_->defs);
    // The OpenAPI document is the route table: every operation must have exactly one handler.
    std::set<std::string> used;
    for (const auto& op : OpenApi::embedded().operations()) {
        const RouteDef* def = nullptr;
        for (const auto& d : impl_->defs)
            if (d.operation_id == op.operation_id) def = &d;
        if (!def) throw std::logic_error("openapi.yaml operation " + op.operation_id + " has no handler");
        used.insert(op.operation_id);
        impl_->routes.push_back({op.method, split_path(op.path), def, op.request_media_types, op.response_media_types});
    }
    for (const auto& d : impl_->defs)
        if (!used.count(d.operation_id)) throw std::logic_error("handler " + d.operation_id + " is not in openapi.yaml");
}

Api::~Api() = default;

const ApiServices& Api::services() const { return impl_->services; }

void Api::Impl::record(const RequestLog& log, const Response& response,
                       std::chrono::steady_clock::time_point started) const {
    if (!services.metrics) return;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    services.metrics->record(log.operation, response.status, seconds);
}

Response Api::handle(const Request& request, RequestLog& log) const {
    return handle(request, log, admit(request, log));
}

Admission Api::admit(const Request& head, RequestLog& log) const {
    const auto started = std::chrono::steady_clock::now();
    Admission admission;
    try {
        admission.resolved_ = std::make_shared<ResolvedRequest>(impl_->resolve(head, log));
    } catch (...) {
        admission.refusal = current_problem();
        add_security_headers(*admission.refusal);
        impl_->record(log, *admission.refusal, started);
    }
    return admission;
}

Response Api::handle(const Request& request, RequestLog& log, const Admission& admission) const {
    if (admission.refusal) return *admission.refusal;
    if (!admission.resolved_) return handle(request, log);  // an Admission not made by admit()
    const auto started = std::chrono::steady_clock::now();
    Response response;
    try {
        // The slot is taken once the body is in: a slow uploader must not hold one while sending.
        std::shared_ptr<void> slot;
        if (admission.resolved_->heavy) slot = impl_->take_heavy_slot();
        response = impl_->dispatch(request, log, *admission.resolved_);
    } catch (...) {
        response = current_problem();
    }
    add_security_headers(response);
    impl_->record(log, response, started);
    return response;
}

std::shared_ptr<void> Api::Impl::take_heavy_slot() const {
    const int limit = std::max(1, services.limits.heavy_requests);
    if (heavy_in_use.fetch_add(1) >= limit) {
        heavy_in_use.fetch_sub(1);
        auto e = ApiError(503, "/problems/server-busy", "The server is busy",
                          "the server is already validating " + std::to_string(limit) +
                              " models or batch documents; retry shortly");
        e.retry_after_seconds = 1;
        throw e;
    }
    // A shared_ptr with a null pointer still runs its deleter: the slot is freed with the last copy.
    return std::shared_ptr<void>(nullptr, [this](void*) { heavy_in_use.fetch_sub(1); });
}

ResolvedRequest Api::Impl::resolve(const Request& request, RequestLog& log) const {
    const auto segments = split_path(request.path);
    const CompiledRoute* found = nullptr;
    bool path_known = false;
    ResolvedRequest resolved;
    for (const auto& route : routes) {
        if (!matches(route, segments)) continue;
        path_known = true;
        if (route.method == request.method || (request.method == "HEAD" && route.method == "GET")) {
            found = &route;
            resolved.params = capture(route, segments);
            break;
        }
    }
    if (!found) {
        if (path_known) throw problems::method_not_allowed(request.method + " is not allowed on " + request.path);
        throw problems::not_found("no resource at " + request.path);
    }
    const RouteDef& def = *found->def;
    resolved.def = &def;
    resolved.heavy = is_heavy(def.operation_id);
    log.operation = def.operation_id;
    if (auto it = resolved.params.find("ws"); it != resolved.params.end()) log.workspace = it->second;
    if (auto it = resolved.params.find("run"); it != resolved.params.end()) log.run = it->second;

    if (def.access != Access::open) {
        const auto secret = bearer_secret(request);
        if (!secret) throw problems::unauthorized("send Authorization: Bearer TOKEN");
        resolved.principal = services.store->authenticate(*secret);
        if (!resolved.principal) throw problems::unauthorized("the token is unknown, revoked or expired");
        log.token_id = resolved.principal->token_id;
        // Tenancy before roles: another workspace's resources do not exist for this token.
        if (auto it = resolved.params.find("ws"); it != resolved.params.end()) {
            if (!resolved.principal->workspace_id.empty() && resolved.principal->workspace_id != it->second)
                throw problems::not_found("no workspace " + it->second);
        }
        authorize(def.access, *resolved.principal);
    }
    check_media_type(*found, request);
    check_accept(*found, request);
    return resolved;
}

Response Api::Impl::dispatch(const Request& request, RequestLog& log, const ResolvedRequest& resolved) const {
    if (request.body.size() > services.limits.max_body_bytes)
        throw problems::body_too_large("the body has " + std::to_string(request.body.size()) +
                                       " bytes; the limit is " + std::to_string(services.limits.max_body_bytes));
    Call call{request, log, services, resolved.def->operation_id, resolved.params, resolved.principal};
    return resolved.def->handler(call);
}

// ---------------------------------------------------------------------------------------------
// Helpers for the handlers (routes.hpp)

nlohmann::json Call::json_body(ApiError (*reject)(const std::string&, std::vector<FieldError>)) const {
    JsonLimits limits;
    limits.max_bytes = services.limits.max_body_bytes;
    limits.max_depth = services.limits.max_json_depth;
    auto doc = read_request_json(request.body, limits, reject);
    if (const auto* schema = OpenApi::embedded().request_schema(operation_id)) {
        const auto violations = schema->validate(doc);
        if (!violations.empty()) {
            std::vector<FieldError> errors;
            for (const auto& v : violations) errors.push_back({v.path, v.message});
            const auto& first = violations.front();
            throw reject((first.path.empty() ? std::string("body") : first.path) + ": " + first.message,
                         std::move(errors));
        }
    }
    return doc;
}

store::PageRequest Call::page() const {
    store::PageRequest page;
    page.limit = services.limits.default_page_size;
    if (auto limit = request.query_param("limit")) {
        std::size_t used = 0;
        long long n = 0;
        try {
            n = std::stoll(*limit, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != limit->size() || n < 1)
            throw problems::invalid_request("limit must be a positive integer", {{"limit", "must be >= 1"}});
        page.limit = std::min(static_cast<std::size_t>(n), services.limits.max_page_size);
    }
    if (auto after = request.query_param("after")) page.after = *after;
    return page;
}

Response json_response(int status, const nlohmann::json& body) {
    Response r;
    r.status = status;
    r.content_type = "application/json";
    r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return r;
}

Response no_content() {
    Response r;
    r.status = 204;
    return r;
}

std::string iso_time(store::Millis millis) {
    const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis % 1000));
    return buf;
}

nlohmann::json nullable_time(const std::optional<store::Millis>& millis) {
    return millis ? nlohmann::json(iso_time(*millis)) : nlohmann::json(nullptr);
}

nlohmann::json next_cursor(const std::string& next) {
    return next.empty() ? nlohmann::json(nullptr) : nlohmann::json(next);
}

nlohmann::json parse_stored(const std::string& text) {
    if (text.empty()) return nullptr;
    return nlohmann::json::parse(text, nullptr, false);
}

}  // namespace holon::api
