// `holon simulate MODEL`: imports a System Dynamics model through the importer for its format and
// runs sd.simulate on it in a runner process, exactly as `holon run sd.simulate --model MODEL`
// would, then prints the series as CSV (or, with --bench N, one JSON line of timings) and, with
// --plot FILE, draws the chosen variables.
#include "cli/cli_error.hpp"
#include "cli/commands.hpp"
#include "cli/failure.hpp"
#include "cli/help_formats.hpp"
#include "cli/model_input.hpp"
#include "cli/run_output.hpp"
#include "cli/simulate_plot.hpp"
#include "suggest/suggest.hpp"

#include <holon/holon_plugin.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <vector>

namespace holon::cli {
namespace {

struct SimulateOptions {
    std::string model;
    std::string method;
    std::string vars;              // comma-separated
    std::vector<std::string> sets; // name=value
    std::string out;               // CSV file; "" = stdout
    std::string plot;              // PNG/SVG file; "" = none
    std::optional<double> start, stop, dt, save_step;
    std::optional<int> bench;
    std::optional<uint64_t> seed;
    std::string import_params;     // JSON text or @FILE, for the importer
};

constexpr const char *simulate_method = "sd.simulate";

std::vector<std::string> split_commas(const std::string &text) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        std::string item = text.substr(start, comma - start);
        while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) item.erase(0, 1);
        while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) item.pop_back();
        if (!item.empty()) out.push_back(item);
        start = comma + 1;
    }
    return out;
}

nlohmann::json make_params(const SimulateOptions &o) {
    nlohmann::json params = nlohmann::json::object();
    if (!o.method.empty()) params["method"] = o.method;
    if (!o.vars.empty()) params["variables"] = split_commas(o.vars);
    if (o.seed) params["seed"] = *o.seed;
    if (o.bench) params["bench"] = *o.bench;
    if (o.start) params["start"] = *o.start;
    if (o.stop) params["stop"] = *o.stop;
    if (o.dt) params["dt"] = *o.dt;
    if (o.save_step) params["save_step"] = *o.save_step;
    for (const std::string &set : o.sets) {
        size_t eq = set.rfind('=');
        if (eq == std::string::npos || eq == 0) throw bad_input("--set '" + set + "': expected NAME=VALUE");
        std::string value = set.substr(eq + 1);
        char *end = nullptr;
        double v = std::strtod(value.c_str(), &end);
        if (value.empty() || *end != '\0' || !std::isfinite(v))
            throw bad_input("--set '" + set + "': the value is not a number");
        params["overrides"][set.substr(0, eq)] = v;
    }
    return params;
}

// The params path of a refusal: the plugin's own (details.path) or the first schema violation the
// host found before running it (details.violations[0].path, with its message).
struct RefusedParam {
    std::string path, message;
};

RefusedParam refused_param(const runner::TaskOutcome &outcome) {
    const auto details = nlohmann::json::parse(outcome.details_json, nullptr, false);
    if (outcome.problem != "invalid-params" || !details.is_object()) return {};
    if (details.contains("path") && details["path"].is_string()) return {details["path"].get<std::string>(), outcome.message};
    if (details.contains("violations") && details["violations"].is_array() && !details["violations"].empty()) {
        const auto &v = details["violations"][0];
        if (v.is_object() && v.value("path", nlohmann::json()).is_string())
            return {v["path"].get<std::string>(), v.value("message", outcome.message)};
    }
    return {};
}

// The option a params path came from, so that a refusal names what the user typed.
std::string option_for(const std::string &path) {
    if (path.empty()) return {};
    static const std::map<std::string, std::string> options = {
        {"/variables", "--vars"}, {"/overrides", "--set"}, {"/start", "--start"}, {"/stop", "--stop"},
        {"/dt", "--dt"}, {"/save_step", "--save-step"}, {"/method", "--method"}, {"/seed", "--seed"}};
    for (const auto &[prefix, option] : options)
        if (path.rfind(prefix, 0) == 0) return option;
    return {};
}

