#include "xmile/modules.hpp"

#include "ir/error.hpp"
#include "ir/names.hpp"
#include "xmile/equation_names.hpp"
#include "xmile/limits.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <string>
#include <vector>

namespace holon_sd {

namespace {

std::string strip_leading_dot(const std::string &name) {
    size_t b = 0;
    while (b < name.size() && (name[b] == '.' || name[b] == ' ')) ++b;
    return name.substr(b);
}

std::string model_label(const ModelDefinition &m) { return m.name.empty() ? "the root model" : "model '" + m.name + "'"; }

bool same_specs(const SimSpecs &a, const SimSpecs &b) {
    return a.start == b.start && a.stop == b.stop && a.dt == b.dt && a.method == b.method;
}

class Flattener {
public:
    Flattener(const std::vector<ModelDefinition> &models, Model &out) : models_(models), out_(out) {}

    struct Size {
        size_t variables = 0; // flattened, capped just above max_model_variables
        size_t height = 0;    // levels of modules below the model
    };

    // What models[index] flattens to, worked out before anything is copied (each model once), so
    // a small document instantiating a large model many times is refused at once. Refuses, with
    // the messages instantiate() would give, modules that contain themselves or nest too deep.
    Size measure(size_t index, const std::string &prefix, std::vector<size_t> &stack,
                 std::map<size_t, Size> &known) const {
        if (auto it = known.find(index); it != known.end()) return it->second;
        const ModelDefinition &def = models_[index];
        Size size{std::min(def.variables.size(), max_model_variables + 1), 0};
        for (const ModuleUse &m : def.modules) {
            const std::string name = prefix + m.name;
            if (stack.size() > static_cast<size_t>(max_module_depth))
                fail(m, "module '" + name + "': modules nested more than " + std::to_string(max_module_depth) + " deep");
            size_t sub = find_model(m);
            for (size_t s : stack)
                if (s == sub) fail(m, "module '" + name + "' contains itself: " + chain(stack, sub));
            stack.push_back(sub);
            const Size inner = measure(sub, name + ".", stack, known);
            stack.pop_back();
            if (stack.size() + inner.height > static_cast<size_t>(max_module_depth))
                fail(m, "module '" + name + "': modules nested more than " + std::to_string(max_module_depth) + " deep");
            size.variables = std::min(size.variables + inner.variables, max_model_variables + 1);
            size.height = std::max(size.height, inner.height + 1);
        }
        known[index] = size;
        return size;
    }

    std::vector<Variable> instantiate(size_t index, const std::string &prefix, std::vector<size_t> &stack) {
        const ModelDefinition &def = models_[index];
        const bool root = prefix.empty();
        const std::string instance = root ? std::string() : prefix.substr(0, prefix.size() - 1);
        // Every name this model's equations may use: its own variables and, through "B.v",
        // those of the modules it contains.
        std::map<std::string, std::string> local;
        for (const Variable &v : def.variables) {
            if (!root && (!v.dimensions.empty() || !v.elements.empty()))
                throw ModelError("module '" + instance + "': arrayed variable '" + v.name + "' of " + model_label(def) +
                                     " (arrays inside modules are not supported)",
                                 prefix + v.name);
            local.emplace(canonical_name(v.name), prefix + v.name);
        }
        std::vector<std::vector<Variable>> nested(def.modules.size());
        for (size_t j = 0; j < def.modules.size(); ++j) {
            const ModuleUse &m = def.modules[j];
            const std::string name = prefix + m.name;
            if (++instances_ > max_module_instances)
                fail(m, "module '" + name + "': more than " + std::to_string(max_module_instances) + " module instances");
            if (stack.size() > static_cast<size_t>(max_module_depth))
                fail(m, "module '" + name + "': modules nested more than " + std::to_string(max_module_depth) + " deep");
            size_t sub = find_model(m);
            for (size_t s : stack)
                if (s == sub) fail(m, "module '" + name + "' contains itself: " + chain(stack, sub));
            warn_about_specs(sub, name);
            stack.push_back(sub);
            nested[j] = instantiate(sub, name + ".", stack);
            stack.pop_back();
            for (const Variable &v : nested[j]) {
                auto [it, inserted] = local.emplace(canonical_name(v.name.substr(prefix.size())), v.name);
                if (!inserted)
                    fail(m, "module '" + name + "': its variable '" + v.name + "' has the same name as variable '" +
                                it->second + "' of " + model_label(def));
            }
        }
        connect(def, prefix, local, nested);

        std::vector<Variable> own = def.variables;
        if (!root)
            for (Variable &v : own) rename(v, def, instance, prefix, local);
        std::vector<Variable> flat;
        for (size_t i = 0; i <= own.size(); ++i) {
            for (size_t j = 0; j < def.modules.size(); ++j)
                if (def.modules[j].position == i)
                    for (Variable &v : nested[j]) flat.push_back(std::move(v));
            if (i < own.size()) flat.push_back(std::move(own[i]));
        }
        return flat;
    }

private:
    [[noreturn]] static void fail(const ModuleUse &m, const std::string &what) {
        throw ModelError(what + " (line " + std::to_string(m.line) + ", column " + std::to_string(m.column) + ")", m.name,
                         m.line, m.column);
    }

