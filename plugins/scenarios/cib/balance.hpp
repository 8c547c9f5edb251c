// Impact balances and the consistency measures of one scenario (Weimer-Jehle 2006), in exact
// integer arithmetic.
#pragma once

#include "cib/matrix.hpp"

#include <cstdint>
#include <vector>

namespace holon_scenarios::cib {

// balances[j][b] = sum over all i of C[(i, s_i), (j, b)]. The i == j term is the self-impact of
// j's own variant, zero in the textbook form; ScenarioWizard counts it and so does this.
std::vector<std::vector<int64_t>> impact_balances(const Matrix &m, const Scenario &s);

struct Evaluation {
    std::vector<std::vector<int64_t>> balances;
    // margins[j] = balance of the chosen variant minus the best rival's (0 for a one-variant
    // descriptor): >= 0 holds, 0 holds only through a tie (weak consistency), < 0 fails.
    std::vector<int64_t> margins;
    int64_t inconsistency = 0;      // max over judged descriptors of (best balance - own balance)
    int64_t total_impact_score = 0; // sum over all descriptors of the own balance
    int64_t min_margin = 0;         // over judged descriptors
};

// `exempt[j]` true leaves descriptor j out of the inconsistency and margin (an intervention:
// its variant is set from outside). Empty means none is exempt.
Evaluation evaluate(const Matrix &m, const Scenario &s, const std::vector<bool> &exempt = {});

} // namespace holon_scenarios::cib
