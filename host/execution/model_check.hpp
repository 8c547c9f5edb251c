// Checks of a model that need a plugin, run when a model is validated or stored (CLI `holon model
// validate` and every command taking --model, REST model uploads, replacements and patches), so
// that a model that cannot run is refused up front instead of at its first run.
//
// Today one: a model written for the sd plugin (equations, and simulation settings under
// methods.sd.sim_specs or a variable's sd block) is checked by the plugin's sd.check, which
// resolves every equation (unknown names, flows, dimensions) and names the JSON path of the
// first problem. The host does not tokenise equations itself: two equation languages
// (XMILE, Vensim translated to XMILE), builtins, arrays, modules and macros live in the plugin, and
// a light scan here would refuse valid models or miss what the compiler sees.
#pragma once

#include "execution/executor.hpp"

#include <string>

namespace holon::execution {

// The method that resolves SD equations.
inline constexpr const char *equation_check_method = "sd.check";

// An ok outcome when there is nothing to check (not an SD model, or no plugin offers sd.check) or
// the check passed; otherwise the check's failed outcome (problem "invalid-model",
// details {"path", "variable", "unknown", "did_you_mean"}). `model_json` must already be a valid
// holon-model/1 document.
runner::TaskOutcome check_model_with_plugins(const Executor &executor, const std::string &model_json,
                                             const std::string &workspace = "");

} // namespace holon::execution
