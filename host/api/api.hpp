// The REST API: routes every /v1 request (and /livez, /readyz, /metrics) to its handler after
// authentication, tenancy and role checks, and turns every failure into problem+json.
// Independent of the HTTP server: the server converts its requests to api::Request.
#pragma once

#include "api/http_types.hpp"
#include "api/metrics.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace holon::store {
class Store;
}
namespace holon::execution {
class Executor;
}
namespace holon::jobs {
class JobEngine;
}

namespace holon::api {

struct ApiLimits {
    std::size_t max_body_bytes = std::size_t{32} << 20;   // any request body (413 body-too-large)
    std::size_t max_model_bytes = std::size_t{16} << 20;  // a model document (413 model-too-large)
    std::size_t max_json_depth = 64;                      // nesting of JSON request bodies (400)
    std::int64_t max_runs_in_flight = 16;                 // queued + running per workspace (429)
    int retry_after_seconds = 2;                          // Retry-After of a 429
    std::size_t default_page_size = 50;
    std::size_t max_page_size = 1000;                     // larger `limit` values are clamped
    double max_wait_seconds = 60;                         // POST runs ?wait=
    // Model uploads and batch documents parsed and validated at once; more answer 503
    // /problems/server-busy with Retry-After.
    int heavy_requests = 4;
    // Storage per workspace (database rows and batch folders); 0: no quota. At the quota, new
    // models, revisions, runs and batches answer 507 /problems/quota-exceeded.
    std::int64_t workspace_bytes = 0;
};

struct ApiServices {
    store::Store* store = nullptr;
    const execution::Executor* executor = nullptr;
    jobs::JobEngine* jobs = nullptr;
    Metrics* metrics = nullptr;
    ApiLimits limits;
    // Where batch output folders live (<data>/batches); each batch run has <batch_root>/<run id>.
    std::filesystem::path batch_root;
    // "" when the server can take work, else why it cannot (for /readyz).
    std::function<std::string()> readiness;
    // Turns true when the server is shutting down: long responses (event streams) end.
    const std::atomic<bool>* stopping = nullptr;
};

struct ResolvedRequest;

// What Api::admit decided from the request head alone, before the server reads the body.
class Admission {
public:
    std::optional<Response> refusal;  // answer this and do not read the body

private:
    friend class Api;
    std::shared_ptr<const ResolvedRequest> resolved_;  // route and principal, reused by handle
};

class Api {
public:
    explicit Api(ApiServices services);
    ~Api();
    Api(const Api&) = delete;
    Api& operator=(const Api&) = delete;

    // Thread-safe. Never throws: every failure is a problem+json response. Fills `log`.
    Response handle(const Request& request, RequestLog& log) const;

    // Checks made before the body is read (`head` has no body yet): the route exists, the token
    // is valid for it and the Content-Type is accepted. Unauthenticated clients thus never make
    // the server buffer a body.
    Admission admit(const Request& head, RequestLog& log) const;
    // handle() for a request admit() let through. A heavy request (model upload, batch document)
    // needs one of limits.heavy_requests slots while it is parsed and validated, else 503.
    Response handle(const Request& request, RequestLog& log, const Admission& admission) const;

    const ApiServices& services() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace holon::api
