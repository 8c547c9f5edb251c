// Model validation time against model size (issue 14, finding 8: it was quadratic). Builds
// holon-model/1 texts with N variables and N-1 links, valid and with an error on every variable,
// and times parse + validate (what POST .../models does). Not a test: run by
// tests/bench/rest/validate_scaling.sh, or directly: model_validate_bench 10000 100000 1000000
#include "model/model.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

std::string model_text(long n, bool valid) {
    std::string out = R"({"format":"holon-model/1","id":"big","name":"big","variables":[)";
    for (long i = 0; i < n; ++i) {
        const auto id = std::to_string(i);
        if (i) out += ',';
        out += valid ? R"({"id":"v)" + id + R"(","name":"V )" + id + R"(","kind":"aux"})"
                     : R"({"id":"v)" + id + R"(","name":"V )" + id + R"(","kind":"nonsense","inflows":["missing)" +
                           id + R"("]})";
    }
    out += R"(],"links":[)";
    for (long i = 1; i < n; ++i) {
        if (i > 1) out += ',';
        out += R"({"id":"l)" + std::to_string(i) + R"(","from":"v)" + std::to_string(i - 1) + R"(","to":"v)" +
               std::to_string(i) + R"(","polarity":"+"})";
    }
    return out + "]}";
}

}  // namespace

int main(int argc, char** argv) {
    std::printf("%-10s %-8s %10s %12s %14s %10s\n", "variables", "model", "MB", "seconds", "us/variable", "issues");
    for (int a = 1; a < argc; ++a) {
        const long n = std::strtol(argv[a], nullptr, 10);
        for (const bool valid : {true, false}) {
            const std::string text = model_text(n, valid);
            holon::model::ParseLimits limits;
            limits.max_bytes = std::size_t{1} << 32;
            const auto start = std::chrono::steady_clock::now();
            const auto doc = holon::model::parse(text, "bench", limits);
            const auto issues = holon::model::validate(doc);
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            std::printf("%-10ld %-8s %10.1f %12.2f %14.2f %10zu\n", n, valid ? "valid" : "invalid",
                        static_cast<double>(text.size()) / 1e6, s, s * 1e6 / static_cast<double>(n), issues.size());
        }
    }
    return 0;
}
