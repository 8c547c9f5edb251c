// The formats a subcommand accepts and writes, listed under its --help. Model formats come from
// the importers the installed plugins declare (discovered only when help is shown).
#pragma once

#include "cli/host_session.hpp"

namespace CLI {
class App;
}

namespace holon::cli {

enum class FormatsShown {
    everything,                  // `holon --help`: models, and each command's outputs
    models,                      // `holon model validate`
    models_and_run_outputs,      // `holon run`
    models_and_simulate_outputs, // `holon simulate`
    models_and_batch_outputs,    // `holon batch`: the models a step's input may be
};

// Sets the command's help footer; `global` supplies --plugin-path folders given before --help.
void describe_formats(CLI::App &command, FormatsShown shown, const GlobalOptions *global = nullptr);

} // namespace holon::cli
