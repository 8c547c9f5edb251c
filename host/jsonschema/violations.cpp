#include "jsonschema/violations.hpp"

#include "suggest/suggest.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <regex>
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

bool all_digits_token(const std::string& token) {
    return !token.empty() && std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string unescape_token(std::string_view token) {
    std::string out;
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '~' && i + 1 < token.size()) {
            out += token[i + 1] == '1' ? '/' : '~';
            ++i;
        } else {
            out += token[i];
        }
    }
    return out;
}

std::vector<std::string> pointer_tokens(std::string_view pointer) {
    std::vector<std::string> tokens;
    while (!pointer.empty()) {
        const auto next = pointer.find('/', 1);
        tokens.push_back(unescape_token(pointer.substr(1, next == std::string_view::npos ? next : next - 1)));
        pointer = next == std::string_view::npos ? std::string_view() : pointer.substr(next);
    }
    return tokens;
}

// Every subschema that may apply to the value at `tokens` below `schema`: local $refs followed,
// every branch of allOf/anyOf/oneOf and if/then/else taken (the lists built from them are what the
// user could write in some branch, which is what a person fixing a typo needs).
void subschemas_at(const nlohmann::json& root, const nlohmann::json& schema, const std::vector<std::string>& tokens,
                   std::size_t at, std::vector<const nlohmann::json*>& out, int depth = 0) {
    if (!schema.is_object() || depth > 32) return;
    if (const auto ref = schema.find("$ref"); ref != schema.end() && ref->is_string()) {
        const std::string& target = ref->get_ref<const std::string&>();
        if (target.rfind("#", 0) == 0) {
            try {
                const nlohmann::json::json_pointer pointer(target.substr(1));
                if (root.contains(pointer)) subschemas_at(root, root.at(pointer), tokens, at, out, depth + 1);
            } catch (const nlohmann::json::exception&) {
            }
        }
    }
    for (const char* key : {"allOf", "anyOf", "oneOf"})
        if (const auto list = schema.find(key); list != schema.end() && list->is_array())
            for (const auto& branch : *list) subschemas_at(root, branch, tokens, at, out, depth + 1);
    for (const char* key : {"then", "else"})
        if (const auto branch = schema.find(key); branch != schema.end())
            subschemas_at(root, *branch, tokens, at, out, depth + 1);
    if (at == tokens.size()) {
        out.push_back(&schema);
        return;
    }
    const std::string& token = tokens[at];
    bool named = false;
    if (const auto props = schema.find("properties"); props != schema.end() && props->is_object()) {
        if (const auto p = props->find(token); p != props->end()) {
            subschemas_at(root, *p, tokens, at + 1, out, depth + 1);
            named = true;
        }
    }
    if (const auto patterns = schema.find("patternProperties"); patterns != schema.end() && patterns->is_object()) {
        for (const auto& [pattern, sub] : patterns->items()) {
            try {
                if (std::regex_search(token, std::regex(pattern))) {
                    subschemas_at(root, sub, tokens, at + 1, out, depth + 1);
                    named = true;
                }
            } catch (const std::regex_error&) {
            }
        }
    }
    if (!named)
        if (const auto extra = schema.find("additionalProperties"); extra != schema.end() && extra->is_object())
            subschemas_at(root, *extra, tokens, at + 1, out, depth + 1);
    if (const auto items = schema.find("items"); items != schema.end()) {
        if (items->is_object()) {
            subschemas_at(root, *items, tokens, at + 1, out, depth + 1);
        } else if (items->is_array() && all_digits_token(token)) {
            const std::size_t index = std::strtoul(token.c_str(), nullptr, 10);
            if (index < items->size()) subschemas_at(root, (*items)[index], tokens, at + 1, out, depth + 1);
        }
    }
}

std::vector<const nlohmann::json*> subschemas_at(const nlohmann::json* root, const std::string& pointer) {
    std::vector<const nlohmann::json*> out;
    if (root != nullptr) subschemas_at(*root, *root, pointer_tokens(pointer), 0, out);
    return out;
}

// The property names the schema lets the object at `pointer` have, in the schema's order.
std::vector<std::string> allowed_properties(const nlohmann::json* root, const std::string& pointer) {
    std::vector<std::string> names;
    for (const nlohmann::json* s : subschemas_at(root, pointer))
        if (const auto props = s->find("properties"); props != s->end() && props->is_object())
            for (const auto& [name, unused] : props->items())
                if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    return names;
}

// The values (enum and const) the schema allows at `pointer`, as JSON text.
std::vector<std::string> allowed_values(const nlohmann::json* root, const std::string& pointer) {
    std::vector<std::string> values;
    const auto add = [&values](const nlohmann::json& v) {
        std::string text = v.dump();
        if (std::find(values.begin(), values.end(), text) == values.end()) values.push_back(std::move(text));
    };
    for (const nlohmann::json* s : subschemas_at(root, pointer)) {
        if (const auto list = s->find("enum"); list != s->end() && list->is_array())
            for (const auto& v : *list) add(v);
        if (const auto c = s->find("const"); c != s->end()) add(*c);
    }
    return values;
}

// valijson prints numbers with std::to_string ("12.000000"): the shortest form that reads back.
std::string tidy_numbers(const std::string& text) {
    static const std::regex fixed(R"((-?\d+\.\d{6})(?!\d))");
    std::string out;
    auto begin = std::sregex_iterator(text.begin(), text.end(), fixed);
    std::size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
        const auto& m = *it;
        out += text.substr(last, static_cast<std::size_t>(m.position()) - last);
        const double value = std::strtod(m.str().c_str(), nullptr);
        char buf[32];
        const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
        out += ec == std::errc() ? std::string(buf, end) : m.str();
        last = static_cast<std::size_t>(m.position() + m.length());
    }
    return out + text.substr(last);
}

Violation describe(const RawError& error, const nlohmann::json& document, const nlohmann::json* schema) {
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
        std::string message = "property '" + name + "' is not allowed";
        const auto allowed = allowed_properties(schema, path);
        if (!allowed.empty())
            message += suggest::did_you_mean(name, allowed) + " (allowed: " + suggest::quoted_list(allowed) + ")";
        return {path + "/" + escape_token(name), message};
    }
    if (starts_with(d, "Value type not permitted by 'type' constraint") && value != nullptr) {
        return {path, std::string("wrong type: ") + value->type_name() + " is not allowed here"};
    }
    if ((starts_with(d, "Failed to match against any enum values") ||
         starts_with(d, "Failed to match expected value set by 'const' constraint")) && value != nullptr) {
        std::string message = "value " + short_dump(*value) + " is not one of the allowed values";
        const auto allowed = allowed_values(schema, path);
        if (!allowed.empty()) {
            // Suggest among the strings, compared without their JSON quotes.
            std::vector<std::string> strings;
            for (const auto& a : allowed)
                if (a.size() >= 2 && a.front() == '"') strings.push_back(a.substr(1, a.size() - 2));
            if (value->is_string()) message += suggest::did_you_mean(value->get<std::string>(), strings, "\"");
            message += " (allowed: " + suggest::quoted_list(allowed, 30, "") + ")";
        }
        return {path, message};
    }
    if (starts_with(d, "Failed to match regex specified by 'pattern'") && value != nullptr) {
        return {path, "string " + short_dump(*value) + " does not match the required pattern"};
    }
    return {path, tidy_numbers(one_line(error.description))};
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
                                     const nlohmann::json& document, const nlohmann::json* schema) {
    std::vector<Violation> specific;
    std::vector<Violation> wrappers;
    for (const RawError& error : errors) {
        Violation v = describe(error, document, schema);
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
