#include "server/http_frontend.hpp"

#include "api/problem.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

namespace holon::server {

namespace {

std::atomic<std::uint64_t> g_request_counter{0};

std::string new_request_id() {
    static const std::string prefix = [] {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(
                                                  std::chrono::steady_clock::now().time_since_epoch().count()));
        return std::string("req_") + buf + "_";
    }();
    return prefix + std::to_string(++g_request_counter);
}

class Handler : public Poco::Net::HTTPRequestHandler {
public:
    Handler(const api::Api& api, JsonLog& log, const FrontendOptions& options)
        : api_(api), log_(log), options_(options) {}

    void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
        const auto started = std::chrono::steady_clock::now();
        api::Request request;
        api::RequestLog entry;
        api::Response response;
        request.method = in.getMethod();
        request.request_id = in.get("X-Request-Id", "");
        if (request.request_id.empty() || request.request_id.size() > 100) request.request_id = new_request_id();
        try {
            Poco::URI uri(in.getURI());
            request.path = uri.getPath();
            request.query = api::parse_query(uri.getRawQuery());
            for (const auto& [name, value] : in) request.headers[name] = value;
            response = read_body(in, request) ? api_.handle(request, entry) : too_large();
        } catch (const Poco::SyntaxException&) {
            response = api::problem_response(api::problems::invalid_request("the request URI is malformed"));
        }
        send(out, response);
        if (options_.log_requests) {
            const double ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
            nlohmann::json fields{{"request_id", request.request_id},
                                  {"method", request.method},
                                  {"path", request.path},
                                  {"status", response.status},
                                  {"ms", static_cast<double>(static_cast<long>(ms * 1000)) / 1000.0}};
            if (!entry.operation.empty()) fields["operation"] = entry.operation;
            if (!entry.workspace.empty()) fields["workspace"] = entry.workspace;
            if (!entry.run.empty()) fields["run"] = entry.run;
            if (!entry.token_id.empty()) fields["token_id"] = entry.token_id;
            log_.info("request", fields);
        }
    }

private:
    // False when the body is over the limit (the connection is then closed, not drained).
    bool read_body(Poco::Net::HTTPServerRequest& in, api::Request& request) {
        const auto limit = options_.max_body_bytes;
        if (in.hasContentLength() && in.getContentLength64() > static_cast<Poco::Int64>(limit)) {
            // Read (and drop) a moderately oversized body so that the client, still sending, sees
            // the 413 instead of a connection reset; a huge one just gets the connection closed.
            if (in.getContentLength64() <= static_cast<Poco::Int64>(4 * limit)) discard(in.stream());
            return false;
        }
        if (!in.hasContentLength() && !in.getChunkedTransferEncoding()) return true;
        auto& stream = in.stream();
        char buffer[16384];
        while (stream) {
            stream.read(buffer, sizeof buffer);
            request.body.append(buffer, static_cast<std::size_t>(stream.gcount()));
            if (request.body.size() > limit) return false;
        }
        return true;
    }

    static void discard(std::istream& stream) {
        char buffer[16384];
        while (stream.read(buffer, sizeof buffer) || stream.gcount() > 0) {
        }
    }

    api::Response too_large() {
        too_large_ = true;
        return api::problem_response(api::problems::body_too_large(
            "the body is larger than the limit of " + std::to_string(options_.max_body_bytes) + " bytes"));
    }

    void send(Poco::Net::HTTPServerResponse& out, api::Response& response) {
        const auto status = static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status);
        out.setStatusAndReason(status, Poco::Net::HTTPResponse::getReasonForStatus(status));
        if (too_large_) out.setKeepAlive(false);
        for (const auto& [name, value] : response.headers) out.add(name, value);
        if (!response.content_type.empty()) out.setContentType(response.content_type);
        try {
            if (response.stream) {
                out.setChunkedTransferEncoding(true);
                out.setKeepAlive(false);
                auto& body = out.send();
                response.stream(body);
                return;
            }
            out.setContentLength64(static_cast<Poco::Int64>(response.body.size()));
            auto& body = out.send();
            if (!response.body.empty()) body.write(response.body.data(), static_cast<std::streamsize>(response.body.size()));
        } catch (const Poco::Exception&) {
            // The client went away mid-response: nothing left to tell it.
        }
    }

    const api::Api& api_;
    JsonLog& log_;
    const FrontendOptions& options_;
    bool too_large_ = false;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    Factory(const api::Api& api, JsonLog& log, const FrontendOptions& options) : api_(api), log_(log), options_(options) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new Handler(api_, log_, options_);
    }

private:
    const api::Api& api_;
    JsonLog& log_;
    const FrontendOptions& options_;
};

}  // namespace

struct HttpFrontend::Impl {
    const api::Api& api;
    JsonLog& log;
    FrontendOptions options;
    std::unique_ptr<Poco::ThreadPool> pool;
    std::unique_ptr<Poco::Net::HTTPServer> server;
    int port = 0;
};

HttpFrontend::HttpFrontend(const api::Api& api, JsonLog& log, FrontendOptions options)
    : impl_(std::make_unique<Impl>(Impl{api, log, std::move(options), nullptr, nullptr, 0})) {}

HttpFrontend::~HttpFrontend() {
    if (impl_->server) stop(0);
}

void HttpFrontend::start() {
    auto& o = impl_->options;
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(o.host, static_cast<Poco::UInt16>(o.port)), true);
    socket.listen(o.queue);
    impl_->port = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(o.threads);
    params->setMaxQueued(o.queue);
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0);  // unlimited
    params->setKeepAliveTimeout(Poco::Timespan(15, 0));
    params->setTimeout(Poco::Timespan(60, 0));
    impl_->pool = std::make_unique<Poco::ThreadPool>(std::min(8, o.threads), o.threads);
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(impl_->api, impl_->log, impl_->options),
                                                            *impl_->pool, socket, params);
    impl_->server->start();
}

void HttpFrontend::stop(double drain_seconds) {
    if (!impl_->server) return;
    auto* server = impl_->server.get();
    // stopAll(false) closes idle keep-alive connections at once and the busy ones after their
    // current request; it blocks until then. Past the drain time the rest are aborted.
    std::promise<void> drained;
    auto done = drained.get_future();
    std::thread graceful([server, &drained] {
        server->stopAll(false);
        drained.set_value();
    });
    if (done.wait_for(std::chrono::duration<double>(drain_seconds)) != std::future_status::ready)
        server->stopAll(true);
    graceful.join();
    impl_->pool->joinAll();
    impl_->server.reset();
    impl_->pool.reset();
}

int HttpFrontend::port() const { return impl_->port; }

}  // namespace holon::server
