// Errors as RFC 9457 problem details. Every error the API answers is an ApiError turned into an
// application/problem+json response; `type` is one of the stable URIs below (clients match on it).
#pragma once

#include "api/http_types.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace holon::api {

struct FieldError {
    std::string path;  // JSON pointer into the request body (or the model)
    std::string message;
};

class ApiError : public std::runtime_error {
public:
    ApiError(int status, std::string type, std::string title, const std::string& detail);
    int status() const { return status_; }
    const std::string& type() const { return type_; }
    const std::string& title() const { return title_; }
    std::vector<FieldError> errors;
    std::optional<int> retry_after_seconds;
    std::vector<std::string> offered;  // 406: the media types the resource offers

private:
    int status_;
    std::string type_;
    std::string title_;
};

// The problem document of an error as JSON text.
std::string problem_json(const ApiError& error);
Response problem_response(const ApiError& error);

// The stable problem types the API itself raises (run failures have their own, see run_problem).
namespace problems {
ApiError unauthorized(const std::string& detail);
ApiError forbidden(const std::string& detail);
ApiError not_found(const std::string& detail);
ApiError method_not_allowed(const std::string& detail);
ApiError invalid_request(const std::string& detail, std::vector<FieldError> errors = {});
ApiError invalid_model(const std::string& detail, std::vector<FieldError> errors = {});
ApiError unsupported_format(const std::string& detail);
ApiError unsupported_media_type(const std::string& detail);
ApiError precondition_required(const std::string& detail);
ApiError precondition_failed(const std::string& detail);
ApiError body_too_large(const std::string& detail);
ApiError model_too_large(const std::string& detail);
ApiError too_many_runs(const std::string& detail, int retry_after_seconds);
ApiError run_not_finished(const std::string& detail);
ApiError conflict(const std::string& detail);
ApiError import_failed(const std::string& detail, const std::string& type_suffix);
ApiError not_ready(const std::string& detail);
ApiError internal(const std::string& detail);
}  // namespace problems

}  // namespace holon::api
