#include "loops/loop_finder.hpp"

#include "graph/components.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/hawick_circuits.hpp>

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace holon_cld {

std::string_view loop_polarity_letter(LoopPolarity polarity) {
    switch (polarity) {
    case LoopPolarity::reinforcing: return "R";
    case LoopPolarity::balancing: return "B";
    case LoopPolarity::undetermined: break;
    }
    return "U";
}

LoopPolarity loop_polarity(const CausalGraph &graph, const std::vector<std::size_t> &links) {
    bool negative = false;
    for (std::size_t l : links) {
        switch (graph.links()[l].polarity) {
        case Polarity::unknown: return LoopPolarity::undetermined;
        case Polarity::negative: negative = !negative; break;
        case Polarity::positive: break;
        }
    }
    return negative ? LoopPolarity::balancing : LoopPolarity::reinforcing;
}

namespace {

using Clock = std::chrono::steady_clock;
using LocalGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

// Thrown from inside the Boost search to leave it early; never escapes this file.
struct StopSearch {};

// Everything one component's search needs, with vertices renumbered 0..k-1.
struct ComponentSearch {
    const CausalGraph &graph;
    std::vector<std::size_t> global;                               // local -> variable index
    std::vector<std::size_t> id_rank;                              // local -> rank of the variable id
    std::unordered_map<std::uint64_t, std::vector<std::size_t>> pair_links; // (u,v) -> link indices
    LocalGraph local;

    static std::uint64_t key(std::size_t u, std::size_t v) { return (static_cast<std::uint64_t>(u) << 32) | v; }
};

class Searcher {
public:
    Searcher(const CausalGraph &graph, const LoopSearchOptions &options, const std::function<void(const Loop &)> &on_loop)
        : graph_(graph), options_(options), on_loop_(on_loop), started_(Clock::now()), last_poll_(started_) {}

    LoopSearchSummary run() {
        const Components components = strong_components(graph_);
        std::vector<std::vector<std::size_t>> members = components.members;
        for (auto &m : members) std::sort(m.begin(), m.end(), [&](auto a, auto b) { return id(a) < id(b); });
        std::sort(members.begin(), members.end(), [&](const auto &a, const auto &b) { return id(a.front()) < id(b.front()); });

        for (const auto &component : members) {
            if (options_.through && components.component_of[*options_.through] != components.component_of[component.front()])
                continue;
            Partition partition = make_partition(component);
            if (partition.link_count == 0) continue; // a lone variable without a self-link
            summary_.partitions.push_back(std::move(partition));
            if (summary_.stop != StopReason::completed) continue; // report the partition, search no more
            search(summary_.partitions.back());
        }
        return std::move(summary_);
    }

    // The Boost visitor's callback (through CycleVisitor below).
    template <class Path>
    void cycle(const Path &path, const ComponentSearch &cs, Partition &partition) {
        if (options_.through && path.front() != 0) throw StopSearch{}; // every loop through it is found
        expand(path, cs, partition);
    }

private:
    const std::string &id(std::size_t v) const { return graph_.variables()[v].id; }

    Partition make_partition(const std::vector<std::size_t> &component) const {
        Partition p;
        p.variables = component;
        std::vector<char> inside(graph_.variable_count(), 0);
        for (std::size_t v : component) inside[v] = 1;
        for (std::size_t v : component)
            for (std::size_t l : graph_.out_links(v))
                if (inside[graph_.links()[l].to]) ++p.link_count;
        return p;
    }

    void search(Partition &partition);

    template <class Path>
    void expand(const Path &path, const ComponentSearch &cs, Partition &partition) {
        const std::size_t n = path.size();
        // Rotate so that the smallest variable id comes first: the canonical form of the loop.
        std::size_t start = 0;
        for (std::size_t i = 1; i < n; ++i)
            if (cs.id_rank[path[i]] < cs.id_rank[path[start]]) start = i;
        choices_.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t u = path[(start + i) % n];
            const std::size_t v = path[(start + i + 1) % n];
            choices_[i] = &cs.pair_links.at(ComponentSearch::key(u, v));
        }
        loop_.variables.resize(n);
        for (std::size_t i = 0; i < n; ++i) loop_.variables[i] = cs.global[path[(start + i) % n]];
        // Every combination of parallel links is its own loop (odometer over the choices).
        odometer_.assign(n, 0);
        loop_.links.resize(n);
        for (;;) {
            for (std::size_t i = 0; i < n; ++i) loop_.links[i] = (*choices_[i])[odometer_[i]];
            deliver(partition);
            std::size_t i = n;
            while (i > 0) {
                --i;
                if (++odometer_[i] < choices_[i]->size()) break;
                odometer_[i] = 0;
                if (i == 0) return;
            }
        }
    }

    void deliver(Partition &partition) {
        if (options_.max_loops != 0 && summary_.count >= options_.max_loops) stop(StopReason::max_loops);
        if (options_.max_loop_steps != 0 && steps_ + loop_.links.size() > options_.max_loop_steps)
            stop(StopReason::max_loop_steps);
        steps_ += loop_.links.size();
        check_clock();
        loop_.polarity = loop_polarity(graph_, loop_.links);
        on_loop_(loop_);
        ++summary_.count;
        ++partition.loops;
    }

    void check_clock() {
        if (++since_clock_ < 32) return;
        since_clock_ = 0;
        const auto now = Clock::now();
        if (options_.time_budget.count() > 0 && now - started_ >= options_.time_budget) stop(StopReason::time_budget);
        if (options_.cancelled && now - last_poll_ >= std::chrono::milliseconds(20)) {
            last_poll_ = now;
            if (options_.cancelled()) stop(StopReason::cancelled);
        }
    }

    [[noreturn]] void stop(StopReason reason) {
        summary_.stop = reason;
        throw StopSearch{};
    }

    const CausalGraph &graph_;
    const LoopSearchOptions &options_;
    const std::function<void(const Loop &)> &on_loop_;
    Clock::time_point started_;
    Clock::time_point last_poll_;
    unsigned since_clock_ = 0;
    std::uint64_t steps_ = 0; // sum of the lengths of the loops delivered
    LoopSearchSummary summary_;
    Loop loop_;
    std::vector<const std::vector<std::size_t> *> choices_;
    std::vector<std::size_t> odometer_;
};

// Boost takes the visitor by value, so it only points at the searcher.
struct CycleVisitor {
    Searcher *searcher;
    const ComponentSearch *cs;
    Partition *partition;
    template <class Path, class Graph>
    void cycle(const Path &path, const Graph &) {
        searcher->cycle(path, *cs, *partition);
    }
};

void Searcher::search(Partition &partition) {
    ComponentSearch cs{graph_, {}, {}, {}, LocalGraph(partition.variables.size())};
    cs.global = partition.variables; // ascending by id
    if (options_.through) {
        // Put it first: Hawick-James then finds every loop through it from the first start vertex.
        auto it = std::find(cs.global.begin(), cs.global.end(), *options_.through);
        std::rotate(cs.global.begin(), it, it + 1);
    }
    std::vector<std::size_t> local_of(graph_.variable_count(), SIZE_MAX);
    for (std::size_t i = 0; i < cs.global.size(); ++i) local_of[cs.global[i]] = i;
    cs.id_rank.resize(cs.global.size());
    for (std::size_t i = 0; i < partition.variables.size(); ++i) cs.id_rank[local_of[partition.variables[i]]] = i;

    for (std::size_t u = 0; u < cs.global.size(); ++u) {
        for (std::size_t l : graph_.out_links(cs.global[u])) {
            const std::size_t v = local_of[graph_.links()[l].to];
            if (v == SIZE_MAX) continue;
            auto &links = cs.pair_links[ComponentSearch::key(u, v)];
            if (links.empty()) boost::add_edge(u, v, cs.local);
            links.push_back(l);
        }
    }
    try {
        // The local graph has one edge per linked pair already, so the plain variant suffices.
        boost::hawick_circuits(cs.local, CycleVisitor{this, &cs, &partition});
    } catch (const StopSearch &) {
        // Either a stop reason was recorded, or a `through` search is complete.
    }
}

// Ranks of the ids, so that sorting compares integers instead of strings.
template <class Items>
std::vector<std::size_t> id_ranks(const Items &items) {
    std::vector<std::size_t> order(items.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return items[a].id < items[b].id; });
    std::vector<std::size_t> rank(items.size());
    for (std::size_t r = 0; r < order.size(); ++r) rank[order[r]] = r;
    return rank;
}

