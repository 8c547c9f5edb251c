#include "methods/simulate.hpp"

#include "compile/compiler.hpp"
#include "ir/names.hpp"
#include "methods/located_error.hpp"
#include "methods/model_source.hpp"
#include "sd_schemas.hpp"
#include "vm/simulator.hpp"

#include <holon/inputs.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <utility>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace holon_sd {

namespace {

std::string number_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::string json_pointer_token(const std::string &key) {
    std::string out;
    for (char c : key) out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    return out;
}

void apply_override(Model &m, const std::string &name, double value) {
    std::string c = canonical_name(name);
    for (Variable &v : m.variables) {
        if (canonical_name(v.name) != c) continue;
        if (v.kind == VariableKind::flow && v.gf)
            throw holon::Error(HOLON_ERR_INVALID_PARAMS, "'" + name + "' is computed through a graphical function");
        v.equation = number_text(value);
        v.elements.clear();
        if (v.kind == VariableKind::aux) v.gf.reset();
        return;
    }
    nlohmann::json details{{"path", "/overrides/" + json_pointer_token(name)}, {"unknown", name}};
    for (const Variable &v : m.variables) details["candidates"].push_back(v.name);
    throw holon::Error(HOLON_ERR_INVALID_PARAMS, "override of unknown variable '" + name + "'", details.dump());
}

// A model that cannot run is named the way the user wrote it, at its JSON path (sd.check's rule).
Program compile_located(const Model &model, const holon::Context &ctx) {
    try {
        return compile(model);
    } catch (const ModelError &e) {
        const CompileProblem p = describe(e, model);
        throw to_holon_error(p, {}, locate_in_model_json(ctx.model_json(), p));
    }
}

double ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// What the params ask for that this model cannot do, refused before the run as invalid params (the
// user's choice, exit 2) rather than as a failed run.
void check_settings(const nlohmann::json &params, const RunSettings &settings, const Program &program) {
    const double start = settings.start.value_or(program.sim_specs.start);
    const double stop = settings.stop.value_or(program.sim_specs.stop);
    if (!(stop >= start) && (params.contains("start") || params.contains("stop"))) {
        const char *path = params.contains("stop") ? "/stop" : "/start";
        throw holon::Error(HOLON_ERR_INVALID_PARAMS,
                           "stop time " + number_text(stop) + " is before start time " + number_text(start),
                           nlohmann::json{{"path", path}}.dump());
    }
    if (settings.method.value_or(program.sim_specs.method) == IntegrationMethod::cvode && !program.fixed_step_only.empty()) {
        std::string why;
        for (const std::string &r : program.fixed_step_only) why += (why.empty() ? "" : "; ") + r;
        const std::string message = "method cvode would only approximate this model: " + why +
                                    ". Use euler, rk2 or rk4 (see the builtin support table in docs/methods/sd.md)";
        if (!params.contains("method")) throw holon::Error(HOLON_ERR_INVALID_MODEL, message); // the model's own setting
        throw holon::Error(HOLON_ERR_INVALID_PARAMS, message, nlohmann::json{{"path", "/method"}}.dump());
    }
}

// A model that compiled but whose run fails (CVODE gives up, too many steps, an index out of range
// at run time) is a failed run, not an invalid model: the method ran and failed.
const Results &run_or_fail(Simulator &sim, const RunSettings &settings) {
    try {
        return sim.run(settings);
    } catch (const ModelError &e) {
        nlohmann::json details = nlohmann::json::object();
        if (!e.variable().empty()) details["variable"] = e.variable();
        throw holon::Error(HOLON_ERR_FAILED, e.what(), details.empty() ? std::string() : details.dump());
    }
}

// One warm-up run, then `runs` timed runs of the same compiled program in this process.
nlohmann::json bench(holon::Context &ctx, Simulator &sim, const RunSettings &settings, int runs, double compile_ms) {
    const Results &warm = run_or_fail(sim, settings);
    double total = 0, best = INFINITY;
    for (int i = 0; i < runs; ++i) {
        if (i % 64 == 0) ctx.check_cancelled();
        auto t0 = std::chrono::steady_clock::now();
        sim.run(settings);
        double ms = ms_since(t0);
        total += ms;
        best = std::min(best, ms);
    }
    return nlohmann::json{{"compile_ms", compile_ms},
                          {"run_ms_mean", total / runs},
                          {"run_ms_min", best},
                          {"runs", runs},
                          {"steps", warm.steps},
                          {"variables", warm.names.size()}};
}

// The display name and units of an output column: its variable's name as the modeller wrote it
// and the variable's units; an array element "name[e1,e2]" gets its variable's. Columns of no
// model variable get neither.
class ColumnNames {
public:
    explicit ColumnNames(const Model &m) : xmile_(m.source_format == "xmile" || m.source_format == "stmx") {
        for (const Variable &v : m.variables) by_name_.emplace(canonical_name(v.name), &v);
    }
    std::pair<std::string, std::string> of(const std::string &column) const {
        const size_t bracket = column.find('[');
        const auto it = by_name_.find(canonical_name(column.substr(0, bracket)));
        if (it == by_name_.end()) return {};
        std::string label = xmile_ ? stella_label(it->second->name) : it->second->name;
        if (bracket != std::string::npos) label += column.substr(bracket);
        return {label, it->second->units};
    }

private:
    bool xmile_;
    std::unordered_map<std::string, const Variable *> by_name_;
};

} // namespace

