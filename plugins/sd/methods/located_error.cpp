#include "methods/located_error.hpp"

#include "ir/names.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace holon_sd {
namespace {

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || (c & 0x80); }

// The quoted name after `marker` in `message`, e.g. "a b" in "undefined variable 'a b'".
bool quoted_after(const std::string &message, const std::string &marker, size_t &begin, size_t &end) {
    const size_t at = message.find(marker);
    if (at == std::string::npos) return false;
    begin = at + marker.size();
    end = message.find('\'', begin);
    return end != std::string::npos;
}

const Variable *find_variable(const Model &m, const std::string &name) {
    const std::string c = canonical_name(name);
    for (const Variable &v : m.variables)
        if (canonical_name(v.name) == c) return &v;
    return nullptr;
}

// The length of `canonical` written at text[i] (separators as spaces or underscores, any case),
// or 0 when it is not there as a whole name.
size_t match_at(std::string_view text, size_t i, std::string_view canonical) {
    size_t j = i;
    for (size_t k = 0; k < canonical.size(); ++k) {
        if (canonical[k] == ' ') {
            if (j >= text.size() || (text[j] != ' ' && text[j] != '_' && text[j] != '\t')) return 0;
            while (j < text.size() && (text[j] == ' ' || text[j] == '_' || text[j] == '\t')) ++j;
            continue;
        }
        if (j >= text.size() || std::tolower(static_cast<unsigned char>(text[j])) != canonical[k]) return 0;
        ++j;
    }
    if (j < text.size() && name_char(text[j])) return 0;
    return j - i;
}

// Offset of the name in text, or npos; `length` gets its written length.
size_t find_name(std::string_view text, std::string_view name, size_t &length) {
    const std::string c = canonical_name(name);
    if (c.empty()) return std::string_view::npos;
    for (size_t i = 0; i < text.size(); ++i) {
        if (i > 0 && name_char(text[i - 1])) continue;
        if (size_t n = match_at(text, i, c)) {
            length = n;
            return i;
        }
    }
    return std::string_view::npos;
}

std::string xml_unescape(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '&') {
            out += s[i];
            continue;
        }
        static const std::pair<std::string_view, char> entities[] = {
            {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
        bool replaced = false;
        for (const auto &[entity, c] : entities)
            if (s.substr(i, entity.size()) == entity) {
                out += c;
                i += entity.size() - 1;
                replaced = true;
                break;
            }
        if (!replaced) out += '&';
    }
    return out;
}

// Inside [from, to) of source: the unknown name, else `from`.
Position locate_within(std::string_view source, size_t from, size_t to, const CompileProblem &p) {
    if (!p.unknown.empty()) {
        size_t length = 0;
        const size_t at = find_name(source.substr(from, to - from), p.unknown, length);
        if (at != std::string_view::npos) return position_at(source, from + at);
    }
    return position_at(source, from);
}

} // namespace

std::string spelled_in(std::string_view text, std::string_view name) {
    size_t length = 0;
    const size_t at = find_name(text, name, length);
    return at == std::string_view::npos ? std::string() : std::string(text.substr(at, length));
}

CompileProblem describe(const ModelError &e, const Model &model) {
    CompileProblem p;
    p.message = e.what();
    p.variable = e.variable();
    size_t begin = 0, end = 0;
    const Variable *v = find_variable(model, p.variable);
    if (quoted_after(p.message, "undefined variable '", begin, end)) {
        p.unknown = p.message.substr(begin, end - begin);
        // The core names it canonically ("contact infectivity"); say it as the equation does.
        if (v) {
            std::string written = spelled_in(v->equation, p.unknown);
            for (size_t k = 0; written.empty() && k < v->elements.size(); ++k)
                written = spelled_in(v->elements[k].equation, p.unknown);
            if (!written.empty()) {
                p.message.replace(begin, end - begin, written);
                p.unknown = written;
            }
        }
        for (const Variable &c : model.variables) p.candidates.push_back(c.name);
    } else if (quoted_after(p.message, "unknown flow '", begin, end)) {
        p.unknown = p.message.substr(begin, end - begin);
        p.unknown_is_flow = true;
        for (const Variable &c : model.variables)
            if (c.kind == VariableKind::flow) p.candidates.push_back(c.name);
    }
    return p;
}

CompileProblem describe_read_error(const ModelError &e, std::vector<std::string> candidates) {
    CompileProblem p;
    p.message = e.what();
    p.variable = e.variable();
    size_t begin = 0, end = 0;
    if (quoted_after(p.message, "undefined variable '", begin, end)) {
        p.unknown = p.message.substr(begin, end - begin);
        p.candidates = std::move(candidates);
    }
    return p;
}

