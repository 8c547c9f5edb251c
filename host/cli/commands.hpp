// The `holon` subcommands. Each returns its exit code and throws CliError for one-line failures.
#pragma once

#include "cli/host_session.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace holon::cli {

// A subcommand registers its options on the parser and says what to run when it is chosen.
// Adding a subcommand = one file defining an add_*_command function + one line in main.cpp.
struct CommandRegistration {
    CLI::App *command;           // the (leaf) subcommand; chosen when *command is true
    std::function<int()> action; // runs it; returns the exit code or throws CliError
};

// --plugin-path, for subcommands that discover plugins.
void add_plugin_path_option(CLI::App &command, GlobalOptions &global);

CommandRegistration add_plugins_command(CLI::App &app, GlobalOptions &global);
CommandRegistration add_model_validate_command(CLI::App &app, GlobalOptions &global);
CommandRegistration add_run_command(CLI::App &app, GlobalOptions &global);
CommandRegistration add_plugin_check_command(CLI::App &app, GlobalOptions &global);
CommandRegistration add_batch_command(CLI::App &app, GlobalOptions &global); // batch_command.cpp
CommandRegistration add_simulate_command(CLI::App &app, GlobalOptions &global); // simulate_command.cpp
CommandRegistration add_serve_command(CLI::App &app, GlobalOptions &global);    // serve_command.cpp
CommandRegistration add_backup_command(CLI::App &app, GlobalOptions &global);   // serve_command.cpp
CommandRegistration add_restore_command(CLI::App &app, GlobalOptions &global);  // serve_command.cpp
CommandRegistration add_store_command(CLI::App &app, GlobalOptions &global);    // store_command.cpp

struct PluginsOptions {
    bool json = false;
};
int plugins_command(const GlobalOptions &global, const PluginsOptions &options);

struct ModelValidateOptions {
    std::string file;
};
int model_validate_command(const GlobalOptions &global, const ModelValidateOptions &options);

struct RunOptions {
    std::string method;
    std::string model;        // file; optional for methods that need no model
    std::string params;       // JSON text or @FILE
    std::string import_params; // params of the importer of a non-JSON --model: JSON text or @FILE
    std::string out;          // output folder; "" prints the result JSON to stdout
    bool xlsx = false;        // with out: also every table in one workbook, tables.xlsx
    std::optional<double> wall_seconds, cpu_seconds;
    std::optional<double> memory_mb, output_mb;
    bool quiet = false;
};
int run_command(const GlobalOptions &global, const RunOptions &options);

struct PluginCheckOptions {
    std::string path;         // a plugin folder or its plugin.json
    bool json = false;
};
int plugin_check_command(const GlobalOptions &global, const PluginCheckOptions &options);

// Reads --params: inline JSON, or @FILE.
std::string read_params_argument(const std::string &arg);

} // namespace holon::cli