std::string stella_label(const std::string &name) {
    std::string label;
    for (size_t i = 0; i < name.size(); ++i) {
        if (name[i] == '\\' && i + 1 < name.size() && name[i + 1] == 'n') {
            label += ' ';
            ++i;
        } else if (name[i] == '\n' || name[i] == '\r') {
            label += ' ';
        } else {
            label += name[i];
        }
    }
    const size_t dot = label.rfind('.');
    if (dot == std::string::npos) return label;
    const std::string own = label.substr(dot + 1);
    if (own.empty() || own.front() == '"') return label;
    for (unsigned char c : own)
        if (c < 0x80 && !std::isalnum(c) && c != ' ' && c != '_') return label.substr(0, dot + 1) + '"' + own + '"';
    return label;
}

holon::MethodInfo SimulateMethod::info() {
    holon::MethodInfo i{"sd.simulate", "Simulate",
                        "Simulates the stock-and-flow model with fixed-step Euler, RK2 or RK4, or adaptive CVODE (BDF or "
                        "Adams; refused for models with per-dt builtins), and returns the table "
                        "'series' (a time column and one column per variable, array elements as name[e1,e2]; each "
                        "column named as the model names it, with the variable's display name and units). "
                        "Constants and initial values can be overridden by name; start, stop, dt and save_step "
                        "default to the model's settings.",
                        schemas::simulate_params.data(), schemas::simulate_result.data()};
    i.flags = HOLON_METHOD_FLAG_CONCURRENT;
    return i;
}

