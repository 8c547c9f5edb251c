// One HTTP request on a connection the front (http_frontend) handed to a worker: the API admits
// it from its head (route, token, Content-Type), then the body is read under its deadline and
// size limit, the API answers, and the access log gets a line.
#pragma once

#include "api/api.hpp"
#include "server/http_frontend.hpp"
#include "server/json_log.hpp"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

namespace holon::server {

// Never throws for a bad request (it becomes a problem+json answer); Poco network exceptions
// (the client went away) propagate. Sets the response's keep-alive to false when the connection
// must not be reused (an unread body, a stream).
void serve_request(const api::Api& api, JsonLog& log, const FrontendOptions& options, bool tls,
                   Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out);

}  // namespace holon::server
