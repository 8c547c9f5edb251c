// The vsm.diagnose core on a generated organisation, timed per stage (not a test): parsing the
// JSON, reading the organisation, the diagnosis, the result document. Prints one JSON line with
// the median of --repeat runs in milliseconds.
#include "diagnose/result_json.hpp"
#include "diagnose/rules.hpp"
#include "org/organisation.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

int main(int argc, char **argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: vsm_bench MODEL.json [repeat]\n");
        return 2;
    }
    const int repeat = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
    std::ifstream in(argv[1]);
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    using clock = std::chrono::steady_clock;
    auto ms = [](clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
    std::vector<double> parse, read, rules, result, total;
    std::size_t findings = 0, units = 0, channels = 0, bytes = 0;
    for (int r = 0; r < repeat; ++r) {
        const auto t0 = clock::now();
        const nlohmann::json model = nlohmann::json::parse(s);
        const auto t1 = clock::now();
        const holon_vsm::Organisation org = holon_vsm::read_organisation(model);
        const auto t2 = clock::now();
        const holon_vsm::Diagnosis d = holon_vsm::diagnose(org, {});
        const auto t3 = clock::now();
        const std::string out = holon_vsm::diagnosis_json(org, d, {}).dump();
        const auto t4 = clock::now();
        parse.push_back(ms(t1 - t0));
        read.push_back(ms(t2 - t1));
        rules.push_back(ms(t3 - t2));
        result.push_back(ms(t4 - t3));
        total.push_back(ms(t4 - t0));
        findings = d.findings.size();
        units = org.units.size();
        channels = org.channels.size();
        bytes = out.size();
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    std::printf("{\"units\":%zu,\"channels\":%zu,\"findings\":%zu,\"result_bytes\":%zu,\"repeat\":%d,"
                "\"parse_ms\":%.1f,\"organisation_ms\":%.1f,\"diagnose_ms\":%.1f,\"result_ms\":%.1f,\"total_ms\":%.1f}\n",
                units, channels, findings, bytes, repeat, median(parse), median(read), median(rules), median(result),
                median(total));
    return 0;
}
