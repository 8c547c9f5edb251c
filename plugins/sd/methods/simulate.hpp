// sd.simulate: simulates the stock-and-flow model and returns the table 'series'.
#pragma once

#include <holon/plugin.hpp>

#include <string>

namespace holon_sd {

// The display name Stella prints for a variable of an XMILE model (the column headers of its
// exports, e.g. the modules_hares_and_foxes and modules_with_complex_idents outputs in the simlin
// test suite): a line break in the name (written "\n") as a space, and a module variable as
// XMILE's qualified name "module.variable", its own name in double quotes when it holds
// characters other than letters, digits, spaces and underscores (a."module/output").
std::string stella_label(const std::string &name);

struct SimulateMethod {
    static holon::MethodInfo info();
    void run(holon::Context &ctx);
};

} // namespace holon_sd
