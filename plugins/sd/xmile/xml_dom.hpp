// A small, safe XML reader (expat underneath) that builds an element tree. Refuses DTDs and
// therefore every entity declaration (no billion laughs, no external entities), bounds the
// nesting depth and the input size, and reports errors with line and column.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace holon_sd::xml {

struct Element {
    std::string name;       // as written, e.g. "isee:prefs"
    std::string local_name; // without a prefix, e.g. "prefs"
    bool has_prefix = false;
    std::vector<std::pair<std::string, std::string>> attributes;
    std::string text; // all character data directly inside this element
    std::vector<Element> children;
    int line = 0;
    int column = 0;

    // The value of the attribute (compared by local name), or nullptr.
    const std::string *attribute(std::string_view local) const;
    // The first child without a namespace prefix called `local`, or nullptr.
    const Element *child(std::string_view local) const;
    std::vector<const Element *> children_named(std::string_view local) const;
};

struct Limits {
    size_t max_bytes = 64u << 20;
    int max_depth = 64;
    // How many missing end tags may be supplied: an end tag that closes an ancestor of the
    // innermost open elements first closes those in between (as libxml2's recover mode,
    // which PySD reads XMILE with, does). 0 = strict XML.
    int max_repairs = 0;
    // Only elements with these names may be closed that way; any other unclosed element is an error.
    std::vector<std::string> repairable;
};

struct Document {
    Element root;
    std::vector<std::string> repairs; // one line per supplied end tag, with its line and column
};

// Throws ModelError("XML: ...", "", line, column) on malformed or refused input.
Element parse(std::string_view document, const Limits &limits = {});
// As parse(), and supplies up to limits.max_repairs missing end tags, reporting each.
Document parse_repairing(std::string_view document, const Limits &limits);

} // namespace holon_sd::xml
