// The `holon` subcommands. Each returns its exit code and throws CliError for one-line failures.
#pragma once

#include "cli/host_session.hpp"

#include <optional>
#include <string>
#include <vector>

namespace holon::cli {

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
    std::string out;          // output folder; "" prints the result JSON to stdout
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