bool rank_sequence_less(const std::vector<std::size_t> &rank, const std::vector<std::size_t> &a,
                        const std::vector<std::size_t> &b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                        [&](std::size_t x, std::size_t y) { return rank[x] < rank[y]; });
}

} // namespace

LoopSearchSummary enumerate_loops(const CausalGraph &graph, const LoopSearchOptions &options,
                                  const std::function<void(const Loop &)> &on_loop) {
    if (options.through && *options.through >= graph.variable_count())
        throw GraphError("'through' names no variable of the graph");
    Searcher searcher(graph, options, on_loop);
    return searcher.run();
}

void sort_loops(const CausalGraph &graph, std::vector<Loop> &loops) {
    const std::vector<std::size_t> variable_rank = id_ranks(graph.variables());
    const std::vector<std::size_t> link_rank = id_ranks(graph.links());
    std::sort(loops.begin(), loops.end(), [&](const Loop &a, const Loop &b) {
        if (a.links.size() != b.links.size()) return a.links.size() < b.links.size();
        if (rank_sequence_less(variable_rank, a.variables, b.variables)) return true;
        if (rank_sequence_less(variable_rank, b.variables, a.variables)) return false;
        return rank_sequence_less(link_rank, a.links, b.links);
    });
}

LoopInventory find_loops(const CausalGraph &graph, const LoopSearchOptions &options) {
    LoopInventory inventory;
    inventory.summary = enumerate_loops(graph, options, [&](const Loop &loop) { inventory.loops.push_back(loop); });
    sort_loops(graph, inventory.loops);
    return inventory;
}

} // namespace holon_cld