    size_t find_model(const ModuleUse &m) const {
        const std::string wanted = canonical_name(m.model.empty() ? m.name : m.model);
        for (size_t i = 0; i < models_.size(); ++i)
            if (!models_[i].name.empty() && canonical_name(models_[i].name) == wanted) return i;
        fail(m, "module '" + m.name + "': there is no model named '" + (m.model.empty() ? m.name : m.model) + "'");
    }

    std::string chain(const std::vector<size_t> &stack, size_t again) const {
        std::string out;
        bool started = false;
        for (size_t s : stack) {
            started = started || s == again;
            if (started) out += "'" + models_[s].name + "' -> ";
        }
        return out + "'" + models_[again].name + "'";
    }

    void warn_about_specs(size_t sub, const std::string &instance) {
        const ModelDefinition &def = models_[sub];
        if (!def.sim_specs || same_specs(*def.sim_specs, out_.sim_specs) || !warned_.insert(sub).second) return;
        out_.warnings.push_back("model '" + def.name + "' has its own sim_specs; module '" + instance +
                                "' runs with the root model's (start, stop, dt and method)");
    }

    // Each connection makes a module input read a variable of the model around the module. Stella
    // lists under one <module> the connections of its siblings too ("lynxes.density" from
    // "hares.density"), each as <connect> and again as <connect2>: a `to` names a module input
    // of this model, relative to the <module> it is listed under or qualified with any module.
    // It reaches one level only: an input of a module nested deeper is connected inside the model
    // that holds that module, so no connection silently replaces another made there.
    void connect(const ModelDefinition &def, const std::string &prefix, const std::map<std::string, std::string> &local,
                 std::vector<std::vector<Variable>> &nested) {
        std::map<std::string, std::pair<size_t, size_t>> inputs; // relative canonical name -> (module, variable)
        std::set<std::string> deeper;                             // variables of modules inside those modules
        for (size_t j = 0; j < nested.size(); ++j) {
            const ModuleUse &m = def.modules[j];
            std::set<std::string> own;
            for (const Variable &v : models_[find_model(m)].variables) own.insert(canonical_name(m.name + "." + v.name));
            for (size_t i = 0; i < nested[j].size(); ++i) {
                std::string relative = canonical_name(nested[j][i].name.substr(prefix.size()));
                if (own.count(relative)) inputs.emplace(std::move(relative), std::make_pair(j, i));
                else deeper.insert(std::move(relative));
            }
        }
        std::map<std::string, std::string> connected; // input -> canonical source
        for (const ModuleUse &m : def.modules) {
            const std::string name = prefix + m.name;
            for (const ModuleConnection &c : m.connections) {
                const std::string to = canonical_name(strip_leading_dot(c.to));
                auto target = inputs.find(canonical_name(m.name) + "." + to);
                if (target == inputs.end()) target = inputs.find(to);
                if (target == inputs.end() && (deeper.count(canonical_name(m.name) + "." + to) || deeper.count(to)))
                    fail(m, "module '" + name + "': connection to '" + c.to + "' from '" + c.from +
                                "' reaches into a module nested inside a module; connect that input in the model "
                                "that holds its module");
                if (target == inputs.end())
                    fail(m, "module '" + name + "': connection to '" + c.to + "', which model '" +
                                (m.model.empty() ? m.name : m.model) + "' does not define");
                auto source = local.find(canonical_name(strip_leading_dot(c.from)));
                if (source == local.end())
                    fail(m, "module '" + name + "': connection from '" + c.from + "', which " + model_label(def) +
                                " does not define");
                auto [previous, first] = connected.emplace(target->first, canonical_name(source->second));
                if (!first && previous->second != canonical_name(source->second))
                    fail(m, "module '" + name + "': input '" + c.to + "' is connected to two different variables");
                // Stella marks a stock as an input to show another module's stock inside this
                // one: connected, it only reads that stock.
                Variable &input = nested[target->second.first][target->second.second];
                if (input.kind == VariableKind::stock) {
                    if (!input.inflows.empty() || !input.outflows.empty())
                        fail(m, "module '" + name + "': input '" + c.to +
                                    "' is a stock with flows, which a connection cannot replace");
                    input.kind = VariableKind::aux;
                    input.non_negative = false;
                }
                input.equation = quoted_name(source->second);
                input.gf.reset();
            }
        }
    }

