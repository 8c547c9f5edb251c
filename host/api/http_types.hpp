// The HTTP request and response as the API layer sees them: plain values, independent of the
// HTTP server library, so that handlers can be exercised without sockets.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace holon::api {

// Header names compare case-insensitively.
struct CaseInsensitiveLess {
    bool operator()(std::string_view a, std::string_view b) const;
    using is_transparent = void;
};

struct Request {
    std::string method;  // "GET", "POST", ...
    std::string path;    // decoded path without the query, e.g. "/v1/workspaces/ws_1"
    std::map<std::string, std::string> query;  // decoded; a repeated name keeps its last value
    std::map<std::string, std::string, CaseInsensitiveLess> headers;
    std::string body;
    std::string request_id;

    std::string header(std::string_view name) const;  // "" when absent
    std::optional<std::string> query_param(const std::string& name) const;
};

// Writes the body of a streaming response (server-sent events). Returns when the stream is over
// or the client is gone (the stream turns bad).
using StreamWriter = std::function<void(std::ostream& out)>;

struct Response {
    int status = 200;
    std::string content_type;  // "" for no body
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    StreamWriter stream;  // when set, body is ignored and the writer produces the body

    Response& header(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
};

// What a request did, for the access log: never secrets or model content.
struct RequestLog {
    std::string operation;  // the OpenAPI operationId, "" when no route matched
    std::string workspace;
    std::string run;
    std::string token_id;
};

// Splits "a=1&b=x%20y" into decoded pairs.
std::map<std::string, std::string> parse_query(std::string_view query);
std::string url_decode(std::string_view text);

}  // namespace holon::api
