// How people name loops: R1, R2, … B1, … U1, … numbered per polarity in the order of the loop
// list (the convention of the SD literature and of cld.ltm), and a loop read out as the chain of
// its variables' names.
#pragma once

#include "graph/causal_graph.hpp"
#include "loops/loop_finder.hpp"

#include <string>
#include <vector>

namespace holon_cld {

// names[i] is the name of loops[i]: its polarity letter and its number among the loops of that
// polarity, counted in list order.
std::vector<std::string> loop_names(const std::vector<Loop> &loops);

// "Births → Cells → Births": the loop's variable names in loop order, back to the first.
std::string loop_chain(const CausalGraph &graph, const Loop &loop);

} // namespace holon_cld
