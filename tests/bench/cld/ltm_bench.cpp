// Loops That Matter on Bass diffusion (240 steps, 2 loops) without the host: link scores from the
// augmented SD model, loops, loop scores, relative scores and dominance, as cld.ltm computes them.
#include "graph/causal_graph.hpp"
#include "ir/names.hpp"
#include "loops/loop_finder.hpp"
#include "ltm/link_scores.hpp"
#include "ltm/loop_scores.hpp"
#include "xmile/reader.hpp"

#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

namespace {

holon_sd::Model bass_model() {
    std::ifstream in(LTM_BASS_XMILE);
    std::stringstream text;
    text << in.rdbuf();
    return holon_sd::read_xmile(text.str());
}

void ltm_of_bass(benchmark::State &state) {
    const holon_sd::Model model = bass_model();
    for (auto _ : state) {
        const holon_sd::ltm::LinkScores scores = holon_sd::ltm::link_scores(model, {});
        holon_cld::CausalGraph graph;
        std::vector<std::vector<double>> series;
        for (const holon_sd::ltm::ScoredLink &link : scores.links) {
            for (const std::string *name : {&link.from, &link.to})
                if (!graph.find_variable(holon_sd::canonical_name(*name)))
                    graph.add_variable(holon_cld::Variable{holon_sd::canonical_name(*name), *name, ""});
            graph.add_link(link.from + "->" + link.to, holon_sd::canonical_name(link.from),
                           holon_sd::canonical_name(link.to),
                           link.polarity == '+' ? holon_cld::Polarity::positive : holon_cld::Polarity::negative);
            series.push_back(link.scores);
        }
        const holon_cld::LoopInventory inventory = holon_cld::find_loops(graph, {});
        const holon_cld::LoopScores loops = holon_cld::loop_scores(graph, inventory.loops, inventory.summary.partitions, series);
        const auto periods = holon_cld::dominance(loops, inventory.summary.partitions.size());
        benchmark::DoNotOptimize(periods.data());
    }
}
BENCHMARK(ltm_of_bass)->Unit(benchmark::kMillisecond);

} // namespace
