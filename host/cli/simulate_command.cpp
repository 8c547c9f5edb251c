// `holon simulate MODEL`: imports a System Dynamics model through the importer for its format and
// runs sd.simulate on it in a runner process, exactly as `holon run sd.simulate --model MODEL`
// would, then prints the series as CSV (or, with --bench N, one JSON line of timings).
#include "cli/cli_error.hpp"
#include "cli/commands.hpp"
#include "cli/model_input.hpp"
#include "cli/run_output.hpp"

#include <holon/holon_plugin.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>

namespace holon::cli {
namespace {

struct SimulateOptions {
    std::string model;
    std::string method;
    std::string vars;              // comma-separated
    std::vector<std::string> sets; // name=value
    std::string out;               // CSV file; "" = stdout
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

// The model's problem as one line: the file, then the variable or line/column the plugin named.
std::string describe_failure(const std::string &file, const runner::TaskOutcome &outcome) {
    std::string where;
    nlohmann::json details = nlohmann::json::parse(outcome.details_json, nullptr, false);
    if (details.is_object() && details.contains("line") && outcome.message.find("line ") == std::string::npos)
        where = ":" + details["line"].dump() + ":" + details.value("column", nlohmann::json(0)).dump();
    return file + where + ": " + outcome.message;
}

int simulate_command(const GlobalOptions &global, const SimulateOptions &options) {
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
    if (!outcome.ok()) {
        const bool input_problem = outcome.status == HOLON_ERR_INVALID_MODEL || outcome.status == HOLON_ERR_INVALID_PARAMS ||
                                   outcome.problem == "invalid-params" || outcome.problem == "invalid-model";
        throw CliError(input_problem ? exit_bad_input : exit_method_failed, describe_failure(options.model, outcome));
    }
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
    if (options.out.empty()) {
        write_csv(std::cout, *series);
        return exit_ok;
    }
    std::ofstream file(options.out, std::ios::binary | std::ios::trunc);
    if (!file) throw bad_input(options.out + ": cannot be written");
    write_csv(file, *series);
    if (!file.flush()) throw CliError(exit_method_failed, options.out + ": write failed");
    return exit_ok;
}

} // namespace

CommandRegistration add_simulate_command(CLI::App &app, GlobalOptions &global) {
    auto opts = std::make_shared<SimulateOptions>();
    auto *cmd = app.add_subcommand("simulate", "Simulate a System Dynamics model (XMILE, .stmx, holon-model JSON) and "
                                               "print its series as CSV");
    cmd->add_option("MODEL", opts->model, "The model file")->required();
    cmd->add_option("--method", opts->method, "Integration method")
        ->check(CLI::IsMember({"euler", "rk2", "rk4", "cvode"}));
    cmd->add_option("--vars", opts->vars, "Only these variables, comma-separated (an array name selects all its elements)");
    cmd->add_option("--set", opts->sets, "Override a constant or initial value: NAME=VALUE (repeatable)");
    cmd->add_option("--out", opts->out, "Write the CSV to this file instead of stdout");
    cmd->add_option("--import-params", opts->import_params,
                    "Params of the model's importer (JSON text or @FILE), e.g. {\"data_files\":[\"data.tab\"]}");
    cmd->add_option("--seed", opts->seed, "Seed of the random-number generator (statistical functions)");
    cmd->add_option("--bench", opts->bench,
                    "Run N simulations in one process after one warm-up and print one JSON line of timings");
    add_plugin_path_option(*cmd, global);
    return {cmd, [opts, &global] { return simulate_command(global, *opts); }};
}

} // namespace holon::cli
