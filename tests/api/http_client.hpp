// A small HTTP client over Poco::Net::HTTPClientSession for the integration tests. Every response
// is checked against schemas/openapi.yaml (see openapi_checker.hpp) unless checking is turned off.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace holon::test {

struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;

    nlohmann::json json() const;
    std::string header(const std::string& lower_name) const;
    std::string content_type() const { return header("content-type"); }
};

struct HttpRequest {
    std::string method = "GET";
    std::string path;  // with the query
    std::string body;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string token;  // bearer token; "" for none
};

class HttpClient {
public:
    explicit HttpClient(int port) : port_(port) {}
    HttpResponse send(const HttpRequest& request, bool check_against_openapi = true) const;

    HttpResponse get(const std::string& path, const std::string& token,
                     std::vector<std::pair<std::string, std::string>> headers = {}) const;
    HttpResponse post(const std::string& path, const std::string& token, const std::string& body,
                      const std::string& content_type = "application/json") const;
    HttpResponse post_json(const std::string& path, const std::string& token, const nlohmann::json& body) const;
    HttpResponse put(const std::string& path, const std::string& token, const std::string& body,
                     const std::string& if_match) const;
    HttpResponse patch(const std::string& path, const std::string& token, const std::string& body,
                       const std::string& if_match) const;
    HttpResponse del(const std::string& path, const std::string& token) const;

    int port() const { return port_; }

private:
    int port_;
};

}  // namespace holon::test
