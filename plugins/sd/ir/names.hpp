// Name matching as XMILE defines it: case-insensitive, spaces and underscores equivalent, quotes
// not part of the name. Every lookup of a variable, dimension or element goes through canonical().
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace holon_sd {

// Lower-cases ASCII letters, strips surrounding quotes and whitespace, and turns every run of
// spaces, underscores, tabs, newlines and XMILE's escaped newline (the two characters \n) into
// one space: "Teacup_Temperature" and "\"teacup  temperature\"" both become "teacup temperature".
std::string canonical_name(std::string_view name);

// Whether two lists hold the same names in the same order, as canonical_name compares them (a
// dimension written twice with the same elements is one dimension).
bool same_elements(const std::vector<std::string> &a, const std::vector<std::string> &b);

// `s` without leading and trailing spaces, tabs, carriage returns and line feeds.
std::string trim(std::string_view s);

} // namespace holon_sd
