#include "centrality/centrality.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>

namespace holon_cld {
namespace {

using Adjacency = std::vector<std::vector<std::size_t>>;

struct SimpleGraph {
    Adjacency out;  // successors (undirected: neighbours)
    Adjacency in;   // predecessors (undirected: neighbours)
};

void add_unique(std::vector<std::size_t> &list, std::size_t v) {
    if (std::find(list.begin(), list.end(), v) == list.end()) list.push_back(v);
}

SimpleGraph simple_graph(const CausalGraph &graph, bool directed) {
    const std::size_t n = graph.variable_count();
    SimpleGraph g{Adjacency(n), Adjacency(n)};
    for (const Link &link : graph.links()) {
        if (link.from == link.to) continue;
        add_unique(g.out[link.from], link.to);
        add_unique(g.in[link.to], link.from);
        if (!directed) {
            add_unique(g.out[link.to], link.from);
            add_unique(g.in[link.from], link.to);
        }
    }
    return g;
}

// Brandes 2001, unweighted: accumulates pair dependencies over every source.
std::vector<double> brandes(const Adjacency &out) {
    const std::size_t n = out.size();
    std::vector<double> betweenness(n, 0.0);
    std::vector<std::size_t> order;
    std::vector<std::vector<std::size_t>> predecessors(n);
    std::vector<double> sigma(n), delta(n);
    std::vector<long> distance(n);
    for (std::size_t s = 0; s < n; ++s) {
        order.clear();
        for (std::size_t v = 0; v < n; ++v) predecessors[v].clear();
        std::fill(sigma.begin(), sigma.end(), 0.0);
        std::fill(delta.begin(), delta.end(), 0.0);
        std::fill(distance.begin(), distance.end(), -1L);
        sigma[s] = 1;
        distance[s] = 0;
        std::deque<std::size_t> queue{s};
        while (!queue.empty()) {
            const std::size_t v = queue.front();
            queue.pop_front();
            order.push_back(v);
            for (std::size_t w : out[v]) {
                if (distance[w] < 0) {
                    distance[w] = distance[v] + 1;
                    queue.push_back(w);
                }
                if (distance[w] == distance[v] + 1) {
                    sigma[w] += sigma[v];
                    predecessors[w].push_back(v);
                }
            }
        }
        for (auto it = order.rbegin(); it != order.rend(); ++it) {
            const std::size_t w = *it;
            for (std::size_t v : predecessors[w]) delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
            if (w != s) betweenness[w] += delta[w];
        }
    }
    return betweenness;
}

// Distances from `source` along `adjacency`; -1 where unreachable.
std::vector<long> bfs(const Adjacency &adjacency, std::size_t source) {
    std::vector<long> distance(adjacency.size(), -1L);
    distance[source] = 0;
    std::deque<std::size_t> queue{source};
    while (!queue.empty()) {
        const std::size_t v = queue.front();
        queue.pop_front();
        for (std::size_t w : adjacency[v])
            if (distance[w] < 0) {
                distance[w] = distance[v] + 1;
                queue.push_back(w);
            }
    }
    return distance;
}

// networkx eigenvector_centrality: power iteration of x <- (A^T + I) x from a uniform start.
std::optional<std::vector<double>> eigenvector(const SimpleGraph &g) {
    const std::size_t n = g.out.size();
    if (n == 0) return std::vector<double>{};
    std::vector<double> x(n, 1.0 / static_cast<double>(n)), next(n);
    constexpr int max_iterations = 10000;
    constexpr double tolerance = 1e-12;
    for (int iteration = 0; iteration < max_iterations; ++iteration) {
        next = x;
        for (std::size_t v = 0; v < n; ++v)
            for (std::size_t w : g.out[v]) next[w] += x[v];
        double norm = 0;
        for (double value : next) norm += value * value;
        norm = std::sqrt(norm);
        if (norm == 0) norm = 1;
        double change = 0;
        for (std::size_t v = 0; v < n; ++v) {
            next[v] /= norm;
            change += std::fabs(next[v] - x[v]);
        }
        x.swap(next);
        if (change < static_cast<double>(n) * tolerance) return x;
    }
    return std::nullopt;
}

} // namespace

CentralityResult compute_centrality(const CausalGraph &graph, bool directed) {
    const std::size_t n = graph.variable_count();
    const SimpleGraph g = simple_graph(graph, directed);
    // in/out degrees always describe the links as drawn.
    const SimpleGraph drawn = simple_graph(graph, true);
    CentralityResult result;
    result.scores.resize(n);
    const double others = n > 1 ? static_cast<double>(n - 1) : 0.0;

    std::vector<double> between = brandes(g.out);
    double scale = 1.0;
    if (!directed) scale = 0.5; // each unordered pair was counted from both ends
    double normaliser = 0;
    if (n > 2) normaliser = directed ? static_cast<double>((n - 1) * (n - 2)) : static_cast<double>((n - 1) * (n - 2)) / 2.0;

    const auto eigen = eigenvector(g);
    result.eigenvector_converged = eigen.has_value();

    for (std::size_t v = 0; v < n; ++v) {
        CentralityScores &s = result.scores[v];
        s.in_degree = drawn.in[v].size();
        s.out_degree = drawn.out[v].size();
        s.degree = directed ? s.in_degree + s.out_degree : g.out[v].size();
        // networkx gives a lone variable centrality 1.
        s.degree_centrality = n > 1 ? static_cast<double>(s.degree) / others : 1.0;
        s.in_degree_centrality = n > 1 ? static_cast<double>(s.in_degree) / others : 1.0;
        s.out_degree_centrality = n > 1 ? static_cast<double>(s.out_degree) / others : 1.0;
        s.betweenness_raw = between[v] * scale;
        s.betweenness = normaliser > 0 ? s.betweenness_raw / normaliser : s.betweenness_raw;

        const std::vector<long> d = bfs(g.in, v); // distances to v (same as from v when undirected)
        long total = 0;
        std::size_t reached = 0;
        for (long value : d)
            if (value >= 0) {
                total += value;
                ++reached;
            }
        if (total > 0 && n > 1) {
            const double r = static_cast<double>(reached - 1);
            s.closeness = r / static_cast<double>(total) * (r / others);
        }
        if (eigen) s.eigenvector = (*eigen)[v];
    }
    return result;
}

} // namespace holon_cld
