// Beer's diagram of one recursion level (the metasystem S5/S4/S3 stacked above the vertical
// command axis, S3* and S2 beside it, each operation with its management and environment, the
// channels by type, missing key channels dotted in orange) and a nested view of all levels.
// Our own layout; SVG text only, no SDK types.
#pragma once

#include "org/organisation.hpp"

#include <map>
#include <string>

namespace holon_vsm {

// Findings per unit index, to badge the units the diagnosis names (may be empty).
using FindingCounts = std::map<int, int>;

// The level whose metasystem is `unit` (an unfolded unit, or a leaf drawn alone).
std::string level_svg(const Organisation &org, int unit, const FindingCounts &findings = {});

// Every recursion level nested: each unfolded unit a box holding its operations.
std::string nested_svg(const Organisation &org, const FindingCounts &findings = {}, int max_units = 300);

} // namespace holon_vsm
