// The HTTP side of the server. One front thread (epoll) accepts connections, counts them per
// client address and waits, without holding a worker, until a connection has sent a complete
// request head (or, with TLS, any bytes); only then a worker thread parses it with Poco, asks the
// API to admit it (route, token, Content-Type, heavy-request slot) before reading any body, reads
// the body under a deadline, answers and hands a keep-alive connection back to the front. Idle and
// slow connections thus cost a file descriptor, never a worker. Also writes the access log.
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
    int threads = 128;        // workers: requests handled at once
    int queue = 256;          // connections with a complete request head waiting for a worker
    std::size_t max_body_bytes = std::size_t{32} << 20;
    bool log_requests = true;
    double header_seconds = 10;       // a request head must be complete this long after it started
    double body_seconds = 60;         // a body must be read within this
    double keep_alive_seconds = 15;   // an idle connection is closed after this
    int connections_per_client = 256; // open connections of one client address
    int max_connections = 10000;      // open connections of all clients
    std::string tls_certificate;      // PEM files; both set: the server speaks HTTPS only
    std::string tls_key;
};

class HttpFrontend {
public:
    HttpFrontend(JsonLog& log, FrontendOptions options);
    ~HttpFrontend();
    HttpFrontend(const HttpFrontend&) = delete;
    HttpFrontend& operator=(const HttpFrontend&) = delete;

    // Binds the port exclusively (no SO_REUSEPORT sharing) and listens. Throws std::runtime_error
    // with a plain message when the port is taken or the certificate cannot be loaded.
    void listen();
    // Starts serving `api` (which must outlive stop()).
    void start(const api::Api& api);
    // Stops accepting, waits up to `drain_seconds` for in-flight requests, then closes the rest.
    void stop(double drain_seconds);
    int port() const;
    bool tls() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace holon::server
