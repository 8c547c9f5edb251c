// ssm_bench FILE [REPEATS]: parses FILE, reads the inquiry and runs every ssm.check check on it,
// REPEATS times (default 5); prints the best times in milliseconds and the finding count.
#include "checks/checks.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

int main(int argc, char **argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: ssm_bench FILE [REPEATS]\n");
        return 2;
    }
    std::ifstream in(argv[1]);
    std::stringstream text;
    text << in.rdbuf();
    const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
    using clock = std::chrono::steady_clock;
    double best_parse = 1e300, best_check = 1e300;
    std::size_t findings = 0, models = 0;
    for (int r = 0; r < repeats; ++r) {
        const auto t0 = clock::now();
        const nlohmann::json doc = nlohmann::json::parse(text.str());
        const auto t1 = clock::now();
        const holon_ssm::model::Inquiry inquiry = holon_ssm::model::read_inquiry(doc);
        const holon_ssm::checks::Report report = holon_ssm::checks::check(inquiry, holon_ssm::checks::Options{});
        const auto t2 = clock::now();
        best_parse = std::min(best_parse, std::chrono::duration<double, std::milli>(t1 - t0).count());
        best_check = std::min(best_check, std::chrono::duration<double, std::milli>(t2 - t1).count());
        findings = report.findings.size();
        models = inquiry.models.size();
    }
    std::printf("{\"models\": %zu, \"findings\": %zu, \"parse_ms\": %.1f, \"read_and_check_ms\": %.1f}\n", models, findings,
                best_parse, best_check);
    return 0;
}