    static void rename(Variable &v, const ModelDefinition &def, const std::string &instance, const std::string &prefix,
                       const std::map<std::string, std::string> &local) {
        const std::string full = prefix + v.name;
        auto rename_one = [&](const NameReference &r) -> std::optional<std::string> {
            const std::string c = canonical_name(r.name);
            if (auto it = local.find(c); it != local.end()) return quoted_name(it->second);
            // Else an element or dimension name inside [...] (a variable there is a computed subscript).
            if (r.in_subscript || r.called || is_reserved_name(c)) return std::nullopt;
            throw ModelError("module '" + instance + "': variable '" + v.name + "' refers to '" + r.name + "', which " +
                                 model_label(def) + " does not define",
                             full);
        };
        try {
            v.equation = rename_references(v.equation, rename_one);
        } catch (const ModelError &e) {
            if (!e.variable().empty()) throw;
            throw ModelError("module '" + instance + "': variable '" + v.name + "': " + e.what(), full);
        }
        for (std::vector<std::string> *flows : {&v.inflows, &v.outflows})
            for (std::string &f : *flows) {
                auto it = local.find(canonical_name(f));
                if (it == local.end())
                    throw ModelError("module '" + instance + "': stock '" + v.name + "' names flow '" + f + "', which " +
                                         model_label(def) + " does not define",
                                     full);
                f = it->second;
            }
        v.name = full;
    }

    const std::vector<ModelDefinition> &models_;
    Model &out_;
    int instances_ = 0;
    std::set<size_t> warned_; // models whose sim_specs were warned about
};

} // namespace

void flatten_modules(const std::vector<ModelDefinition> &models, size_t root, Model &out) {
    Flattener flattener(models, out);
    std::vector<size_t> stack{root};
    std::map<size_t, Flattener::Size> known;
    if (flattener.measure(root, "", stack, known).variables > max_model_variables)
        throw ModelError("the modules would give the model more than " + std::to_string(max_model_variables) +
                             " variables (Holon's bound for modules and macros together)",
                         std::string());
    out.variables = flattener.instantiate(root, "", stack);
    std::set<std::string> root_names;
    for (const Variable &v : models[root].variables) root_names.insert(canonical_name(v.name));
    for (const Variable &v : out.variables)
        if (v.equation.empty() && v.elements.empty() && !v.gf)
            throw ModelError(root_names.count(canonical_name(v.name))
                                 ? "variable '" + v.name + "' has no equation"
                                 : "module input '" + v.name + "' has no equation and nothing connected to it",
                             v.name);
}

} // namespace holon_sd
