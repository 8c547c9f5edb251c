// Ensembles: several judgement matrices of one set (one per expert or group).
#pragma once

#include "cib/search.hpp"

#include <optional>
#include <string_view>

namespace holon_scenarios::cib {

enum class EnsembleRule {
    all,      // consistent (within tolerance) for every matrix
    majority, // for more than half of the matrices
    sum,      // consistent for the sum matrix (ScenarioWizard's ensemble matrix)
};
std::optional<EnsembleRule> ensemble_rule_from_name(std::string_view name);
const char *name_of(EnsembleRule rule);

struct EnsembleScenario {
    Found found;                   // total impact score and inconsistency on the sum matrix
    std::vector<char> accepted_by; // per matrix
    uint32_t agreeing = 0;
};

struct EnsembleResult {
    std::vector<EnsembleScenario> scenarios; // listing order of their `found`
    uint64_t count = 0;
    bool complete = true;
    StopReason stopped = StopReason::none;
    std::vector<SearchResult> per_matrix; // the search of each matrix on its own
};

// Exact when every per-matrix search is complete and under its cap: any scenario accepted for
// a majority (or all) is accepted for at least one matrix, so the union of the per-matrix
// results holds every candidate.
EnsembleResult ensemble_search(const std::vector<Matrix> &matrices, EnsembleRule rule, const SearchOptions &options);

} // namespace holon_scenarios::cib
