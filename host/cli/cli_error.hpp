// How a CLI command fails: a one-line message and an exit code.
#pragma once

#include <stdexcept>
#include <string>

namespace holon::cli {

// Exit codes every subcommand uses.
inline constexpr int exit_ok = 0;
inline constexpr int exit_method_failed = 1; // the method ran and failed (or some batch points failed)
inline constexpr int exit_bad_input = 2;     // bad usage, unreadable file, invalid model or params

class CliError : public std::runtime_error {
public:
    CliError(int exit_code, const std::string &message) : std::runtime_error(message), exit_code_(exit_code) {}
    int exit_code() const { return exit_code_; }

private:
    int exit_code_;
};

inline CliError bad_input(const std::string &message) { return CliError(exit_bad_input, message); }

} // namespace holon::cli
