// Holon plugin SDK — optional helpers for reading a run's params and the shared model as JSON.
//
// Every method starts the same way: parse its params, parse the holon-model/1 document, look
// entities up by id, and fail with a precise status and a JSON Pointer when something is
// unusable. These helpers do that once, so a plugin does not rewrite it:
//
//     #include <holon/inputs.hpp>
//     void run(holon::Context& ctx) {
//         const nlohmann::json params = holon::read_params(ctx);
//         const nlohmann::json model = holon::read_model(ctx);
//         const holon::IdIndex actors(holon::array_member(model, "actors"), "/actors");
//         ...
//         holon::fail_model("/organisation/channels/3/to", "unknown unit 'u-x'");
//     }
//
// Unlike holon/plugin.hpp this header needs nlohmann/json (Debian: nlohmann-json3-dev); include
// it in method sources only, never in headers that algorithm code shares. Everything here runs
// on the calling thread, allocates normally and owns what it returns; nothing is kept between
// calls, so it is safe in methods flagged HOLON_METHOD_FLAG_CONCURRENT.
#ifndef HOLON_INPUTS_HPP
#define HOLON_INPUTS_HPP

#include "holon/plugin.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace holon {

// The deepest nesting read_json accepts. The host bounds the documents it hands over, but a
// plugin may also parse text of its own (an imported file): recursion stays bounded either way.
inline constexpr int max_json_depth = 512;

// Fails the run with HOLON_ERR_INVALID_MODEL; details carry {"path": pointer} so clients can
// point at the offending entity. `pointer` is a JSON Pointer into the model ("" = the whole model).
[[noreturn]] inline void fail_model(const std::string &pointer, const std::string &message) {
    throw Error(HOLON_ERR_INVALID_MODEL, message, nlohmann::json{{"path", pointer}}.dump());
}

// Fails the run with HOLON_ERR_INVALID_PARAMS; details carry {"path": pointer into the params}.
[[noreturn]] inline void fail_params(const std::string &pointer, const std::string &message) {
    throw Error(HOLON_ERR_INVALID_PARAMS, message, nlohmann::json{{"path", pointer}}.dump());
}

// A JSON Pointer one step below `base`: at("/units", 3) == "/units/3"; at("/a", "b/c") ==
// "/a/b~1c" (RFC 6901 escaping).
inline std::string at(const std::string &base, std::size_t index) { return base + "/" + std::to_string(index); }
inline std::string at(const std::string &base, std::string_view key) {
    std::string out = base + "/";
    for (char c : key) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

// Parses `text` as JSON, refusing anything nested deeper than max_json_depth. On failure throws
// Error(code) whose message starts with `what`.
inline nlohmann::json read_json(std::string_view text, int32_t code, const std::string &what) {
    const nlohmann::json::parser_callback_t depth_guard = [&](int depth, nlohmann::json::parse_event_t,
                                                              nlohmann::json &) {
        if (depth > max_json_depth)
            throw Error(code, what + " is nested deeper than " + std::to_string(max_json_depth) + " levels");
        return true;
    };
    nlohmann::json value = nlohmann::json::parse(text.begin(), text.end(), depth_guard, false);
    if (value.is_discarded()) throw Error(code, what + " is not valid JSON");
    return value;
}

// The run's params as a JSON object ({} when none were given). The host has already validated
// them against the method's params schema, so only the shape is checked here.
inline nlohmann::json read_params(const Context &ctx) {
    const std::string_view text = ctx.params_json();
    if (text.empty()) return nlohmann::json::object();
    nlohmann::json params = read_json(text, HOLON_ERR_INVALID_PARAMS, "params");
    if (!params.is_object()) fail_params("", "params must be a JSON object");
    return params;
}

// The run's holon-model/1 document as a JSON object. The host validated it against the shared
// model schema and its reference checks before storing it.
inline nlohmann::json read_model(const Context &ctx) {
    const std::string_view text = ctx.model_json();
    if (text.empty()) fail_model("", "this method needs a model and the run has none");
    nlohmann::json model = read_json(text, HOLON_ERR_INVALID_MODEL, "the model");
    if (!model.is_object()) fail_model("", "the model must be a JSON object");
    return model;
}

// The array `object[key]`, or an empty array when the member is absent or null. Any other type
// is refused naming `pointer` (the object's own path).
inline const nlohmann::json &array_member(const nlohmann::json &object, const char *key,
                                          const std::string &pointer = "") {
    static const nlohmann::json empty = nlohmann::json::array();
    if (!object.is_object()) return empty;
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return empty;
    if (!it->is_array()) fail_model(at(pointer, key), std::string(key) + " must be an array");
    return *it;
}

// The string `object[key]`, or nullopt when absent or not a string.
inline std::optional<std::string> string_member(const nlohmann::json &object, const char *key) {
    if (!object.is_object()) return std::nullopt;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

// Positions of the entities of one array by their "id", for cross-references. Duplicate or
// missing ids are refused with the entity's JSON Pointer.
class IdIndex {
public:
    IdIndex() = default;
    IdIndex(const nlohmann::json &entities, const std::string &pointer) {
        positions_.reserve(entities.size());
        for (std::size_t i = 0; i < entities.size(); ++i) {
            const std::optional<std::string> id = string_member(entities[i], "id");
            if (!id) fail_model(at(at(pointer, i), "id"), "every entity needs a string id");
            if (!positions_.emplace(*id, i).second)
                fail_model(at(at(pointer, i), "id"), "duplicate id '" + *id + "'");
        }
    }
    std::optional<std::size_t> find(const std::string &id) const {
        const auto it = positions_.find(id);
        if (it == positions_.end()) return std::nullopt;
        return it->second;
    }
    bool contains(const std::string &id) const { return positions_.count(id) != 0; }
    std::size_t size() const { return positions_.size(); }

    // The position of `object[key]`; refuses a missing or unknown reference naming
    // pointer/key and what kind of entity was expected ("unknown unit 'u-x'").
    std::size_t require(const nlohmann::json &object, const char *key, const std::string &pointer,
                        const std::string &what) const {
        const std::optional<std::string> id = string_member(object, key);
        if (!id) fail_model(at(pointer, key), std::string(key) + " must name a " + what);
        const std::optional<std::size_t> position = find(*id);
        if (!position) fail_model(at(pointer, key), "unknown " + what + " '" + *id + "'");
        return *position;
    }

private:
    std::unordered_map<std::string, std::size_t> positions_;
};

} // namespace holon

#endif // HOLON_INPUTS_HPP
