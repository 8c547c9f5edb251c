#include "ir/names.hpp"

namespace holon_sd {

namespace {

bool is_separator(char c) { return c == ' ' || c == '_' || c == '\t' || c == '\n' || c == '\r'; }

// Length of the separator at the start of `s`, or 0. XMILE writes a line break inside a name
// (Stella's multi-line labels) as the two characters "\n", which count as one separator.
size_t separator_at(std::string_view s) {
    if (s.empty()) return 0;
    if (is_separator(s[0])) return 1;
    if (s.size() >= 2 && s[0] == '\\' && s[1] == 'n') return 2;
    return 0;
}

} // namespace

bool same_elements(const std::vector<std::string> &a, const std::vector<std::string> &b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (canonical_name(a[i]) != canonical_name(b[i])) return false;
    return true;
}

std::string trim(std::string_view s) {
    size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
    return std::string(s.substr(b, e - b));
}

std::string canonical_name(std::string_view name) {
    for (;;) {
        if (size_t n = separator_at(name)) name.remove_prefix(n);
        else if (!name.empty() && name.front() == '"') name.remove_prefix(1);
        else break;
    }
    for (;;) {
        if (!name.empty() && (is_separator(name.back()) || name.back() == '"')) name.remove_suffix(1);
        else if (name.size() >= 2 && name.substr(name.size() - 2) == "\\n") name.remove_suffix(2);
        else break;
    }
    std::string out;
    out.reserve(name.size());
    bool pending_space = false;
    for (size_t i = 0; i < name.size();) {
        if (size_t n = separator_at(name.substr(i))) {
            pending_space = true;
            i += n;
            continue;
        }
        if (pending_space && !out.empty()) out.push_back(' ');
        pending_space = false;
        const char c = name[i++];
        out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    return out;
}

} // namespace holon_sd
