// Elementary feedback loops of a causal map (Hawick & James circuits, per strongly connected
// component), their polarity and the partitions they live in.
//
// Policy for multi-arcs (documented in docs/methods/cld.md): a loop is a sequence of links, not of
// variables. Two parallel links u->v give two distinct loops through that pair, whatever their
// signs; a self-link is a loop of length 1.
#pragma once

#include "graph/causal_graph.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace holon_cld {

enum class LoopPolarity { reinforcing, balancing, undetermined };

// "R", "B" or "U".
std::string_view loop_polarity_letter(LoopPolarity polarity);

// R when the product of the link signs is positive, B when negative, U when any link is "?".
LoopPolarity loop_polarity(const CausalGraph &graph, const std::vector<std::size_t> &links);

struct Loop {
    // Rotated so that the variable with the smallest id comes first; links[i] goes from
    // variables[i] to variables[(i + 1) % length].
    std::vector<std::size_t> variables;
    std::vector<std::size_t> links;
    LoopPolarity polarity = LoopPolarity::undetermined;
};

enum class StopReason { completed, max_loops, max_loop_steps, time_budget, cancelled };

struct LoopSearchOptions {
    std::optional<std::size_t> through;        // only loops through this variable
    std::uint64_t max_loops = 0;               // 0: no cap
    // Cap on the sum of the lengths of the loops delivered: what the loops cost in memory and in
    // the result grows with it, not with their number (World3's loops average ~40 links). 0: no cap.
    std::uint64_t max_loop_steps = 0;
    std::chrono::milliseconds time_budget{0};  // 0: no budget
    // Polled about every 20 ms of search; returning true stops the search with `cancelled`.
    std::function<bool()> cancelled;
};

// A strongly connected component that holds at least one loop.
struct Partition {
    std::vector<std::size_t> variables; // ascending by variable id
    std::size_t link_count = 0;         // links inside the component (self and parallel links too)
    std::uint64_t loops = 0;            // loops found in it (up to the stop)
    // E - V + 1: the size of an independent loop set (Kampmann 2012), not the number of loops.
    std::int64_t independent_loops() const {
        return static_cast<std::int64_t>(link_count) - static_cast<std::int64_t>(variables.size()) + 1;
    }
};

struct LoopSearchSummary {
    std::uint64_t count = 0; // loops delivered
    StopReason stop = StopReason::completed;
    std::vector<Partition> partitions; // ordered by their smallest variable id
    bool truncated() const { return stop != StopReason::completed; }
};

// Streams every loop to `on_loop` in search order (the Loop is reused: copy what you keep). Memory
// stays bounded by the graph size, whatever the number of loops.
LoopSearchSummary enumerate_loops(const CausalGraph &graph, const LoopSearchOptions &options,
                                  const std::function<void(const Loop &)> &on_loop);

struct LoopInventory {
    std::vector<Loop> loops; // shortest first, then by variable ids, then by link ids
    LoopSearchSummary summary;
};

// Collects the loops (at most options.max_loops of them) and sorts them.
LoopInventory find_loops(const CausalGraph &graph, const LoopSearchOptions &options);

// Shortest first, then lexicographically by variable ids, then by link ids.
void sort_loops(const CausalGraph &graph, std::vector<Loop> &loops);

} // namespace holon_cld
