// Runs the real `holon` binary as a child process and captures what it prints.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace holon::test {

struct ProcessResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs `program args...` with extra environment variables (an empty value unsets one) and the
// given stdin text; waits for it.
ProcessResult run_process(const std::string &program, const std::vector<std::string> &args,
                          const std::map<std::string, std::string> &env = {});

// The number of lines in `s` (a trailing newline does not start a new line).
size_t line_count(const std::string &s);

} // namespace holon::test
