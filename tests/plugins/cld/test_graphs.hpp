// Causal maps with published answers, shared by the cld tests and the benchmark.
#pragma once

#include "graph/causal_graph.hpp"

#include <cstddef>
#include <string>

namespace holon_cld::testing {

// The complete digraph K_n: variables v00..v(n-1), every ordered pair linked "+".
CausalGraph complete_digraph(std::size_t n);

// The yeast-alcohol model's causal structure (methods.md §2.4): cells, births, deaths, alcohol.
CausalGraph yeast_alcohol();
std::string yeast_alcohol_model_json();

// Padgett & Ansell's Florentine marriage ties as shipped in networkx (15 families, 20 ties).
CausalGraph florentine_families();

} // namespace holon_cld::testing
