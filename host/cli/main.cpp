// `holon`: the one user-facing binary. Each subcommand lives in its own file and registers itself
// through an add_*_command function (see commands.hpp); this file only lists them and turns every
// failure into one line on stderr and an exit code.
#include "cli/cli_error.hpp"
#include "cli/commands.hpp"
#include "cli/help_formats.hpp"
#include "cli/usage_hint.hpp"

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
    // One line per subcommand.
    const std::vector<CommandRegistration> commands = {
        add_plugins_command(app, global),
        add_model_validate_command(app, global),
        add_run_command(app, global),
        add_plugin_check_command(app, global),
        add_batch_command(app, global),
        add_simulate_command(app, global),
        add_serve_command(app, global),
        add_backup_command(app, global),
        add_restore_command(app, global),
        add_store_command(app, global),
    };

    describe_formats(app, FormatsShown::everything, &global);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp &e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp &e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion &e) {
        return app.exit(e);
    } catch (const CLI::ParseError &e) {
        std::string command;
        const std::string hint = usage_hint(app, argc, argv, &command);
        std::cerr << "holon: " << (hint.empty() ? one_line(e.what()) + " (see " + command + " --help)" : hint) << '\n';
        return exit_bad_input;
    }

    try {
        for (const auto &c : commands)
            if (*c.command) return c.action();
    } catch (const CliError &e) {
        std::cerr << "holon: " << one_line(e.what()) << '\n';
        return e.exit_code();
    } catch (const std::exception &e) {
        std::cerr << "holon: internal error: " << one_line(e.what()) << '\n';
        return exit_method_failed;
    }
    return exit_bad_input;
}
