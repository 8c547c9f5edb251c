#include "api/request_json.hpp"

#include "model/model.hpp"

namespace holon::api {

nlohmann::json read_request_json(std::string_view text, const JsonLimits& limits,
                                 ApiError (*reject)(const std::string&, std::vector<FieldError>)) {
    // model::parse is the checked reader (size, depth before parsing, duplicate keys with their
    // JSON pointer); it is not specific to models.
    model::ParseLimits parse_limits;
    parse_limits.max_bytes = limits.max_bytes;
    parse_limits.max_depth = limits.max_depth;
    // Not a syntax error at 1:1: the client sent nothing (curl -d @missing-file does).
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        throw reject("the request body is empty: send a JSON object", {{"", "the request body is empty"}});
    try {
        return model::parse(text, "body", parse_limits);
    } catch (const model::ModelError& e) {
        throw reject(std::string("the body is not acceptable JSON: ") + e.what(),
                     {{e.path, e.what()}});
    }
}

}  // namespace holon::api