// The model's problem as one line: the file, then the variable or line/column the plugin named,
// or, for a refused option, the option.
std::string describe_failure(const std::string &file, const runner::TaskOutcome &outcome) {
    const RefusedParam refused = refused_param(outcome);
    if (const std::string option = option_for(refused.path); !option.empty()) return option + ": " + refused.message;
    return file + line_column_of(outcome) + ": " + outcome.message + json_path_of(outcome);
}

// Units by variable name (compared case-insensitively, '_' as ' ') and the time units, from the
// holon-model/1 document.
struct ModelUnits {
    std::map<std::string, std::string> by_name;
    std::string time;
    std::string model_name;
};

std::string name_key(std::string s) {
    for (auto &c : s) c = c == '_' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

ModelUnits units_of(const std::string &model_json) {
    ModelUnits u;
    const auto doc = nlohmann::json::parse(model_json, nullptr, false);
    if (!doc.is_object()) return u;
    u.model_name = doc.value("name", std::string());
    if (doc.contains("variables") && doc["variables"].is_array())
        for (const auto &v : doc["variables"])
            if (v.is_object() && v.contains("name") && v["name"].is_string() && v.contains("units") && v["units"].is_string())
                u.by_name[name_key(v["name"].get<std::string>())] = v["units"].get<std::string>();
    const nlohmann::json::json_pointer time_units("/methods/sd/sim_specs/time_units");
    if (doc.contains(time_units) && doc.at(time_units).is_string()) u.time = doc.at(time_units).get<std::string>();
    return u;
}

void plot_series(const SimulateOptions &options, const runner::TableData &series, const std::string &model_json) {
    const ModelUnits units = units_of(model_json);
    PlotRequest r;
    r.file = options.plot;
    r.title = units.model_name.empty() ? std::filesystem::path(options.model).stem().string() : units.model_name;
    r.time_units = units.time;
    // The table's own display names and units (SDK 1.1) when the plugin gave them, else the model's.
    const auto own = [&series](const std::vector<std::string> &list, size_t c) {
        return list.size() == series.columns.size() ? list[c] : std::string();
    };
    for (size_t c = 0; c < series.columns.size(); ++c) {
        if (series.columns[c] == "time") {
            r.time = series.values[c];
            if (!own(series.units, c).empty()) r.time_units = own(series.units, c);
            continue;
        }
        PlotLine line;
        line.name = own(series.labels, c).empty() ? series.columns[c] : own(series.labels, c);
        line.units = own(series.units, c);
        const auto bracket = series.columns[c].find('[');
        if (auto it = units.by_name.find(name_key(series.columns[c].substr(0, bracket)));
            line.units.empty() && it != units.by_name.end())
            line.units = it->second;
        line.values = series.values[c];
        r.lines.push_back(std::move(line));
    }
    write_plot(r);
}

int simulate_command(const GlobalOptions &global, const SimulateOptions &options) {
    if (!options.plot.empty()) {
        if (plot_format(options.plot).empty())
            throw bad_input("--plot " + options.plot + ": the picture is written as PNG or SVG; name a .png or .svg file");
        const auto folder = std::filesystem::absolute(options.plot).parent_path();
        std::error_code ec;
        std::filesystem::create_directories(folder, ec); // as --out and `holon run --out` do
        if (ec) throw bad_input("--plot " + options.plot + ": cannot create its folder (" + ec.message() + ")");
        if (options.bench) throw bad_input("--plot and --bench cannot be used together");
    }
    HostSession session(global);
    auto &executor = session.executor();
    if (!executor.registry().find_method(simulate_method))
        throw bad_input(std::string("no plugin offers ") + simulate_method + " (see `holon plugins`)");
    if (options.bench && *options.bench < 1) throw bad_input("--bench needs a positive number of runs");

    execution::RunRequest req;
    req.method_id = simulate_method;
    req.params_json = make_params(options).dump();
    req.model_json = load_model_file(options.model, executor,
                                     options.import_params.empty() ? "{}" : read_params_argument(options.import_params))
                         .json;
    runner::TaskOutcome outcome = executor.run(req);
    if (!outcome.ok()) throw CliError(exit_code_of(outcome), describe_failure(options.model, outcome));
    if (options.bench) {
        nlohmann::json result = nlohmann::json::parse(outcome.result_json, nullptr, false);
        if (!result.is_object() || !result.contains("bench"))
            throw CliError(exit_method_failed, std::string(simulate_method) + " returned no bench figures");
        std::cout << result["bench"].dump() << '\n';
        return exit_ok;
    }
    // The run went through but something in it deserves a look (e.g. a subscript out of range).
    for (const auto &line : outcome.logs)
        if (line.level >= HOLON_LOG_WARNING) std::cerr << "warning: " << line.message << '\n';
    const runner::TableData *series = nullptr;
    for (const auto &t : outcome.tables)
        if (t.name == "series") series = &t;
    if (!series) throw CliError(exit_method_failed, std::string(simulate_method) + " returned no series table");
    if (!options.plot.empty()) plot_series(options, *series, req.model_json);
    if (options.out.empty()) {
        // With --plot the picture is the output; the CSV goes to stdout only when asked (--out -).
        if (options.plot.empty()) write_csv(std::cout, *series);
        return exit_ok;
    }
    if (options.out == "-") {
        write_csv(std::cout, *series);
        return exit_ok;
    }
    // As `holon run --out DIR` does, a folder that is not there yet is made.
    if (const auto folder = std::filesystem::path(options.out).parent_path(); !folder.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(folder, ec);
        if (ec) throw bad_input("--out " + options.out + ": cannot create its folder (" + ec.message() + ")");
    }
    if (!std::ofstream(options.out, std::ios::binary | std::ios::app)) throw bad_input(options.out + ": cannot be written");
    write_table_file(options.out, *series);
    return exit_ok;
}

} // namespace

