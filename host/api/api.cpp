#include "api/api.hpp"

#include "api/openapi.hpp"
#include "api/routes.hpp"
#include "jobs/job_engine.hpp"

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
};

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

struct Api::Impl {
    ApiServices services;
    std::vector<RouteDef> defs;
    std::vector<CompiledRoute> routes;
    std::set<std::string> known_paths;  // templates, for 405 vs 404

    Response dispatch(const Request& request, RequestLog& log) const;
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
    // The OpenAPI document is the route table: every operation must have exactly one handler.
    std::set<std::string> used;
    for (const auto& op : OpenApi::embedded().operations()) {
        const RouteDef* def = nullptr;
        for (const auto& d : impl_->defs)
            if (d.operation_id == op.operation_id) def = &d;
        if (!def) throw std::logic_error("openapi.yaml operation " + op.operation_id + " has no handler");
        used.insert(op.operation_id);
        impl_->routes.push_back({op.method, split_path(op.path), def});
    }
    for (const auto& d : impl_->defs)
        if (!used.count(d.operation_id)) throw std::logic_error("handler " + d.operation_id + " is not in openapi.yaml");
}

Api::~Api() = default;

const ApiServices& Api::services() const { return impl_->services; }

Response Api::handle(const Request& request, RequestLog& log) const {
    const auto started = std::chrono::steady_clock::now();
    Response response;
    try {
        response = impl_->dispatch(request, log);
    } catch (const ApiError& e) {
        response = problem_response(e);
    } catch (const store::NotFound& e) {
        response = problem_response(problems::not_found(e.what()));
    } catch (const store::Conflict& e) {
        response = problem_response(problems::precondition_failed(e.what()));
    } catch (const store::InvalidArgument& e) {
        response = problem_response(problems::invalid_request(e.what()));
    } catch (const std::exception& e) {
        response = problem_response(problems::internal(e.what()));
    }
    if (impl_->services.metrics) {
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        impl_->services.metrics->record(log.operation, response.status, seconds);
    }
    return response;
}

Response Api::Impl::dispatch(const Request& request, RequestLog& log) const {
    const auto segments = split_path(request.path);
    const CompiledRoute* found = nullptr;
    bool path_known = false;
    std::map<std::string, std::string> params;
    for (const auto& route : routes) {
        if (!matches(route, segments)) continue;
        path_known = true;
        if (route.method == request.method || (request.method == "HEAD" && route.method == "GET")) {
            found = &route;
            params = capture(route, segments);
            break;
        }
    }
    if (!found) {
        if (path_known) throw problems::method_not_allowed(request.method + " is not allowed on " + request.path);
        throw problems::not_found("no resource at " + request.path);
    }
    const RouteDef& def = *found->def;
    log.operation = def.operation_id;
    Call call{request, log, services, def.operation_id, std::move(params), std::nullopt};
    if (auto it = call.params.find("ws"); it != call.params.end()) log.workspace = it->second;
    if (auto it = call.params.find("run"); it != call.params.end()) log.run = it->second;

    if (def.access != Access::open) {
        const auto secret = bearer_secret(request);
        if (!secret) throw problems::unauthorized("send Authorization: Bearer TOKEN");
        call.principal = services.store->authenticate(*secret);
        if (!call.principal) throw problems::unauthorized("the token is unknown, revoked or expired");
        log.token_id = call.principal->token_id;
        // Tenancy before roles: another workspace's resources do not exist for this token.
        if (auto it = call.params.find("ws"); it != call.params.end()) {
            if (!call.principal->workspace_id.empty() && call.principal->workspace_id != it->second)
                throw problems::not_found("no workspace " + it->second);
        }
        authorize(def.access, *call.principal);
    }
    if (request.body.size() > services.limits.max_body_bytes)
        throw problems::body_too_large("the body has " + std::to_string(request.body.size()) +
                                       " bytes; the limit is " + std::to_string(services.limits.max_body_bytes));
    return def.handler(call);
}

// ---------------------------------------------------------------------------------------------
// Helpers for the handlers (routes.hpp)

nlohmann::json Call::json_body(ApiError (*reject)(const std::string&, std::vector<FieldError>)) const {
    auto doc = nlohmann::json::parse(request.body, nullptr, false);
    if (doc.is_discarded()) throw reject("the body is not JSON", {{"", "malformed JSON"}});
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
