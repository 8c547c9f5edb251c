// Per-run time of the SD engine against hand-written C++ implementations of the same models
// (the practical limit), and compile time. Both sides save every variable at every save step.
#include "compile/compiler.hpp"
#include "mdl/reader.hpp"
#include "vm/simulator.hpp"
#include "xmile/reader.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <vector>

using namespace holon_sd;

namespace {

const char *teacup_xmile = R"(<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
  <sim_specs><start>0</start><stop>30</stop><dt>0.125</dt></sim_specs>
  <model><variables>
    <flow name="Heat Loss to Room"><eqn>("Teacup Temperature"-"Room Temperature")/"Characteristic Time"</eqn></flow>
    <aux name="Room Temperature"><eqn>70</eqn></aux>
    <stock name="Teacup Temperature"><outflow>"Heat Loss to Room"</outflow><eqn>180</eqn></stock>
    <aux name="Characteristic Time"><eqn>10</eqn></aux>
  </variables></model></xmile>)";

const char *sir_xmile = R"(<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
  <sim_specs><start>0</start><stop>100</stop><dt reciprocal="true">32</dt></sim_specs>
  <model><variables>
    <stock name="susceptible"><eqn>total_population</eqn><outflow>succumbing</outflow></stock>
    <stock name="infectious"><eqn>5</eqn><inflow>succumbing</inflow><outflow>recovering</outflow></stock>
    <stock name="recovered"><eqn>0</eqn><inflow>recovering</inflow></stock>
    <flow name="succumbing"><eqn>susceptible*infectious/total_population*contact_infectivity</eqn></flow>
    <flow name="recovering"><eqn>infectious/duration</eqn></flow>
    <aux name="total_population"><eqn>1000</eqn></aux>
    <aux name="duration"><eqn>5</eqn></aux>
    <aux name="contact_infectivity"><eqn>0.3</eqn></aux>
  </variables></model></xmile>)";

// Hand-written teacup: 4 values saved per step, Euler, dt 0.125 over 30.
void teacup_by_hand(std::vector<double> &out) {
    out.clear();
    const double dt = 0.125, room = 70, characteristic = 10;
    double teacup = 180;
    const int steps = 240;
    for (int i = 0;; ++i) {
        double loss = (teacup - room) / characteristic;
        out.push_back(characteristic);
        out.push_back(loss);
        out.push_back(room);
        out.push_back(teacup);
        if (i == steps) break;
        teacup -= dt * loss;
    }
}

// Hand-written SIR: 8 values saved per step, Euler, dt 1/32 over 100.
void sir_by_hand(std::vector<double> &out) {
    out.clear();
    const double dt = 1.0 / 32, total = 1000, duration = 5, infectivity = 0.3;
    double s = total, i = 5, r = 0;
    const int steps = 3200;
    for (int k = 0;; ++k) {
        double succumbing = s * i / total * infectivity;
        double recovering = i / duration;
        out.push_back(s);
        out.push_back(i);
        out.push_back(r);
        out.push_back(succumbing);
        out.push_back(recovering);
        out.push_back(total);
        out.push_back(duration);
        out.push_back(infectivity);
        if (k == steps) break;
        s -= dt * succumbing;
        i += dt * (succumbing - recovering);
        r += dt * recovering;
    }
}

void run_engine(benchmark::State &state, const char *xmile) {
    Program program = compile(read_xmile(xmile));
    Simulator sim(program);
    sim.run(); // warm-up: buffers sized once
    for (auto _ : state) {
        const Results &r = sim.run();
        benchmark::DoNotOptimize(r.values.data());
    }
}

void BM_teacup_engine(benchmark::State &state) { run_engine(state, teacup_xmile); }
void BM_sir_engine(benchmark::State &state) { run_engine(state, sir_xmile); }

void BM_teacup_handwritten(benchmark::State &state) {
    std::vector<double> out;
    out.reserve(241 * 4);
    for (auto _ : state) {
        teacup_by_hand(out);
        benchmark::DoNotOptimize(out.data());
    }
}

void BM_sir_handwritten(benchmark::State &state) {
    std::vector<double> out;
    out.reserve(3201 * 8);
    for (auto _ : state) {
        sir_by_hand(out);
        benchmark::DoNotOptimize(out.data());
    }
}

void BM_compile(benchmark::State &state, const char *xmile) {
    Model m = read_xmile(xmile);
    for (auto _ : state) {
        Program p = compile(m);
        benchmark::DoNotOptimize(p.step.data());
    }
}

void BM_compile_teacup(benchmark::State &state) { BM_compile(state, teacup_xmile); }
void BM_compile_sir(benchmark::State &state) { BM_compile(state, sir_xmile); }