std::vector<std::string> mdl_defined_names(std::string_view source) {
    std::vector<std::string> names;
    size_t start = 0;
    while (start < source.size()) {
        size_t end = source.find('|', start);
        if (end == std::string_view::npos) end = source.size();
        const std::string_view record = source.substr(start, end - start);
        const size_t lhs_end = record.find_first_of("=([:~");
        if (lhs_end != std::string_view::npos) {
            std::string name = trim(record.substr(0, lhs_end));
            // The first record starts after the {UTF-8} marker; sketch and control lines are not names.
            if (const size_t brace = name.rfind('}'); brace != std::string::npos) name = trim(name.substr(brace + 1));
            if (!name.empty() && name.find('\n') == std::string::npos && name.find('*') == std::string::npos)
                names.push_back(name);
        }
        start = end + 1;
    }
    return names;
}

Position position_at(std::string_view text, size_t offset) {
    Position p{1, 1};
    for (size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++p.line;
            p.column = 1;
        } else {
            ++p.column;
        }
    }
    return p;
}

Position locate_in_xmile(std::string_view source, const CompileProblem &p) {
    if (p.variable.empty()) return {};
    const std::string wanted = canonical_name(p.variable);
    for (size_t at = source.find("name=\""); at != std::string_view::npos; at = source.find("name=\"", at + 1)) {
        const size_t begin = at + 6;
        const size_t end = source.find('"', begin);
        if (end == std::string_view::npos) break;
        if (canonical_name(xml_unescape(source.substr(begin, end - begin))) != wanted) continue;
        const size_t element = source.rfind('<', at);
        if (element == std::string_view::npos) continue;
        // Only a variable's own element (not a view's reference to it).
        const std::string_view tag = source.substr(element + 1, at - element - 1);
        if (tag.rfind("stock", 0) != 0 && tag.rfind("flow", 0) != 0 && tag.rfind("aux", 0) != 0) continue;
        size_t close = std::string_view::npos;
        for (const char *t : {"</stock>", "</flow>", "</aux>"}) close = std::min(close, source.find(t, end));
        if (close == std::string_view::npos) close = source.size();
        return locate_within(source, element, close, p);
    }
    return {};
}

Position locate_in_mdl(std::string_view source, const CompileProblem &p) {
    if (p.variable.empty()) return {};
    const std::string wanted = canonical_name(p.variable);
    // Records end with '|'; a record's left-hand side runs up to '=', '(', '[', ':' or '~'.
    size_t start = 0;
    while (start < source.size()) {
        size_t end = source.find('|', start);
        if (end == std::string_view::npos) end = source.size();
        const std::string_view record = source.substr(start, end - start);
        const size_t lhs_end = record.find_first_of("=([:~");
        if (lhs_end != std::string_view::npos && canonical_name(record.substr(0, lhs_end)) == wanted) {
            const size_t first = record.find_first_not_of(" \t\r\n");
            const size_t definition_end = record.find('~');
            const size_t from = start + (first == std::string_view::npos ? 0 : first);
            const size_t to = start + (definition_end == std::string_view::npos ? record.size() : definition_end);
            return locate_within(source, from, to, p);
        }
        start = end + 1;
    }
    return {};
}

std::string locate_in_model_json(std::string_view model_json, const CompileProblem &p) {
    const auto doc = nlohmann::json::parse(model_json, nullptr, false);
    if (!doc.is_object() || !doc.contains("variables") || !doc["variables"].is_array()) return {};
    const std::string wanted = canonical_name(p.variable);
    const auto &variables = doc["variables"];
    for (size_t i = 0; i < variables.size(); ++i) {
        const auto &v = variables[i];
        if (!v.is_object() || !v.contains("name") || !v["name"].is_string()) continue;
        if (canonical_name(v["name"].get<std::string>()) != wanted) continue;
        const std::string path = "/variables/" + std::to_string(i);
        const auto sd = v.find("sd");
        if (p.unknown_is_flow && sd != v.end() && sd->is_object()) {
            for (const char *key : {"inflows", "outflows"}) {
                const auto list = sd->find(key);
                if (list == sd->end() || !list->is_array()) continue;
                for (size_t k = 0; k < list->size(); ++k)
                    if ((*list)[k].is_string() && canonical_name((*list)[k].get<std::string>()) == canonical_name(p.unknown))
                        return path + "/sd/" + key + "/" + std::to_string(k);
            }
        }
        if (!p.unknown_is_flow && v.contains("equation")) return path + "/equation";
        if (sd != v.end() && sd->is_object() && sd->contains("elements")) return path + "/sd/elements";
        return path;
    }
    return {};
}

holon::Error to_holon_error(const CompileProblem &p, Position where, const std::string &path) {
    nlohmann::json details = nlohmann::json::object();
    if (!p.variable.empty()) details["variable"] = p.variable;
    if (where.line > 0) {
        details["line"] = where.line;
        details["column"] = where.column;
    }
    if (!path.empty()) details["path"] = path;
    if (!p.unknown.empty()) {
        details["unknown"] = p.unknown;
        // The host picks the closest as "did you mean"; a huge model need not send every name.
        nlohmann::json names = nlohmann::json::array();
        for (size_t k = 0; k < p.candidates.size() && k < 20000; ++k) names.push_back(p.candidates[k]);
        details["candidates"] = std::move(names);
    }
    return holon::Error(HOLON_ERR_INVALID_MODEL, p.message, details.dump());
}

} // namespace holon_sd
