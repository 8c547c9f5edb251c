// `holon`: the one user-facing binary. Subcommands live in their own files; this file only wires
// the command line to them and turns every failure into one line on stderr and an exit code.
#include "cli/cli_error.hpp"
#include "cli/commands.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

namespace {

std::string one_line(std::string s) {
    for (auto &c : s)
        if (c == '\n' || c == '\r') c = ' ';
    return s;
}

} // namespace

int main(int argc, char **argv) {
    using namespace holon::cli;
    CLI::App app{"Holon: run systems-thinking methods on one shared system-of-interest model", "holon"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("holon ") + HOLON_VERSION + " (plugin SDK " + HOLON_SDK_VERSION + ")");

    GlobalOptions global;
    auto add_plugin_path = [&global](CLI::App *cmd) {
        cmd->add_option("--plugin-path", global.plugin_paths,
                        "Extra folder holding plugins (repeatable; searched before HOLON_PLUGIN_PATH)");
    };

    PluginsOptions plugins_opts;
    auto *plugins = app.add_subcommand("plugins", "List the plugins found and their methods");
    plugins->add_flag("--json", plugins_opts.json, "Print a JSON array with every plugin, its methods and schemas");
    add_plugin_path(plugins);

    ModelValidateOptions validate_opts;
    auto *model = app.add_subcommand("model", "Work with shared-model files");
    model->require_subcommand(1);
    auto *validate = model->add_subcommand("validate", "Check a model file (holon-model/1 JSON or any importable format)");
    validate->add_option("FILE", validate_opts.file, "The model file")->required();
    add_plugin_path(validate);

    RunOptions run_opts;
    auto *run = app.add_subcommand("run", "Run one method of a plugin on a model");
    run->add_option("METHOD_ID", run_opts.method, "The method, e.g. cld.loops")->required();
    run->add_option("--model", run_opts.model, "The model file (holon-model/1 JSON or any importable format)");
    run->add_option("--params", run_opts.params, "Params as JSON text, or @FILE");
    run->add_option("--out", run_opts.out, "Write result.json, tables as CSV and files into this folder");
    run->add_option("--timeout", run_opts.wall_seconds, "Wall-clock limit in seconds");
    run->add_option("--cpu", run_opts.cpu_seconds, "CPU-time limit in seconds");
    run->add_option("--memory", run_opts.memory_mb, "Memory limit in MiB");
    run->add_option("--max-output", run_opts.output_mb, "Output size limit in MiB");
    run->add_flag("--quiet", run_opts.quiet, "No progress, warnings or notes on stderr");
    add_plugin_path(run);

    PluginCheckOptions check_opts;
    auto *plugin = app.add_subcommand("plugin", "Work with one plugin");
    plugin->require_subcommand(1);
    auto *check = plugin->add_subcommand("check", "Validate a plugin folder the way the host relies on it");
    check->add_option("PATH", check_opts.path, "The plugin folder (or its plugin.json)")->required();
    check->add_flag("--json", check_opts.json, "Print the checks as JSON");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp &e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp &e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion &e) {
        return app.exit(e);
    } catch (const CLI::ParseError &e) {
        std::cerr << "holon: " << one_line(e.what()) << " (see holon --help)\n";
        return exit_bad_input;
    }

    try {
        if (*plugins) return plugins_command(global, plugins_opts);
        if (*validate) return model_validate_command(global, validate_opts);
        if (*run) return run_command(global, run_opts);
        if (*check) return plugin_check_command(global, check_opts);
    } catch (const CliError &e) {
        std::cerr << "holon: " << one_line(e.what()) << '\n';
        return e.exit_code();
    } catch (const std::exception &e) {
        std::cerr << "holon: internal error: " << one_line(e.what()) << '\n';
        return exit_method_failed;
    }
    return exit_bad_input;
}
