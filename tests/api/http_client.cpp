#include "http_client.hpp"

#include "openapi_checker.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace holon::test {

nlohmann::json HttpResponse::json() const { return nlohmann::json::parse(body, nullptr, false); }

std::string HttpResponse::header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
}

HttpResponse HttpClient::send(const HttpRequest& request, bool check_against_openapi) const {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
    session.setTimeout(Poco::Timespan(120, 0));
    Poco::Net::HTTPRequest req(request.method, request.path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!request.token.empty()) req.set("Authorization", "Bearer " + request.token);
    for (const auto& [k, v] : request.headers) req.set(k, v);
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
        req.setContentType(request.content_type);
        req.setContentLength64(static_cast<Poco::Int64>(request.body.size()));
    }
    auto& out = session.sendRequest(req);
    out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
    Poco::Net::HTTPResponse res;
    auto& in = session.receiveResponse(res);
    HttpResponse response;
    response.status = static_cast<int>(res.getStatus());
    for (const auto& [k, v] : res) {
        std::string name = k;
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        response.headers[name] = v;
    }
    std::ostringstream body;
    Poco::StreamCopier::copyStream(in, body);
    response.body = body.str();
    if (check_against_openapi) check_response(request.method, request.path, response);
    return response;
}

HttpResponse HttpClient::get(const std::string& path, const std::string& token,
                             std::vector<std::pair<std::string, std::string>> headers) const {
    HttpRequest r;
    r.path = path;
    r.token = token;
    r.headers = std::move(headers);
    return send(r);
}

HttpResponse HttpClient::post(const std::string& path, const std::string& token, const std::string& body,
                              const std::string& content_type) const {
    HttpRequest r;
    r.method = "POST";
    r.path = path;
    r.token = token;
    r.body = body;
    r.content_type = content_type;
    return send(r);
}

HttpResponse HttpClient::post_json(const std::string& path, const std::string& token, const nlohmann::json& body) const {
    return post(path, token, body.dump());
}

HttpResponse HttpClient::put(const std::string& path, const std::string& token, const std::string& body,
                             const std::string& if_match) const {
    HttpRequest r;
    r.method = "PUT";
    r.path = path;
    r.token = token;
    r.body = body;
    if (!if_match.empty()) r.headers.emplace_back("If-Match", if_match);
    return send(r);
}

HttpResponse HttpClient::patch(const std::string& path, const std::string& token, const std::string& body,
                               const std::string& if_match) const {
    HttpRequest r;
    r.method = "PATCH";
    r.path = path;
    r.token = token;
    r.body = body;
    r.content_type = "application/merge-patch+json";
    if (!if_match.empty()) r.headers.emplace_back("If-Match", if_match);
    return send(r);
}

HttpResponse HttpClient::del(const std::string& path, const std::string& token) const {
    HttpRequest r;
    r.method = "DELETE";
    r.path = path;
    r.token = token;
    return send(r);
}

}  // namespace holon::test
