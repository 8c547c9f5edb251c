// cld.loops: every feedback loop of the causal map, with polarity and partitions.
#pragma once

#include "graph/causal_graph.hpp"
#include "loops/loop_finder.hpp"

#include <holon/plugin.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace holon_cld::methods {

// Search options from the method's params (through, max_loops, time_budget_ms) and the run's
// cancellation flag.
LoopSearchOptions loop_options(const holon::Context &ctx, const CausalGraph &graph, const nlohmann::json &params);

// The result document: {"count", "truncated", "loops": [...], "partitions": [...]}, written as
// text directly so that a hundred thousand loops do not become a DOM first.
std::string loops_result_json(const CausalGraph &graph, const LoopInventory &inventory);

// loops.csv: one row per loop (id, name, polarity, length, the chain of names, the chain of ids).
std::string loops_csv(const CausalGraph &graph, const LoopInventory &inventory);

struct LoopsMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_cld::methods
