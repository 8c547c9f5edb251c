// GraphML (http://graphml.graphdrawing.org) export and import of a causal map.
//
// Export writes node data `name`, `kind` and edge data `polarity` ("+", "-", "?"), `delay`,
// `weight`. Import reads those keys by their attr.name (also `label` for name and `sign` for
// polarity), with a hardened expat parser: no DTD, no entities, bounded size and depth.
#pragma once

#include "formats/import_error.hpp"
#include "graph/causal_graph.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace holon_cld {

std::string write_graphml(const CausalGraph &graph);

struct XmlLimits {
    std::size_t max_bytes = 64u << 20;
    std::size_t max_depth = 64;
};

// Throws ImportError (with line and column) on malformed XML, a DTD, nested graphs, hyperedges,
// duplicate ids, links to unknown nodes or unreadable polarities.
Imported read_graphml(std::string_view xml, const XmlLimits &limits = {});

} // namespace holon_cld
