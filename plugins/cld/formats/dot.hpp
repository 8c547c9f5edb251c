// A causal loop diagram as Graphviz DOT: polarity marks on every link ("+", "−", "?"), "||" on
// delayed links, and highlighted loops drawn in their own colour with an R/B/U legend.
#pragma once

#include "graph/causal_graph.hpp"
#include "loops/loop_finder.hpp"

#include <string>
#include <vector>

namespace holon_cld {

struct HighlightedLoop {
    std::string label; // e.g. "L3"; the legend shows "L3 (B): a → b → a"
    Loop loop;
    std::string name = {}; // e.g. "B2": when set, the legend shows "B2: a → b → a" instead
};

struct DotOptions {
    std::string title; // shown above the diagram when not empty
    std::vector<HighlightedLoop> highlighted;
};

std::string to_dot(const CausalGraph &graph, const DotOptions &options = {});

// The palette highlighted loops cycle through.
const std::vector<std::string> &loop_palette();

} // namespace holon_cld
