// The SD conformance runner. Simulates XMILE and Vensim models of the conformance suite and compares them
// with their canonical output by the suite's rule.
//   sd_conformance [--known-failures FILE] MODEL          one model; exit 0 when it passes
//   sd_conformance [--known-failures FILE] --summary DIR  every .xmile/.stmx/.mdl below DIR; prints
//                                                         "N passed, M failed (K known-bad model files)"
//   sd_conformance --missing DIR                          the suite is absent: fails under CI, else 77
// A known-bad model file (listed as "folder/file reason") counts as expected only while it still
// fails with exactly that reason: a fix that makes it pass, or a change that makes it fail
// differently, fails its test so that the list is kept true.
#include "reference.hpp"

#include "compile/compiler.hpp"
#include "ir/error.hpp"
#include "mdl/reader.hpp"
#include "vm/simulator.hpp"
#include "xmile/reader.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

namespace fs = std::filesystem;
using namespace holon;
namespace sd = holon_sd;

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
        sd::Model model;
        if (model_path.extension() == ".mdl") {
            sd::MdlOptions options;
            options.source_dir = dir.string();
            options.source_name = model_path.filename().string();
            // A .vdf that Vensim read, converted for open-source tools (as PySD's data_files).
            if (fs::exists(dir / "data.tab")) options.data_files.push_back("data.tab");
            model = sd::read_mdl(read_file(model_path), options);
        } else {
            model = sd::read_xmile(read_file(model_path));
        }
        sd::Program program = sd::compile(model);
        sd::Simulator sim(program);
        sd::RunSettings settings;
        // Every step, so that every reference time has a match; a model whose TIME STEP changes
        // during the run keeps its own SAVEPER (its steps are not multiples of the first one).
        if (program.control_dt.slot == sd::no_control) settings.save_step = program.sim_specs.dt;
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

// "folder/file" -> the failure message expected of it. Blank lines and '#' comments are skipped.
std::map<std::string, std::string> read_known_failures(const fs::path &path) {
    std::map<std::string, std::string> out;
    std::istringstream lines(read_file(path));
    std::string line;
    int number = 0;
    while (std::getline(lines, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        size_t space = line.find(' ');
        if (space == std::string::npos || space + 1 >= line.size())
            throw std::runtime_error(path.string() + ":" + std::to_string(number) + ": expected 'folder/file reason'");
        out[line.substr(0, space)] = line.substr(space + 1);
    }
    return out;
}

std::string key_of(const fs::path &model) {
    return model.parent_path().filename().string() + "/" + model.filename().string();
}

enum class Verdict { passed, known_bad, failed };

struct Judged {
    Verdict verdict;
    std::string text; // the line to print
};

Judged judge(const fs::path &model, const std::string &shown, const std::map<std::string, std::string> &known) {
    Outcome o = run_model(model);
    auto it = known.find(key_of(model));
    if (it == known.end())
        return {o.passed ? Verdict::passed : Verdict::failed, (o.passed ? "PASS " : "FAIL ") + shown + ": " + o.message};
    if (o.passed)
        return {Verdict::failed, "FAIL " + shown + ": listed as a known-bad model file but now passes; remove it from "
                                                   "known_failures.txt"};
    if (o.message != it->second)
        return {Verdict::failed, "FAIL " + shown + ": listed as known-bad with reason '" + it->second +
                                     "' but fails with '" + o.message + "'"};
    return {Verdict::known_bad, "KNOWN-BAD " + shown + ": " + o.message};
}

} // namespace

int main(int argc, char **argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        if (args.size() == 2 && args[0] == "--missing") {
            std::cout << "the SD conformance suite is missing: " << args[1] << "\n";
            return std::getenv("CI") ? 1 : 77;
        }
        std::map<std::string, std::string> known;
        if (args.size() >= 2 && args[0] == "--known-failures") {
            known = read_known_failures(args[1]);
            args.erase(args.begin(), args.begin() + 2);
        }
        if (args.size() == 2 && args[0] == "--summary") {
            fs::path suite = args[1];
            if (!fs::is_directory(suite)) {
                std::cout << "the SD conformance suite is missing: " << suite << "\n";
                return std::getenv("CI") ? 1 : 77;
            }
            std::vector<fs::path> models;
            for (const auto &e : fs::recursive_directory_iterator(suite))
                if (e.is_regular_file() && (e.path().extension() == ".xmile" || e.path().extension() == ".stmx" ||
                                            e.path().extension() == ".mdl"))
                    models.push_back(e.path());
            std::sort(models.begin(), models.end());
            int passed = 0, failed = 0, known_bad = 0;
            std::map<std::string, std::array<int, 3>> per_format; // passed, failed, known-bad
            for (const fs::path &m : models) {
                Judged j = judge(m, fs::relative(m, suite).string(), known);
                (j.verdict == Verdict::passed ? passed : j.verdict == Verdict::known_bad ? known_bad : failed)++;
                std::string format = m.extension() == ".mdl" ? "mdl" : "xmile";
                per_format[format][j.verdict == Verdict::passed ? 0 : j.verdict == Verdict::failed ? 1 : 2]++;
                std::cout << j.text << "\n";
            }
            for (const auto &[format, c] : per_format)
                std::cout << format << ": " << c[0] << " passed, " << c[1] << " failed (" << c[2] << " known-bad model files)\n";
            std::cout << passed << " passed, " << failed << " failed (" << known_bad << " known-bad model files)\n";
            return models.empty() || failed > 0 ? 1 : 0;
        }
        if (args.size() != 1) {
            std::cerr << "usage: sd_conformance [--known-failures FILE] MODEL | [--known-failures FILE] --summary "
                         "SUITE_DIR | --missing SUITE_DIR\n";
            return 2;
        }
        Judged j = judge(args[0], args[0], known);
        std::cout << j.text << "\n";
        return j.verdict == Verdict::failed ? 1 : 0;
    } catch (const std::exception &e) {
        std::cerr << "sd_conformance: " << e.what() << "\n";
        return 2;
    }
}
