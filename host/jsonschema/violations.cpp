#include "jsonschema/violations.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace holon::jsonschema::detail {
namespace {

// valijson reports every failing ancestor again with one of these generic messages; they carry
// no information once a deeper error explains them.
constexpr std::array<std::string_view, 11> kWrapperPrefixes = {
    "Failed to validate item #",
    "Failed to validate against schema associated with property name '",
    "Failed to validate against schema associated with pattern '",
    "Failed to validate against additional properties schema",
    "Failed to validate against child schema #",
    "Failed to validate against any child schemas allowed by oneOf constraint.",
    "Failed to validate against any schemas allowed by anyOf constraint.",
    "Failed to validate against a conditional schema set by if-then-else constraints.",
    "Failed to validate against dependent schema.",
    "Cannot validate item #",
    "Failed to validate against schema associated with property '",
};

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

bool is_wrapper(std::string_view description) {
    return std::any_of(kWrapperPrefixes.begin(), kWrapperPrefixes.end(),
                       [&](std::string_view prefix) { return starts_with(description, prefix); });
}

std::string escape_token(std::string_view token) {
    std::string out;
    out.reserve(token.size());
    for (char c : token) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

// Text between the first and the last quote of a valijson message, e.g. the property name in
// "Missing required property 'id'.".
std::string quoted(std::string_view description) {
    const auto first = description.find('\'');
    const auto last = description.rfind('\'');
    if (first == std::string_view::npos || last <= first) {
        return {};
    }
    return std::string(description.substr(first + 1, last - first - 1));
}

const nlohmann::json* find(const nlohmann::json& document, const std::string& pointer) {
    try {
        const nlohmann::json::json_pointer ptr(pointer);
        if (document.contains(ptr)) {
            return &document.at(ptr);
        }
    } catch (const nlohmann::json::exception&) {
        // A pointer we built ourselves always parses; an odd key must not break reporting.
    }
    return nullptr;
}

std::string short_dump(const nlohmann::json& value) {
    constexpr std::size_t kMax = 60;
    std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (text.size() > kMax) {
        text = text.substr(0, kMax) + "...";
    }
    return text;
}

std::string one_line(std::string text) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    while (!text.empty() && (text.back() == '.' || text.back() == ' ')) {
        text.pop_back();
    }
    if (!text.empty()) {
        text.front() = static_cast<char>(std::tolower(static_cast<unsigned char>(text.front())));
    }
    return text;
}

Violation describe(const RawError& error, const nlohmann::json& document) {
    const std::string path = to_pointer(error.context);
    const std::string_view d = error.description;
    const nlohmann::json* value = find(document, path);

    // Wrappers name the child that failed: point at the child, so that when nothing deeper was
    // reported (e.g. valijson records no detail for 'propertyNames') the path is still precise.
    if (starts_with(d, "Failed to validate against schema associated with property name '")) {
        return {path + "/" + escape_token(quoted(d)), "value does not satisfy its schema"};
    }
    if (starts_with(d, "Failed to validate item #") && !d.ends_with("against corresponding item schema.")) {
        const auto digits = d.substr(std::string_view("Failed to validate item #").size());
        return {path + "/" + std::string(digits.substr(0, digits.find(' '))), "value does not satisfy its schema"};
    }
    if (starts_with(d, "Missing required property '")) {
        return {path, "missing required property '" + quoted(d) + "'"};
    }
    if (starts_with(d, "Object contains a property that could not be validated")) {
        const std::string name = quoted(d.substr(d.find(": '")));
        return {path + "/" + escape_token(name), "property '" + name + "' is not allowed"};
    }
    if (starts_with(d, "Value type not permitted by 'type' constraint") && value != nullptr) {
        return {path, std::string("wrong type: ") + value->type_name() + " is not allowed here"};
    }
    if (starts_with(d, "Failed to match against any enum values") && value != nullptr) {
        return {path, "value " + short_dump(*value) + " is not one of the allowed values"};
    }
    if (starts_with(d, "Failed to match regex specified by 'pattern'") && value != nullptr) {
        return {path, "string " + short_dump(*value) + " does not match the required pattern"};
    }
    return {path, one_line(error.description)};
}

bool all_digits(std::string_view token) {
    return !token.empty() && std::all_of(token.begin(), token.end(),
                                         [](char c) { return c >= '0' && c <= '9'; });
}

// Document order for array items (2 before 10), alphabetical for keys, parents first.
bool path_less(std::string_view a, std::string_view b) {
    while (!a.empty() && !b.empty()) {
        const auto a_end = a.find('/', 1);
        const auto b_end = b.find('/', 1);
        const std::string_view ta = a.substr(1, a_end == std::string_view::npos ? a_end : a_end - 1);
        const std::string_view tb = b.substr(1, b_end == std::string_view::npos ? b_end : b_end - 1);
        if (ta != tb) {
            if (all_digits(ta) && all_digits(tb) && ta.size() != tb.size()) {
                return ta.size() < tb.size();
            }
            return ta < tb;
        }
        a = a_end == std::string_view::npos ? std::string_view() : a.substr(a_end);
        b = b_end == std::string_view::npos ? std::string_view() : b.substr(b_end);
    }
    return a.empty() && !b.empty();
}

}  // namespace

std::string to_pointer(const std::vector<std::string>& context) {
    std::string pointer;
    for (const std::string& element : context) {
        if (element == "<root>") {
            continue;
        }
        std::string_view token = element;
        if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
            token = token.substr(1, token.size() - 2);
        }
        pointer += '/';
        pointer += escape_token(token);
    }
    return pointer;
}

std::vector<Violation> to_violations(const std::vector<RawError>& errors,
                                     const nlohmann::json& document) {
    std::vector<Violation> specific;
    std::vector<Violation> wrappers;
    for (const RawError& error : errors) {
        Violation v = describe(error, document);
        (is_wrapper(error.description) ? wrappers : specific).push_back(std::move(v));
    }
    // A wrapper survives only when nothing deeper explains it (e.g. a oneOf whose branches
    // reported nothing specific). Sorted path sets keep this n log n: a model with an error on
    // every one of 100,000 variables must not cost n^2 comparisons.
    std::set<std::string, std::less<>> specific_paths;
    for (const Violation& s : specific) specific_paths.insert(s.path);
    std::set<std::string, std::less<>> wrapper_paths;
    for (const Violation& w : wrappers) wrapper_paths.insert(w.path);
    const auto has_below = [](const std::set<std::string, std::less<>>& paths, const std::string& ancestor) {
        const std::string prefix = ancestor + "/";
        const auto it = paths.lower_bound(prefix);
        return it != paths.end() && starts_with(*it, prefix);
    };
    std::vector<Violation> unexplained;
    for (const Violation& wrapper : wrappers) {
        const bool explained = specific_paths.count(wrapper.path) > 0 || has_below(specific_paths, wrapper.path) ||
                               has_below(wrapper_paths, wrapper.path);
        if (!explained) {
            unexplained.push_back(wrapper);
        }
    }
    specific.insert(specific.end(), unexplained.begin(), unexplained.end());
    std::vector<Violation> unique;
    std::set<std::pair<std::string, std::string>> seen;
    for (Violation& v : specific) {
        if (seen.emplace(v.path, v.message).second) {
            unique.push_back(std::move(v));
        }
    }
    std::stable_sort(unique.begin(), unique.end(),
                     [](const Violation& x, const Violation& y) { return path_less(x.path, y.path); });
    return unique;
}

}  // namespace holon::jsonschema::detail
