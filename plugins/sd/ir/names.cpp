#include "ir/names.hpp"

namespace holon::sd {

namespace {
bool is_separator(char c) { return c == ' ' || c == '_' || c == '\t' || c == '\n' || c == '\r'; }
} // namespace

std::string canonical_name(std::string_view name) {
    while (!name.empty() && (is_separator(name.front()) || name.front() == '"')) name.remove_prefix(1);
    while (!name.empty() && (is_separator(name.back()) || name.back() == '"')) name.remove_suffix(1);
    std::string out;
    out.reserve(name.size());
    bool pending_space = false;
    for (char c : name) {
        if (is_separator(c)) {
            pending_space = true;
            continue;
        }
        // XMILE writes a newline inside a name as the two characters "\n".
        if (pending_space && !out.empty()) out.push_back(' ');
        pending_space = false;
        out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    return out;
}

} // namespace holon::sd
