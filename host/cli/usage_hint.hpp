// A command line CLI11 refused, said the way a person would fix it: "unknown command 'simulat';
// did you mean 'simulate'?" or "unknown option '--stpo' for `holon simulate`; did you mean '--stop'?".
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace holon::cli {

// The better message for a parse error of `argv`, or "" when there is nothing better to say.
// `command` receives the command the line got as far as ("holon simulate"), for "see ... --help".
std::string usage_hint(const CLI::App &app, int argc, const char *const *argv, std::string *command = nullptr);

} // namespace holon::cli