CommandRegistration add_simulate_command(CLI::App &app, GlobalOptions &global) {
    auto opts = std::make_shared<SimulateOptions>();
    auto *cmd = app.add_subcommand("simulate", "Simulate a System Dynamics model and print its series as CSV (or draw "
                                               "them with --plot)");
    cmd->add_option("MODEL", opts->model, "The model file (see the formats below)")->required();
    cmd->add_option("--method", opts->method, "Integration method")
        ->check(CLI::Validator(
            [](std::string &value) -> std::string {
                static const std::vector<std::string> methods = {"euler", "rk2", "rk4", "cvode"};
                if (std::find(methods.begin(), methods.end(), value) != methods.end()) return {};
                return "'" + value + "' is not an integration method" + suggest::did_you_mean(value, methods) +
                       " (allowed: euler, rk2, rk4, cvode)";
            },
            "{euler,rk2,rk4,cvode}"));
    cmd->add_option("--start", opts->start, "Start time (default: the model's)");
    cmd->add_option("--stop", opts->stop, "Stop time (default: the model's)");
    cmd->add_option("--dt", opts->dt, "Time step (default: the model's)");
    cmd->add_option("--save-step", opts->save_step, "Interval between saved rows (default: the model's, else dt)");
    cmd->add_option("--vars", opts->vars,
                    "Only these variables, comma-separated, as named in the model (an array name selects all its elements)");
    cmd->add_option("--set", opts->sets, "Override a constant or initial value: NAME=VALUE (repeatable)");
    cmd->add_option("--out", opts->out,
                    "Write the CSV (and FILE.columns.csv with the units) to this file instead of stdout, or an Excel "
                    "workbook when FILE ends in .xlsx (- for stdout with --plot)");
    cmd->add_option("--plot", opts->plot,
                    "Draw the series (those of --vars, else all) with gnuplot into FILE: .png or .svg");
    cmd->add_option("--import-params", opts->import_params,
                    "Params of the model's importer (JSON text or @FILE), e.g. {\"data_files\":[\"data.tab\"]}");
    cmd->add_option("--seed", opts->seed, "Seed of the random-number generator (statistical functions)");
    cmd->add_option("--bench", opts->bench,
                    "Run N simulations in one process after one warm-up and print one JSON line of timings");
    add_plugin_path_option(*cmd, global);
    describe_formats(*cmd, FormatsShown::models_and_simulate_outputs, &global);
    return {cmd, [opts, &global] { return simulate_command(global, *opts); }};
}

} // namespace holon::cli
