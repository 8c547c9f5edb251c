// Succession (Weimer-Jehle 2006): from a start scenario, descriptors move to the variants their
// impact balances favour until a fixed point (a consistent scenario) or a cycle is reached.
// Results depend on the mode, the tie rule and the descriptor order, so all three are explicit.
#pragma once

#include "cib/matrix.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace holon_scenarios::cib {

// Which variant a descriptor takes when several share the highest balance.
enum class TieRule {
    keep_else_first, // keep the current variant if it is among the maxima, else the lowest-index maximum
    first,           // always the lowest-index maximum
    last,            // always the highest-index maximum
};
std::optional<TieRule> tie_rule_from_name(std::string_view name);
const char *name_of(TieRule rule);

enum class SuccessionMode {
    global,             // every descriptor moves at once
    adiabatic_first,    // only the first descriptor (in descriptor order) that would move
    adiabatic_max_gap,  // only the descriptor with the largest balance gap (ties: the first)
};
std::optional<SuccessionMode> succession_mode_from_name(std::string_view name);
const char *name_of(SuccessionMode mode);

struct SuccessionOptions {
    SuccessionMode mode = SuccessionMode::global;
    TieRule tie = TieRule::keep_else_first;
    std::vector<int> fixed; // per descriptor: -1 free, else fixed (it never moves); empty: all free
};

// One succession step. Returns the input itself at a fixed point.
Scenario succession_step(const Matrix &m, const Scenario &s, const SuccessionOptions &o);

struct Trajectory {
    std::vector<Scenario> path; // start first; the attractor is path[cycle_start..]
    size_t cycle_start = 0;
    bool fixed_point() const { return path.size() - cycle_start == 1; }
};
Trajectory follow(const Matrix &m, const Scenario &start, const SuccessionOptions &o);

struct Attractor {
    std::vector<Scenario> states; // one state: a fixed point; more: a cycle, from its smallest state
    uint64_t basin = 0;           // start scenarios ending here
};

struct BasinOptions {
    uint64_t max_starts = 5'000'000; // all starts when the space is no larger, else a random sample
    uint64_t seed = 1;
    std::function<bool()> cancelled;
};

struct BasinResult {
    std::vector<Attractor> attractors; // largest basin first, then smaller first state
    uint64_t starts = 0;
    bool exhaustive = true;            // every start scenario was followed
    bool cancelled = false;
};
BasinResult basins(const Matrix &m, const SuccessionOptions &o, const BasinOptions &b = {});

} // namespace holon_scenarios::cib
