// The parsed job the runner works from (internal to holon_batch; nlohmann::json inside).
#pragma once

#include "batch/batch_document.hpp"
#include "runner/outcomes.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace holon::batch {

enum class SweepKind { none, grid, latin_hypercube, monte_carlo, scenarios, sobol, morris, factorial };
const char *to_string(SweepKind kind);

// One independent run of a step.
struct Point {
    size_t index = 0;
    std::string scenario;     // scenario sweeps: its name
    nlohmann::json values;    // array, one entry per StepSpec::axes (null where a scenario sets none)
    nlohmann::json patch;     // scenario sweeps: params merged into the step's; else null
    size_t policy = 0;        // designs with levers: which combination of lever values
};

// What a sensitivity design was made of, for design.json and the analyses that read it.
struct DesignInfo {
    size_t uncertainties = 0;  // the first axes; the levers follow
    size_t policies = 1;       // combinations of lever values (1 without levers)
    size_t rows_per_policy = 0;
    nlohmann::json document;   // design.json: kind, settings, uncertainties, levers, layout
};

struct StepOutputs {
    std::string table;                 // "" = the first table the method puts
    std::string time = "time";
    std::vector<std::string> variables; // empty = every column but time
    std::vector<std::string> plots;     // empty = the variables (at most 8 of them)
    bool tables = true;
    std::string colour_by;              // a swept variable's path; "" = the first one
};

struct StepSpec {
    size_t index = 0;
    std::string name, method;
    std::string input;      // an input name, or ""
    std::string model_from; // an earlier single-run step, or ""
    std::string tables_from; // an earlier step with outcomes whose tables are this step's inputs, or ""
    nlohmann::json params = nlohmann::json::object();
    SweepKind sweep = SweepKind::none;
    std::vector<std::string> axes; // param paths ("overrides.contact_infectivity")
    std::vector<Point> points;     // a step without a sweep has exactly one
    StepOutputs outputs;
    DesignInfo design;                      // sobol, morris, factorial
    std::optional<runner::OutcomeSpec> outcomes; // set: the step writes experiments/outcomes tables
    std::vector<std::string> depends_on; // steps whose outputs its params or model use
};

struct BatchSpec {
    std::string source_name;
    std::string name;
    std::string description;
    std::string hash;
    nlohmann::json document;
    std::vector<InputRef> inputs;
    std::vector<StepSpec> steps;
    bool fail_fast = false;
    std::optional<double> timeout_seconds;
};

// Sets `value` at a dot-separated path in `params`, creating objects on the way.
void set_at_path(nlohmann::json &params, const std::string &path, const nlohmann::json &value);
// Merges `patch` into `target`: objects key by key, anything else replaces.
void merge_patch(nlohmann::json &target, const nlohmann::json &patch);

} // namespace holon::batch
