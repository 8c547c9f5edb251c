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
    std::int64_t max_runs_in_flight = 16;                 // queued + running per workspace (429)
    int retry_after_seconds = 2;                          // Retry-After of a 429
    std::size_t default_page_size = 50;
    std::size_t max_page_size = 1000;                     // larger `limit` values are clamped
    double max_wait_seconds = 60;                         // POST runs ?wait=
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

class Api {
public:
    explicit Api(ApiServices services);
    ~Api();
    Api(const Api&) = delete;
    Api& operator=(const Api&) = delete;

    // Thread-safe. Never throws: every failure is a problem+json response. Fills `log`.
    Response handle(const Request& request, RequestLog& log) const;

    const ApiServices& services() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace holon::api
