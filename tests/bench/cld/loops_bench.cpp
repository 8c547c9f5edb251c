// Loop enumeration speed: every elementary circuit of K8 (16,064, the "instantly" bar in
// quality.md) and streaming throughput on K12 (loops/second, nothing stored).
#include "loops/loop_finder.hpp"
#include "test_graphs.hpp"

#include <benchmark/benchmark.h>

namespace {

void all_loops_of_k8(benchmark::State &state) {
    const holon_cld::CausalGraph g = holon_cld::testing::complete_digraph(8);
    std::uint64_t loops = 0;
    for (auto _ : state) {
        const holon_cld::LoopInventory inventory = holon_cld::find_loops(g, {});
        loops += inventory.summary.count;
        benchmark::DoNotOptimize(inventory.loops.data());
    }
    state.counters["loops/s"] = benchmark::Counter(static_cast<double>(loops), benchmark::Counter::kIsRate);
}
BENCHMARK(all_loops_of_k8)->Unit(benchmark::kMillisecond);

void streamed_loops_of_k12(benchmark::State &state) {
    const holon_cld::CausalGraph g = holon_cld::testing::complete_digraph(12);
    holon_cld::LoopSearchOptions options;
    options.max_loops = static_cast<std::uint64_t>(state.range(0));
    std::uint64_t loops = 0;
    for (auto _ : state) {
        std::size_t length = 0;
        const holon_cld::LoopSearchSummary summary =
            holon_cld::enumerate_loops(g, options, [&](const holon_cld::Loop &loop) { length += loop.links.size(); });
        loops += summary.count;
        benchmark::DoNotOptimize(length);
    }
    state.counters["loops/s"] = benchmark::Counter(static_cast<double>(loops), benchmark::Counter::kIsRate);
}
BENCHMARK(streamed_loops_of_k12)->Arg(1000)->Arg(1000000)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
