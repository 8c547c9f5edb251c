// Strongly connected components: feedback loops never leave one, so loops are enumerated per SCC.
#pragma once

#include "graph/causal_graph.hpp"

#include <cstddef>
#include <vector>

namespace holon_cld {

struct Components {
    std::vector<std::size_t> component_of;          // per variable
    std::vector<std::vector<std::size_t>> members;  // per component, variable indices ascending
};

Components strong_components(const CausalGraph &graph);

} // namespace holon_cld