// A synthetic model of `n` variables in chains of (aux, flow, stock) with cross-links, so that
// compile time can be checked for linear growth (Complexity oN below).
Model synthetic(int64_t n) {
    Model m;
    m.sim_specs.stop = 10;
    for (int64_t k = 0; k + 3 <= n; k += 3) {
        std::string id = std::to_string(k / 3);
        std::string prev = k == 0 ? "1" : "s" + std::to_string(k / 3 - 1);
        Variable a;
        a.name = "a" + id;
        a.equation = prev + " * 0.5 + SMTH1(" + prev + ", 3) / 10";
        Variable f;
        f.name = "f" + id;
        f.kind = VariableKind::flow;
        f.equation = "a" + id + " - s" + id + " / 4";
        Variable st;
        st.name = "s" + id;
        st.kind = VariableKind::stock;
        st.equation = "1";
        st.inflows = {f.name};
        m.variables.push_back(a);
        m.variables.push_back(f);
        m.variables.push_back(st);
    }
    return m;
}

void BM_compile_synthetic(benchmark::State &state) {
    Model m = synthetic(state.range(0));
    for (auto _ : state) {
        Program p = compile(m);
        benchmark::DoNotOptimize(p.step.data());
    }
    state.SetComplexityN(state.range(0));
}

std::string read_file(const std::filesystem::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The conformance models with the most variables (they are all small; the real large models
// are Vensim files, issue 5): per-run time and compile time of each.
void register_largest_conformance_models() {
    std::filesystem::path suite = HOLON_SD_TEST_MODELS;
    if (!std::filesystem::is_directory(suite)) return;
    std::vector<std::pair<size_t, std::filesystem::path>> sized;
    for (const auto &e : std::filesystem::recursive_directory_iterator(suite)) {
        if (e.path().extension() != ".xmile" && e.path().extension() != ".stmx") continue;
        try {
            Model m = read_xmile(read_file(e.path()));
            Program p = compile(m);
            sized.emplace_back(p.outputs.size(), e.path());
        } catch (const std::exception &) {
        }
    }
    std::sort(sized.begin(), sized.end(), [](const auto &x, const auto &y) { return x.first > y.first; });
    for (size_t i = 0; i < std::min<size_t>(3, sized.size()); ++i) {
        std::string name = sized[i].second.parent_path().filename().string() + "/" + sized[i].second.filename().string();
        std::string text = read_file(sized[i].second);
        benchmark::RegisterBenchmark(("BM_engine/" + name).c_str(), [text](benchmark::State &state) {
            Program program = compile(read_xmile(text));
            Simulator sim(program);
            sim.run();
            for (auto _ : state) benchmark::DoNotOptimize(sim.run().values.data());
        })->Unit(benchmark::kMicrosecond);
        benchmark::RegisterBenchmark(("BM_compile/" + name).c_str(), [text](benchmark::State &state) {
            Model m = read_xmile(text);
            for (auto _ : state) benchmark::DoNotOptimize(compile(m).step.data());
        })->Unit(benchmark::kMicrosecond);
    }
}

// The real Vensim models of ../shared/sd-bench (issue 5): World3-03 (1900-2100, dt 0.5) and
// C-LEARN v77 (1850-2100, dt 0.25), unmodified. Per run with every variable saved, and the import
// plus compile of the .mdl text.
void register_vensim_models() {
    std::filesystem::path dir = HOLON_SD_BENCH_MODELS;
    for (const char *file : {"wrld3-03.mdl", "C-LEARN-v77.mdl"}) {
        std::filesystem::path path = dir / file;
        if (!std::filesystem::exists(path)) continue;
        std::string text = read_file(path);
        MdlOptions options{dir.string(), file};
        benchmark::RegisterBenchmark((std::string("BM_engine/") + file).c_str(), [text, options](benchmark::State &state) {
            Program program = compile(read_mdl(text, options));
            Simulator sim(program);
            sim.run();
            for (auto _ : state) benchmark::DoNotOptimize(sim.run().values.data());
        })->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark((std::string("BM_import_compile/") + file).c_str(), [text, options](benchmark::State &state) {
            for (auto _ : state) benchmark::DoNotOptimize(compile(read_mdl(text, options)).step.data());
        })->Unit(benchmark::kMillisecond);
    }
}

} // namespace

BENCHMARK(BM_teacup_engine)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_teacup_handwritten)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_sir_engine)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_sir_handwritten)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_compile_teacup)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_compile_sir)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_compile_synthetic)->RangeMultiplier(10)->Range(300, 30000)->Unit(benchmark::kMillisecond)->Complexity(benchmark::oN);

int main(int argc, char **argv) {
    register_largest_conformance_models();
    register_vensim_models();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
