// csh.boundary-sensitivity's pure parts: which boundary judgements draw the model's boundary
// differently, the model variant each implies, and how a variant's outcomes differ from the
// baseline's. The method runs the variants through holon.invoke/1.
#pragma once

#include "core/model.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace holon_csh {

// "exclude": a perspective's is and ought disagree on whether the variable is inside the boundary
// (bound on one side of a category and not the other); the variant puts it outside: the system no
// longer moves it (SD: held at its starting value; causal map: its links cut).
// "control": an exogenous variable that a perspective counts among the decision-maker's resources
// (category 5); the variant lets the decision-maker move it (SD: scaled by 1 + control_change;
// causal map: its incoming links cut, as a set lever).
struct BoundaryJudgement {
    std::string id;   // "J1", "J2", ... in detection order
    std::string type; // "exclude" or "control"
    Ref entity;       // the variable (or, for judgements that cannot be simulated, the actor)
    std::vector<std::string> records;
    std::vector<std::string> perspectives;
    std::vector<std::string> statements; // one sentence per perspective and category
    bool simulable = true;               // false for actors: they have no equation and no links
};

std::vector<BoundaryJudgement> boundary_judgements(const Model &m);

// Variables the category-3 measures name (directly or through an indicator); the model's outcome
// variables when no measure is bound.
std::vector<std::string> outcome_measures(const Model &m);

bool is_simulation_model(const nlohmann::json &doc); // any variable carries an equation

// A time series table by column name.
struct Series {
    std::vector<std::string> names;
    std::vector<std::vector<double>> columns;
    // The column of a variable, matched by name or id (case, spaces and underscores ignored);
    // nullptr when the run did not output it.
    const std::vector<double> *find(const std::string &name, const std::string &id) const;
};

// The variant document for one judgement. `start` gives the baseline's first value of each
// excluded variable (SD only).
nlohmann::json variant_model(const nlohmann::json &doc, const BoundaryJudgement &j, bool simulation,
                             const Series *baseline, double control_change);

struct MeasureEffect {
    std::string id, name;
    double baseline_final = 0, variant_final = 0, max_abs_delta = 0, max_rel_delta = 0;
    double final_rel_delta = 0; // (variant_final - baseline_final) / |baseline_final| (0 when the baseline ends at 0)
};

// Effects on each measure (rows compared in order; the shorter run bounds the comparison).
// max_rel_delta = max |variant - baseline| / max |baseline| over the run (|baseline| 0 -> abs).
std::vector<MeasureEffect> compare_measures(const Model &m, const std::vector<std::string> &measures, const Series &baseline,
                                            const Series &variant);

// Loops of a cld.loops result as sets of variable ids, by loop id.
std::map<std::string, std::vector<std::string>> loop_sets(const nlohmann::json &loops_result);

} // namespace holon_csh
