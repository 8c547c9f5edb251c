#include "server/request_server.hpp"

#include "api/problem.hpp"

#include <Poco/Net/NetException.h>
#include <Poco/URI.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <istream>

namespace holon::server {

namespace {

using Clock = std::chrono::steady_clock;

Clock::duration seconds(double s) { return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s)); }

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


class RequestServer {
public:
    RequestServer(const api::Api& api, JsonLog& log, const FrontendOptions& options, bool tls)
        : api_(api), log_(log), options_(options), tls_(tls) {}

    void serve(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) {
        const auto started = Clock::now();
        api::Request request;
        api::RequestLog entry;
        api::Response response;
        request.method = in.getMethod();
        request.request_id = in.get("X-Request-Id", "");
        if (request.request_id.empty() || request.request_id.size() > 100) request.request_id = new_request_id();
        bool body_pending = in.getChunkedTransferEncoding() || (in.hasContentLength() && in.getContentLength64() > 0);
        try {
            Poco::URI uri(in.getURI());
            request.path = uri.getPath();
            request.query = api::parse_query(uri.getRawQuery());
            for (const auto& [name, value] : in) request.headers[name] = value;
            const auto admission = api_.admit(request, entry);
            if (admission.refusal) {
                response = *admission.refusal;
                // A small body is read and dropped so that the client, still sending, sees the
                // answer rather than a reset; a large one is never read (the connection closes).
                if (body_pending && !in.getChunkedTransferEncoding() && in.getContentLength64() <= 65536 &&
                    !in.getExpectContinue()) {
                    api::Request ignored;
                    body_pending = read_body(in, ignored) != BodyRead::complete;
                }
            } else if (in.hasContentLength() &&
                       in.getContentLength64() > static_cast<Poco::Int64>(options_.max_body_bytes)) {
                response = too_large();
                // An authenticated client's moderately oversized body is read and dropped (not
                // kept) so that it sees the 413 rather than a reset; a huge one is never read.
                if (in.getContentLength64() <= 4 * static_cast<Poco::Int64>(options_.max_body_bytes) &&
                    !in.getExpectContinue())
                    discard(in.stream());
            } else {
                if (body_pending && in.getExpectContinue()) out.sendContinue();
                switch (read_body(in, request)) {
                case BodyRead::complete:
                    body_pending = false;
                    response = api_.handle(request, entry, admission);
                    break;
                case BodyRead::too_large: response = too_large(); break;
                case BodyRead::too_slow:
                    response = api::problem_response(api::ApiError(
                        408, "/problems/request-timeout", "The request body was not sent in time",
                        "the body must arrive within " + std::to_string(static_cast<int>(options_.body_seconds)) +
                            " seconds"));
                    break;
                }
            }
        } catch (const Poco::SyntaxException&) {
            response = api::problem_response(api::problems::invalid_request("the request URI is malformed"));
        }
        // An unread body would be taken for the next request: such a connection is closed.
        if (body_pending) out.setKeepAlive(false);
        send(out, response);
        if (options_.log_requests) {
            const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
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
    enum class BodyRead { complete, too_large, too_slow };

    BodyRead read_body(Poco::Net::HTTPServerRequest& in, api::Request& request) {
        if (!in.hasContentLength() && !in.getChunkedTransferEncoding()) return BodyRead::complete;
        const auto deadline = Clock::now() + seconds(options_.body_seconds);
        auto& stream = in.stream();
        char buffer[16384];
        try {
            while (stream) {
                // Each read waits at most the socket's receive timeout; the whole body a deadline.
                stream.read(buffer, sizeof buffer);
                request.body.append(buffer, static_cast<std::size_t>(stream.gcount()));
                if (request.body.size() > options_.max_body_bytes) return BodyRead::too_large;
                if (stream && Clock::now() > deadline) return BodyRead::too_slow;
            }
        } catch (const Poco::TimeoutException&) {
            return BodyRead::too_slow;
        }
        // A read that timed out leaves the stream bad with the body incomplete.
        if (in.hasContentLength() && static_cast<Poco::Int64>(request.body.size()) < in.getContentLength64())
            return BodyRead::too_slow;
        return BodyRead::complete;
    }

    void discard(std::istream& stream) {
        const auto deadline = Clock::now() + seconds(options_.body_seconds);
        char buffer[16384];
        try {
            while ((stream.read(buffer, sizeof buffer) || stream.gcount() > 0) && Clock::now() < deadline) {
            }
        } catch (const Poco::Exception&) {
        }
    }

    api::Response too_large() {
        return api::problem_response(api::problems::body_too_large(
            "the body is larger than the limit of " + std::to_string(options_.max_body_bytes) + " bytes"));
    }

    void send(Poco::Net::HTTPServerResponse& out, api::Response& response) {
        const auto status = static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status);
        out.setStatusAndReason(status, Poco::Net::HTTPResponse::getReasonForStatus(status));
        for (const auto& [name, value] : response.headers) out.add(name, value);
        if (tls_) out.set("Strict-Transport-Security", "max-age=31536000");
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
            body.flush();
        } catch (const Poco::Exception&) {
            // The client went away mid-response: nothing left to tell it.
            out.setKeepAlive(false);
        }
    }

    const api::Api& api_;
    JsonLog& log_;
    const FrontendOptions& options_;
    bool tls_;
};


}  // namespace

void serve_request(const api::Api& api, JsonLog& log, const FrontendOptions& options, bool tls,
                   Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) {
    RequestServer(api, log, options, tls).serve(in, out);
}

}  // namespace holon::server
