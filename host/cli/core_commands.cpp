#include "cli/cli_error.hpp"
#include "cli/commands.hpp"
#include "cli/help_formats.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace holon::cli {

void add_plugin_path_option(CLI::App &command, GlobalOptions &global) {
    command.add_option("--plugin-path", global.plugin_paths,
                       "Extra folder holding plugins (repeatable; searched before HOLON_PLUGIN_PATH)");
}

CommandRegistration add_plugins_command(CLI::App &app, GlobalOptions &global) {
    auto opts = std::make_shared<PluginsOptions>();
    auto *cmd = app.add_subcommand("plugins", "List the plugins found and their methods");
    cmd->add_flag("--json", opts->json, "Print a JSON array with every plugin, its methods and schemas");
    add_plugin_path_option(*cmd, global);
    return {cmd, [opts, &global] { return plugins_command(global, *opts); }};
}

CommandRegistration add_model_validate_command(CLI::App &app, GlobalOptions &global) {
    auto opts = std::make_shared<ModelValidateOptions>();
    CLI::App *model = nullptr;
    try {
        model = app.get_subcommand("model"); // another model subcommand may have made it already
    } catch (const CLI::OptionNotFound &) {
    }
    if (!model) {
        model = app.add_subcommand("model", "Work with shared-model files");
        model->require_subcommand(1);
    }
    auto *cmd = model->add_subcommand("validate", "Check a model file (holon-model/1 JSON or any importable format)");
    cmd->add_option("FILE", opts->file, "The model file (see the formats below)")->required();
    add_plugin_path_option(*cmd, global);
    describe_formats(*cmd, FormatsShown::models, &global);
    return {cmd, [opts, &global] { return model_validate_command(global, *opts); }};
}

CommandRegistration add_run_command(CLI::App &app, GlobalOptions &global) {
    auto opts = std::make_shared<RunOptions>();
    auto *cmd = app.add_subcommand("run", "Run one method of a plugin on a model");
    cmd->add_option("METHOD_ID", opts->method, "The method, e.g. cld.loops")->required();
    cmd->add_option("--model", opts->model, "The model file (see the formats below)");
    // Given but empty ('' as well as ' ') is a slip, not "no params": say so instead of running with {}.
    const auto not_blank = CLI::Validator(
        [](std::string &value) -> std::string {
            return value.find_first_not_of(" \t\r\n") == std::string::npos ? "the params are empty: give a JSON object, e.g. {}"
                                                                             : std::string();
        },
        "JSON");
    cmd->add_option("--params", opts->params, "Params as JSON text, or @FILE")->check(not_blank);
    cmd->add_option("--import-params", opts->import_params,
                    "Params of the importer of a non-JSON --model (JSON text or @FILE), e.g. {\"data_files\":[\"data.tab\"]}")
        ->check(not_blank);
    cmd->add_option("--out", opts->out, "Write result.json, tables as CSV and files into this folder");
    cmd->add_flag("--xlsx", opts->xlsx, "With --out: also write every table into one Excel workbook, tables.xlsx");
    cmd->add_option("--timeout", opts->wall_seconds, "Wall-clock limit in seconds");
    cmd->add_option("--cpu", opts->cpu_seconds, "CPU-time limit in seconds");
    cmd->add_option("--memory", opts->memory_mb, "Memory limit in MiB");
    cmd->add_option("--max-output", opts->output_mb, "Output size limit in MiB");
    cmd->add_flag("--quiet", opts->quiet, "No progress, warnings or notes on stderr");
    add_plugin_path_option(*cmd, global);
    describe_formats(*cmd, FormatsShown::models_and_run_outputs, &global);
    return {cmd, [opts, &global] { return run_command(global, *opts); }};
}

CommandRegistration add_plugin_check_command(CLI::App &app, GlobalOptions &global) {
    auto opts = std::make_shared<PluginCheckOptions>();
    auto *plugin = app.add_subcommand("plugin", "Work with one plugin");
    plugin->require_subcommand(1);
    auto *cmd = plugin->add_subcommand("check", "Validate a plugin folder the way the host relies on it");
    cmd->add_option("PATH", opts->path, "The plugin folder (or its plugin.json)")->required();
    cmd->add_flag("--json", opts->json, "Print the checks as JSON");
    return {cmd, [opts, &global] { return plugin_check_command(global, *opts); }};
}

} // namespace holon::cli
