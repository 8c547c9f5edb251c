#include "batch/references.hpp"

#include "batch/batch_document.hpp"
#include "batch/statistics.hpp"

#include <algorithm>
#include <stdexcept>

namespace holon::batch {
namespace {

constexpr std::string_view open_mark = "${";

std::vector<std::string> split_dots(const std::string &s) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
        size_t dot = s.find('.', start);
        parts.push_back(s.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return parts;
}

// Parses the inside of one ${...}; returns an error message or "".
std::string parse_reference(const std::string &text, Reference &ref) {
    ref.text = text;
    auto parts = split_dots(text);
    if (parts.size() < 3 || parts[0] != "steps")
        return "reference ${" + text + "} must start with steps.NAME.result or steps.NAME.stats";
    ref.step = parts[1];
    if (parts[2] == "result") {
        ref.stats = false;
        ref.path.assign(parts.begin() + 3, parts.end());
    } else if (parts[2] == "stats") {
        ref.stats = true;
        if (parts.size() < 5) return "reference ${" + text + "} must be steps.NAME.stats.VARIABLE.STAT";
        std::string variable = parts[3];
        for (size_t i = 4; i + 1 < parts.size(); ++i) variable += "." + parts[i];
        const std::string &stat = parts.back();
        const auto &names = statistic_names();
        if (std::find(names.begin(), names.end(), stat) == names.end())
            return "reference ${" + text + "}: unknown statistic '" + stat + "' (use final, min, max, mean or peak_time)";
        ref.path = {variable, stat};
    } else {
        return "reference ${" + text + "}: expected 'result' or 'stats' after the step name";
    }
    for (const auto &p : parts)
        if (p.empty()) return "reference ${" + text + "} has an empty part";
    return {};
}

// Calls f(inner text, begin, end) for each ${...} in s; returns an error for an unclosed one.
template <typename F> std::string scan(const std::string &s, F f) {
    size_t pos = 0;
    while ((pos = s.find(open_mark, pos)) != std::string::npos) {
        size_t close = s.find('}', pos + 2);
        if (close == std::string::npos) return "unclosed ${ in '" + s + "'";
        f(s.substr(pos + 2, close - pos - 2), pos, close + 1);
        pos = close + 1;
    }
    return {};
}

std::string escape_pointer_token(const std::string &key) {
    std::string out;
    for (char c : key) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

void collect(const nlohmann::json &node, const std::string &location, const std::string &prefix,
             std::vector<Reference> &out) {
    if (node.is_object()) {
        for (const auto &[k, v] : node.items()) collect(v, location + "/" + escape_pointer_token(k), prefix, out);
    } else if (node.is_array()) {
        for (size_t i = 0; i < node.size(); ++i) collect(node[i], location + "/" + std::to_string(i), prefix, out);
    } else if (node.is_string()) {
        std::string error;
        std::string unclosed = scan(node.get<std::string>(), [&](const std::string &inner, size_t, size_t) {
            Reference ref;
            ref.location = location;
            std::string e = parse_reference(inner, ref);
            if (!e.empty() && error.empty()) error = e;
            if (e.empty()) out.push_back(std::move(ref));
        });
        if (!unclosed.empty()) error = unclosed;
        if (!error.empty()) throw DocumentError(prefix + location, error);
    }
}

std::string as_text(const nlohmann::json &v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

nlohmann::json resolve_node(const nlohmann::json &node, const std::function<nlohmann::json(const Reference &)> &lookup) {
    if (node.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto &[k, v] : node.items()) out[k] = resolve_node(v, lookup);
        return out;
    }
    if (node.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto &v : node) out.push_back(resolve_node(v, lookup));
        return out;
    }
    if (!node.is_string()) return node;
    const std::string s = node.get<std::string>();
    struct Found {
        Reference ref;
        size_t begin, end;
    };
    std::vector<Found> found;
    scan(s, [&](const std::string &inner, size_t b, size_t e) {
        Reference ref;
        if (parse_reference(inner, ref).empty()) found.push_back({ref, b, e});
    });
    if (found.empty()) return node;
    if (found.size() == 1 && found[0].begin == 0 && found[0].end == s.size()) return lookup(found[0].ref);
    std::string out;
    size_t at = 0;
    for (const auto &f : found) {
        out += s.substr(at, f.begin - at);
        out += as_text(lookup(f.ref));
        at = f.end;
    }
    out += s.substr(at);
    return out;
}

} // namespace

std::vector<Reference> find_references(const nlohmann::json &params, const std::string &pointer_prefix) {
    std::vector<Reference> out;
    collect(params, "", pointer_prefix, out);
    return out;
}

nlohmann::json resolve_references(const nlohmann::json &params,
                                  const std::function<nlohmann::json(const Reference &)> &lookup) {
    return resolve_node(params, lookup);
}

const nlohmann::json &follow_path(const nlohmann::json &doc, const std::vector<std::string> &path) {
    const nlohmann::json *at = &doc;
    std::string walked = "result";
    for (const auto &key : path) {
        walked += "." + key;
        if (at->is_object()) {
            auto it = at->find(key);
            if (it == at->end()) throw std::runtime_error(walked + " does not exist");
            at = &*it;
        } else if (at->is_array()) {
            size_t index = 0;
            try {
                size_t used = 0;
                index = std::stoul(key, &used);
                if (used != key.size()) throw std::invalid_argument(key);
            } catch (const std::exception &) {
                throw std::runtime_error(walked + ": '" + key + "' is not an array index");
            }
            if (index >= at->size()) throw std::runtime_error(walked + " is past the end of the array");
            at = &(*at)[index];
        } else {
            throw std::runtime_error(walked + " does not exist (not an object or array)");
        }
    }
    return *at;
}

} // namespace holon::batch
