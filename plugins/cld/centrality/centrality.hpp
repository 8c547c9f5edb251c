// Network centralities of a causal map, normalised as networkx documents them (methods.md §7, §9).
// The graph is taken as simple and unweighted: parallel links count once, self-links are ignored.
#pragma once

#include "graph/causal_graph.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace holon_cld {

struct CentralityScores {
    // Distinct neighbours. Undirected: degree = neighbours either way. Directed: degree = in + out.
    std::size_t degree = 0;
    std::size_t in_degree = 0;
    std::size_t out_degree = 0;
    double degree_centrality = 0;      // degree / (n - 1)
    double in_degree_centrality = 0;   // in_degree / (n - 1)
    double out_degree_centrality = 0;  // out_degree / (n - 1)
    double betweenness_raw = 0;        // sum of sigma_st(v)/sigma_st over pairs (unordered when undirected)
    double betweenness = 0;            // raw / ((n-1)(n-2)/2) undirected, raw / ((n-1)(n-2)) directed
    // Wasserman-Faust: (r-1)/sum(d) * (r-1)/(n-1), r = variables that reach v (itself included);
    // directed graphs use distances *to* v. Equals (n-1)/sum(d) on a connected graph.
    double closeness = 0;
    // Principal eigenvector of A + I (in-links when directed), unit Euclidean norm; empty when the
    // power iteration did not converge.
    std::optional<double> eigenvector;
};

struct CentralityResult {
    std::vector<CentralityScores> scores; // per variable
    bool eigenvector_converged = false;
};

CentralityResult compute_centrality(const CausalGraph &graph, bool directed);

} // namespace holon_cld
