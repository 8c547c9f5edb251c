// The SD conformance runner. Simulates XMILE models of the conformance suite and compares them
// with their canonical output by the suite's rule.
//   sd_conformance MODEL.xmile          one model; exit 0 when it passes
//   sd_conformance --summary SUITE_DIR  every .xmile/.stmx below SUITE_DIR; prints "N passed, M failed"
//   sd_conformance --missing SUITE_DIR  the suite is absent: fails under CI, else exits 77 (skip)
#include "reference.hpp"

#include "compile/compiler.hpp"
#include "engine/simulator.hpp"
#include "ir/error.hpp"
#include "xmile/reader.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace fs = std::filesystem;
using namespace holon;

namespace {

struct Outcome {
    bool passed = false;
    std::string message;
};

std::string read_file(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + p.string());
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Outcome run_model(const fs::path &model_path) {
    try {
        fs::path dir = model_path.parent_path();
        fs::path ref = fs::exists(dir / "output.csv") ? dir / "output.csv" : dir / "output.tab";
        if (!fs::exists(ref)) return {false, "no output.csv or output.tab next to the model"};
        conformance::Series reference = conformance::read_reference(ref.string());
        sd::Model model = sd::read_xmile(read_file(model_path));
        sd::Program program = sd::compile(model);
        sd::Simulator sim(program);
        sd::RunSettings settings;
        settings.save_step = program.sim_specs.dt; // every step, so every reference time has a match
        const sd::Results &r = sim.run(settings);
        conformance::Series simulated;
        simulated.names = r.names;
        simulated.times = r.times;
        simulated.columns.assign(r.names.size(), std::vector<double>(r.times.size()));
        for (size_t row = 0; row < r.times.size(); ++row)
            for (size_t c = 0; c < r.names.size(); ++c) simulated.columns[c][row] = r.value(row, c);
        conformance::Comparison cmp = conformance::compare(reference, simulated);
        std::string msg;
        for (const std::string &p : cmp.problems) {
            if (!msg.empty()) msg += "; ";
            msg += p;
        }
        if (cmp.passed) msg = std::to_string(cmp.columns_compared) + " columns match";
        return {cmp.passed, msg};
    } catch (const std::exception &e) {
        return {false, e.what()};
    }
}

} // namespace

int main(int argc, char **argv) {
    if (argc == 3 && std::string(argv[1]) == "--missing") {
        std::cout << "the SD conformance suite is missing: " << argv[2] << "\n";
        if (std::getenv("CI")) return 1;
        return 77;
    }
    if (argc == 3 && std::string(argv[1]) == "--summary") {
        fs::path suite = argv[2];
        if (!fs::is_directory(suite)) {
            std::cout << "the SD conformance suite is missing: " << suite << "\n";
            return std::getenv("CI") ? 1 : 77;
        }
        std::vector<fs::path> models;
        for (const auto &e : fs::recursive_directory_iterator(suite))
            if (e.is_regular_file() && (e.path().extension() == ".xmile" || e.path().extension() == ".stmx"))
                models.push_back(e.path());
        std::sort(models.begin(), models.end());
        int passed = 0, failed = 0;
        for (const fs::path &m : models) {
            Outcome o = run_model(m);
            (o.passed ? passed : failed)++;
            std::cout << (o.passed ? "PASS " : "FAIL ") << fs::relative(m, suite).string() << ": " << o.message << "\n";
        }
        std::cout << passed << " passed, " << failed << " failed\n";
        return models.empty() || failed > 0 ? 1 : 0;
    }
    if (argc != 2) {
        std::cerr << "usage: sd_conformance MODEL | --summary SUITE_DIR | --missing SUITE_DIR\n";
        return 2;
    }
    Outcome o = run_model(argv[1]);
    std::cout << (o.passed ? "PASS " : "FAIL ") << argv[1] << ": " << o.message << "\n";
    return o.passed ? 0 : 1;
}
