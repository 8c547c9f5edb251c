// The HTTP side of the server: Poco's HTTPServer turning connections into api::Request values,
// enforcing the body size limit before reading, writing api::Response values (including event
// streams) and the access log.
#pragma once

#include "api/api.hpp"
#include "server/json_log.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace holon::server {

struct FrontendOptions {
    std::string host = "127.0.0.1";
    int port = 8080;          // 0: any free port (see HttpFrontend::port)
    int threads = 128;
    int queue = 256;
    std::size_t max_body_bytes = std::size_t{32} << 20;
    bool log_requests = true;
};

class HttpFrontend {
public:
    HttpFrontend(const api::Api& api, JsonLog& log, FrontendOptions options);
    ~HttpFrontend();
    HttpFrontend(const HttpFrontend&) = delete;
    HttpFrontend& operator=(const HttpFrontend&) = delete;

    void start();
    // Stops accepting, waits up to `drain_seconds` for in-flight requests, then closes the rest.
    void stop(double drain_seconds);
    int port() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace holon::server
