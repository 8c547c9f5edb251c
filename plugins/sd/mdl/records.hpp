// Splits a Vensim .mdl text into its parts: equation records (`equation ~ units ~ documentation |`),
// macro definitions (:MACRO: ... :END OF MACRO:) and the sketch section. Comments `{...}` and line
// continuations (`\` at the end of a line) are removed; every record remembers its first line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace holon_sd::mdl {

struct Record {
    std::string equation; // left and right side, comments removed
    std::string units;
    std::string documentation;
    int line = 0;
};

struct MacroDefinition {
    std::string header; // "NAME(input, parameter : extra output)"
    std::vector<Record> records;
    int line = 0;
};

struct MdlParts {
    std::vector<Record> records;
    std::vector<MacroDefinition> macros;
    std::string sketch;
    int sketch_line = 0;
};

// Throws ModelError with a line number on an unterminated quote or comment, or an oversized file.
MdlParts split_mdl(std::string_view text);

} // namespace holon_sd::mdl
