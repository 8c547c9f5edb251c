// Checks an HTTP response against schemas/openapi.yaml: the operation exists, the status is
// documented (errors may use `default`), the media type is documented, and a JSON body validates
// against the documented schema. Failures are reported as gtest failures.
#pragma once

#include "http_client.hpp"

#include <optional>
#include <string>

namespace holon::test {

void check_response(const std::string& method, const std::string& path_with_query, const HttpResponse& response);

// The operation whose path template matches (method upper case); nullopt when none does.
struct MatchedOperation {
    std::string path_template;
    std::string operation_id;
};
std::optional<MatchedOperation> match_operation(const std::string& method, const std::string& path);

// How many responses were checked (a test asserts the checker was really used).
std::size_t checked_response_count();

}  // namespace holon::test
