// How a failed run becomes the CLI's one line and exit code, the same for every subcommand
// (docs/cli.md): 2 when what the user handed in was refused (unknown method, invalid params or
// model, whoever refused it: the host before the run or the plugin itself), 1 for everything
// else that went wrong while the method ran (it reported an error, crashed, hit a limit, gave an
// invalid result, or could not do what was asked: "unsupported").
#pragma once

#include "runner/task_types.hpp"

#include <string>

namespace holon::cli {

int exit_code_of(const runner::TaskOutcome &outcome);

// ":LINE:COLUMN" when the failure's details name a position in a source file and the message
// does not already say so, else "".
std::string line_column_of(const runner::TaskOutcome &outcome);

// " (at params /x)" / " (at model /variables/3/equation)" when the details name a JSON path the
// message does not already contain, else "".
std::string json_path_of(const runner::TaskOutcome &outcome);

} // namespace holon::cli
