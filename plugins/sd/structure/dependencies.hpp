// The causal structure of a model: which variable's value each variable reads, with the
// polarity of the influence where the equation determines it. Polarity assumes the other factors
// of a product or quotient are positive (as SD loop analysis conventionally does); anything that
// cannot be signed that way (comparisons, IF conditions, trig, non-monotone tables) is '?'.
#pragma once

#include "ir/model.hpp"

#include <string>
#include <vector>

namespace holon_sd {

struct Dependency {
    std::string from; // the model's own variable names
    std::string to;
    char polarity = '?'; // '+', '-' or '?'
};

// One entry per (from, to) pair; flows into a stock are '+', out of it '-'. Stock initial
// values are not causal links and are left out. Throws ModelError on unparsable equations.
std::vector<Dependency> dependencies(const Model &model);

} // namespace holon_sd