void SimulateMethod::run(holon::Context &ctx) {
    Model model = model_from_context(ctx);
    const nlohmann::json params = holon::read_params(ctx);
    try {
        if (params.contains("overrides"))
            for (const auto &[name, value] : params["overrides"].items()) {
                if (!value.is_number()) throw holon::Error(HOLON_ERR_INVALID_PARAMS, "override of '" + name + "' is not a number");
                apply_override(model, name, value.get<double>());
            }
        auto t0 = std::chrono::steady_clock::now();
        Program program = compile_located(model, ctx);
        double compile_ms = ms_since(t0);

        RunSettings settings;
        if (params.contains("start")) settings.start = params["start"].get<double>();
        if (params.contains("stop")) settings.stop = params["stop"].get<double>();
        if (params.contains("dt")) settings.dt = params["dt"].get<double>();
        if (params.contains("save_step")) settings.save_step = params["save_step"].get<double>();
        if (params.contains("method")) {
            auto method = integration_method_from_string(params["method"].get<std::string>());
            if (!method) throw holon::Error(HOLON_ERR_INVALID_PARAMS, "unknown method; use euler, rk2, rk4 or cvode");
            settings.method = *method;
        }
        if (params.contains("cvode_method")) settings.cvode.adams = params["cvode_method"].get<std::string>() == "adams";
        if (params.contains("rtol")) settings.cvode.rtol = params["rtol"].get<double>();
        if (params.contains("atol")) settings.cvode.atol = params["atol"].get<double>();
        if (params.contains("max_steps")) settings.cvode.max_steps = params["max_steps"].get<long>();
        if (params.contains("seed")) settings.seed = params["seed"].get<uint64_t>();
        if (params.contains("variables")) {
            for (size_t k = 0; k < params["variables"].size(); ++k) {
                const auto &want = params["variables"][k];
                std::string c = canonical_name(want.get<std::string>());
                bool found = false;
                for (size_t i = 0; i < program.outputs.size(); ++i) {
                    std::string n = canonical_name(program.outputs[i].name);
                    if (n == c || (n.size() > c.size() && n.compare(0, c.size(), c) == 0 && n[c.size()] == '[')) {
                        settings.outputs.push_back(i);
                        found = true;
                    }
                }
                if (!found) {
                    // The names a user can ask for: whole variables (array elements come with them).
                    nlohmann::json details{{"path", "/variables/" + std::to_string(k)}, {"unknown", want}};
                    for (const Variable &v : model.variables) details["candidates"].push_back(v.name);
                    throw holon::Error(HOLON_ERR_INVALID_PARAMS, "unknown variable '" + want.get<std::string>() + "'",
                                       details.dump());
                }
            }
        }
        check_settings(params, settings, program);
        ctx.check_cancelled();
        Simulator sim(program);
        if (params.contains("bench")) {
            ctx.put_json(nlohmann::json{{"bench", bench(ctx, sim, settings, params["bench"].get<int>(), compile_ms)}}.dump());
            return;
        }
        t0 = std::chrono::steady_clock::now();
        const Results &r = run_or_fail(sim, settings);
        double run_ms = ms_since(t0);

        holon::Table table;
        table.name = "series";
        // Column ids stay the names as written (what overrides, `variables` and batches use); each
        // column also carries the variable's display name and units (SDK 1.1).
        table.add_column("time", r.times, "", model.sim_specs.time_units);
        const ColumnNames names(model);
        for (size_t c = 0; c < r.names.size(); ++c) {
            std::vector<double> col(r.times.size());
            for (size_t row = 0; row < r.times.size(); ++row) col[row] = r.value(row, c);
            const auto [label, units] = names.of(r.names[c]);
            table.add_column(r.names[c], std::move(col), label, units);
        }
        ctx.put_table(table);
        for (const std::string &w : r.warnings) ctx.warn(w);
        double dt = settings.dt.value_or(program.sim_specs.dt);
        ctx.put_json(nlohmann::json{{"steps", r.steps},
                                    {"rows", r.times.size()},
                                    {"columns", r.names},
                                    {"method", to_string(settings.method.value_or(program.sim_specs.method))},
                                    {"start", settings.start.value_or(program.sim_specs.start)},
                                    {"stop", settings.stop.value_or(program.sim_specs.stop)},
                                    {"dt", dt},
                                    {"save_step", settings.save_step.value_or(program.sim_specs.save_step.value_or(dt))},
                                    {"compile_ms", compile_ms},
                                    {"run_ms", run_ms},
                                    {"warnings", r.warnings}}
                         .dump());
    } catch (const ModelError &e) {
        throw to_holon_error(e);
    } catch (const nlohmann::json::exception &e) {
        throw holon::Error(HOLON_ERR_INVALID_PARAMS, std::string("params: ") + e.what());
    }
}

} // namespace holon_sd
