// csh.critique at scale: a generated model with 50 perspectives answering all 24 cells, the
// 1,200 answers binding 10,000 distinct entities (2,500 actors, 5,000 variables, 2,000 links,
// 500 indicators), every entity bound at least once, each perspective's ought one entity off its
// is, and neighbouring perspectives sharing part of each cell so that divergence is neither 0
// nor 1.
//   csh_bench [--write MODEL.json] [--repeat N]
// prints the median in-process time of read_model + critique + report (Markdown, HTML, SVG).
#include "critique/critique.hpp"
#include "report/report.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace {

using nlohmann::json;

constexpr int perspectives = 50, actors = 2500, variables = 5000, links = 2000, indicators = 500;

std::string id(const char *prefix, int i) { return prefix + std::to_string(i); }

json generate() {
    json doc = {{"format", "holon-model/1"}, {"id", "csh-bench"}, {"name", "CSH benchmark"}};
    const char *kinds[] = {"aux", "stock", "flow", "lever", "exogenous", "outcome"};
    for (int i = 0; i < variables; ++i)
        doc["variables"].push_back({{"id", id("v", i)}, {"name", "Variable " + std::to_string(i)}, {"kind", kinds[i % 6]}});
    for (int i = 0; i < actors; ++i) {
        json a = {{"id", id("a", i)}, {"name", "Actor " + std::to_string(i)}};
        if (i % 50 == 0) a["affected_by"] = {id("v", (i * 7) % variables)}; // 50 actors the model says are affected
        doc["actors"].push_back(a);
    }
    for (int i = 0; i < links; ++i)
        doc["links"].push_back({{"id", id("l", i)},
                                {"from", id("v", i % variables)},
                                {"to", id("v", (i * 13 + 1) % variables)},
                                {"polarity", i % 2 ? "+" : "-"},
                                {"provenance", {{"asserted_by", id("a", i % 40)}, {"confidence", 0.5 + (i % 5) / 10.0}}}});
    for (int i = 0; i < indicators; ++i)
        doc["indicators"].push_back({{"id", id("i", i)}, {"name", "Indicator " + std::to_string(i)}, {"variables", {id("v", i)}}});
    // What each category binds, as a workshop would: beneficiaries, decision-makers and witnesses
    // (1, 4, 10) from all actors; experts and expertise (7, 8) from the 40 actors who asserted
    // the links; purposes and worldview material (2, 11, 12) from the stocks, flows, auxiliaries
    // and outcomes; measures (3) from the indicators; resources (5) from the levers; the decision
    // environment (6) from the exogenous variables; guarantors (9) from the links. Each answer
    // takes `count` consecutive entities of its pool and the cursor moves on by `step` < count,
    // so neighbouring perspectives share part of a cell and every entity is bound.
    struct Pool {
        const char *key;
        std::vector<std::string> ids;
        int count;             // entities per answer
        std::size_t step;      // cursor move per cell: covers the pool over the 50 perspectives
        std::size_t next = 0;
    };
    Pool people{"actors", {}, 25, 17}, experts{"actors", {}, 4, 3}, concepts{"variables", {}, 31, 23},
        levers{"variables", {}, 25, 17}, environment{"variables", {}, 25, 17}, measures{"indicators", {}, 15, 10},
        guarantors{"links", {}, 60, 40};
    for (int i = 0; i < actors; ++i) people.ids.push_back(id("a", i));
    for (int i = 0; i < 40; ++i) experts.ids.push_back(id("a", i));
    for (int i = 0; i < variables; ++i) {
        const std::string kind = kinds[i % 6];
        (kind == "lever" ? levers : kind == "exogenous" ? environment : concepts).ids.push_back(id("v", i));
    }
    for (int i = 0; i < indicators; ++i) measures.ids.push_back(id("i", i));
    for (int i = 0; i < links; ++i) guarantors.ids.push_back(id("l", i));
    auto pool_of = [&](int c) -> Pool & {
        switch (c) {
        case 1: case 4: case 10: return people;
        case 7: case 8: return experts;
        case 3: return measures;
        case 5: return levers;
        case 6: return environment;
        case 9: return guarantors;
        default: return concepts;
        }
    };
    int r = 0;
    for (int p = 0; p < perspectives; ++p)
        for (int c = 1; c <= 12; ++c)
            for (const char *mode : {"is", "ought"}) {
                Pool &pool = pool_of(c);
                json refs = json::object();
                const std::size_t shift = std::string(mode) == "ought" ? 1 : 0; // ought differs by one entity
                for (int k = 0; k < pool.count; ++k)
                    refs[pool.key].push_back(pool.ids[(pool.next + static_cast<std::size_t>(k) + shift) % pool.ids.size()]);
                doc["boundary"].push_back({{"id", "b" + std::to_string(r++)},
                                           {"category", c},
                                           {"mode", mode},
                                           {"perspective", {{"actor", id("a", p)}}},
                                           {"answer", "Answer of perspective " + std::to_string(p)},
                                           {"refs", refs}});
                if (std::string(mode) == "ought") pool.next += pool.step;
            }
    return doc;
}

std::size_t distinct_bound(const json &doc) {
    std::vector<std::string> all;
    for (const json &b : doc["boundary"])
        for (const auto &[key, list] : b["refs"].items())
            for (const json &e : list) all.push_back(key + ":" + e.get<std::string>());
    std::sort(all.begin(), all.end());
    return static_cast<std::size_t>(std::unique(all.begin(), all.end()) - all.begin());
}

} // namespace

int main(int argc, char **argv) {
    std::string write;
    int repeat = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::string(argv[i]) == "--write") write = argv[i + 1];
        if (std::string(argv[i]) == "--repeat") repeat = std::stoi(argv[i + 1]);
    }
    const json doc = generate();
    if (!write.empty()) std::ofstream(write) << doc.dump();
    std::vector<double> ms, cpu_ms;
    std::size_t findings = 0;
    for (int i = 0; i < repeat; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        const std::clock_t c0 = std::clock();
        const holon_csh::Model m = holon_csh::read_model(doc);
        const json result = holon_csh::critique(m);
        const std::string svg = holon_csh::divergence_heatmap_svg(result);
        const holon_csh::Report report = holon_csh::render_report("bench", result, svg);
        const auto t1 = std::chrono::steady_clock::now();
        ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        cpu_ms.push_back(1000.0 * static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC);
        findings = result["findings"].size();
    }
    std::sort(ms.begin(), ms.end());
    std::sort(cpu_ms.begin(), cpu_ms.end());
    std::printf("perspectives %d, records %zu, distinct entities bound %zu, findings %zu\n", perspectives,
                doc["boundary"].size(), distinct_bound(doc), findings);
    std::printf("read + critique + report (in process): median %.1f ms wall, %.1f ms CPU over %d runs\n", ms[ms.size() / 2],
                cpu_ms[cpu_ms.size() / 2], repeat);
    return 0;
}
