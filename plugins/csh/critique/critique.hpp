// csh.critique's computations: coverage of the 24 cells per perspective, is/ought gaps typed from
// the bound entities, the divergence between perspectives (Jaccard distance of bound sets) and the
// checks that hold the boundary judgements against the model. Finding codes are documented in
// docs/methods/csh.md and never change meaning.
#pragma once

#include "core/model.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace holon_csh {

enum class GapType { same, ought_broader, ought_narrower, conflicting, unbound };
const char *gap_name(GapType g);

// is vs ought: unbound when either side binds nothing.
GapType gap_type(const RefSet &is, const RefSet &ought);

// 1 - |A ∩ B| / |A ∪ B|; nullopt when either set is empty (nothing to compare).
std::optional<double> jaccard_distance(const RefSet &a, const RefSet &b);

struct CritiqueOptions {
    double divergence_threshold = 0.5; // CSH-DIV-001 when the most divergent pair reaches this
    double min_confidence = 0.5;       // CSH-GUA-001 below this link confidence
};

// One perspective's answers: [category-1][mode].
struct Cell {
    std::vector<std::size_t> records; // indexes into Model::records
    RefSet bound;
};
using Grid = std::array<std::array<Cell, 2>, category_count>;

std::vector<Grid> grids(const Model &m);

// Variables the model's outcomes reach: outcome variables (kind "outcome", or bound as a
// category-3 measure by any perspective, directly or through an indicator) and everything
// downstream of them along the causal links.
std::set<std::string> outcome_reach(const Model &m);

// The whole csh.critique result document (without the report).
nlohmann::json critique(const Model &m, const CritiqueOptions &options = {});

} // namespace holon_csh
