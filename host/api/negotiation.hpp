// Content negotiation (RFC 9110 §12.5.1): which of the media types a route offers the client's
// Accept header prefers. A route that can give none of what the client accepts answers 406
// problem+json listing what it offers, instead of sending something the client did not ask for.
#pragma once

#include "api/http_types.hpp"
#include "api/problem.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holon::api {

// The offered type the Accept header prefers: the highest q wins, a tie goes to the earlier
// offered type (the route's preference). "*/*" and "type/*" match; q=0 excludes. An empty or
// absent header accepts anything (offered.front()). nullopt when nothing offered is acceptable.
std::optional<std::string> negotiate(std::string_view accept, const std::vector<std::string>& offered);

// 406 /problems/not-acceptable whose "offered" member lists the offered types.
ApiError not_acceptable(std::string_view accept, const std::vector<std::string>& offered);

// negotiate() on the request's Accept header, or throws not_acceptable.
std::string choose_media_type(const Request& request, const std::vector<std::string>& offered);

}  // namespace holon::api
