// Exhaustive CIB search on random standardised matrices (cells -3..+3, every judgement section
// row summing to 0):
//   15 descriptors, 3^13 x 4^2 = 25.5 million scenarios;
//   17 descriptors, 3^13 x 4^4 = 408 million scenarios.
// BM_BranchAndBound uses 1 or 2 threads; BM_Enumeration visits every scenario with incremental
// balances (the naive reference, single thread).
#include "cib/search.hpp"

#include <benchmark/benchmark.h>

#include <random>

namespace {

using holon_scenarios::cib::Matrix;

Matrix random_standardised(int descriptors, uint64_t seed) {
    std::vector<int> counts(static_cast<size_t>(descriptors), 3);
    for (int d = 0; d < descriptors - 13; ++d) counts[static_cast<size_t>(d)] = 4;
    Matrix m(counts);
    std::mt19937_64 rng(seed);
    for (int i = 0; i < descriptors; ++i)
        for (int a = 0; a < m.variant_count(i); ++a)
            for (int j = 0; j < descriptors; ++j) {
                if (i == j) continue;
                // Pairs of opposite cells keep the section row sum at 0.
                const int n = m.variant_count(j);
                std::vector<int> row(static_cast<size_t>(n), 0);
                for (int k = 0; k + 1 < n; k += 2) {
                    const int v = std::uniform_int_distribution<int>(-3, 3)(rng);
                    row[static_cast<size_t>(k)] = v;
                    row[static_cast<size_t>(k + 1)] = -v;
                }
                std::shuffle(row.begin(), row.end(), rng);
                for (int b = 0; b < n; ++b) m.set(i, a, j, b, row[static_cast<size_t>(b)]);
            }
    return m;
}

void BM_BranchAndBound(benchmark::State &state) {
    const Matrix m = random_standardised(static_cast<int>(state.range(0)), 2024);
    holon_scenarios::cib::SearchOptions o;
    o.threads = static_cast<unsigned>(state.range(1));
    uint64_t found = 0, nodes = 0;
    for (auto _ : state) {
        const auto r = holon_scenarios::cib::search(m, o);
        found = r.count;
        nodes = r.nodes;
        benchmark::DoNotOptimize(found);
    }
    state.counters["scenarios"] = static_cast<double>(m.scenario_count());
    state.counters["consistent"] = static_cast<double>(found);
    state.counters["nodes"] = static_cast<double>(nodes);
}
BENCHMARK(BM_BranchAndBound)->Args({15, 1})->Args({15, 2})->Args({17, 1})->Args({17, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Enumeration(benchmark::State &state) {
    const Matrix m = random_standardised(static_cast<int>(state.range(0)), 2024);
    uint64_t found = 0;
    for (auto _ : state) {
        found = 0;
        holon_scenarios::cib::enumerate(m, {}, true, [&](const holon_scenarios::cib::Scenario &, int64_t ic, int64_t) { found += ic == 0; });
        benchmark::DoNotOptimize(found);
    }
    state.counters["scenarios"] = static_cast<double>(m.scenario_count());
    state.counters["consistent"] = static_cast<double>(found);
}
BENCHMARK(BM_Enumeration)->Arg(15)->Arg(17)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

} // namespace

BENCHMARK_MAIN();
