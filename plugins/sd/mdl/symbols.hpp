// What the .mdl reader knows while translating: subscript ranges (with subranges, mappings and
// equivalences resolved), the variables' dimensions, lookups and macros.
#pragma once

#include "ir/model.hpp"
#include "mdl/records.hpp"
#include "mdl/vensim_ast.hpp"

#include <map>
#include <string>
#include <vector>

namespace holon_sd::mdl {

struct Range {
    std::string name;                  // as written
    std::vector<std::string> elements; // as written, subranges expanded
    std::vector<std::string> maps_to;  // canonical names of ranges this one maps onto (->)
    std::map<std::string, std::vector<std::string>> map_lists; // target -> its element for each of ours
    std::string root;                  // canonical name of the full range containing it (itself if none)
    int line = 0;
};

// A subscript symbol bound to one element while an equation is instantiated.
struct Bound {
    std::string element; // as written
    size_t index = 0;    // position in the symbol's range
    std::string range;   // canonical name of that range
};

using Bindings = std::map<std::string, Bound>; // canonical symbol -> element

struct Macro {
    std::string name;
    std::vector<std::string> params; // canonical
    std::vector<Record> records;
    int line = 0;
};

struct Symbols {
    std::map<std::string, Range> ranges;                 // canonical name -> range
    std::map<std::string, std::vector<std::string>> var_dims; // canonical variable -> canonical root ranges
    std::map<std::string, std::string> var_names;        // canonical variable -> IR name
    std::map<std::string, bool> lookups;                 // canonical names of lookup tables
    std::map<std::string, Macro> macros;                 // canonical macro name -> definition

    const Range *range(const std::string &canonical) const {
        auto it = ranges.find(canonical);
        return it == ranges.end() ? nullptr : &it->second;
    }
};

} // namespace holon_sd::mdl
