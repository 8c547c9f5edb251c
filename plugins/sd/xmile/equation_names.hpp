// Rewrites the names an XMILE equation refers to, keeping everything else exactly as written.
// Module instantiation and macro expansion both move variables into the one flat model under new
// names; they rename the references with this, token by token, never by text search.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace holon_sd {

struct NameReference {
    std::string name;  // as the lexer reads it (quotes removed, bare words joined)
    bool called;       // followed by '(': a function, a macro or a graphical function
    bool in_subscript; // inside [...]: a dimension or element name, or a computed subscript's variable
};

// The text for a reference, or nullopt to keep it as written.
using RenameFunction = std::function<std::optional<std::string>(const NameReference &)>;

// Throws ModelError when the equation does not tokenize.
std::string rename_references(std::string_view equation, const RenameFunction &rename);

// The names an equation calls as functions (name followed by '('), in order.
std::vector<std::string> called_names(std::string_view equation);

// `name` as a quoted XMILE name, readable back whatever characters it holds.
std::string quoted_name(std::string_view name);

// Names that the compiler knows without a variable (TIME, DT, ...), canonical.
bool is_reserved_name(std::string_view canonical);

} // namespace holon_sd
