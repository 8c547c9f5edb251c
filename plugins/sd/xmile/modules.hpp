// XMILE modules (XMILE 1.0 sections 3.7 and 4.7): a <module> in one model's variables is an
// instance of another <model>; its <connect> elements feed the instance's inputs from variables
// of the model around it. Holon flattens the whole hierarchy into one model: the variable `v` of
// module `A` becomes the variable "A.v" (nested: "A.B.v"), with its equation rewritten to the
// instance names, so every instance has its own stocks and `A.v` reads the same from anywhere.
#pragma once

#include "ir/model.hpp"

#include <optional>
#include <string>
#include <vector>

namespace holon_sd {

struct ModuleConnection {
    std::string to;   // the input inside the module: "input" or "A.input"
    std::string from; // a variable of the enclosing model: "x", "B.output" (a leading '.' allowed)
};

struct ModuleUse {
    std::string name;                         // the instance: "A"
    std::string model;                        // the <model name> it instantiates
    std::vector<ModuleConnection> connections;
    size_t position = 0;                      // how many of its model's variables precede it
    int line = 0, column = 0;
};

struct ModelDefinition {
    std::string name; // empty for the root model
    std::vector<Variable> variables;
    std::vector<ModuleUse> modules;
    std::optional<SimSpecs> sim_specs; // only when the <model> has its own
    int line = 0, column = 0;
};

inline constexpr int max_module_depth = 16;
inline constexpr int max_module_instances = 1000;

// Replaces out.variables with the flat variables of models[root] and its module instances.
// Sub-models' own sim_specs are ignored (the root's apply); a differing one adds a warning.
// Throws ModelError, naming the module, for a missing model, a connection to or from nothing,
// a module that contains itself, an arrayed variable in a module, or too many instances.
void flatten_modules(const std::vector<ModelDefinition> &models, size_t root, Model &out);

} // namespace holon_sd
