// A scenario set of the shared model (holon-model/1 /scenario_sets/*), read into plain structs.
#pragma once

#include "cib/matrix.hpp"
#include "morphological/field.hpp"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace holon_scenarios::model {

// A model that cannot be used; the methods turn it into HOLON_ERR_INVALID_MODEL.
class ModelError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Binding {
    std::string variable; // id in /variables
    std::optional<double> value, min, max;
};
struct Variant {
    std::string id, name, description;
    std::vector<Binding> bindings;
};
struct Descriptor {
    std::string id, name, description;
    std::optional<double> impact, uncertainty; // 2x2 driver scores
    std::vector<Variant> variants;
};
struct Cell {
    int from_descriptor, from_variant, to_descriptor, to_variant;
    double number = 0;    // cross-impact and consistency cells
    bool allowed = true;  // cross-consistency cells
    std::string basis;    // cross-consistency: logical, empirical or normative
};
struct Matrix {
    std::string id, name, kind;
    std::vector<Cell> cells;
    // A cross-impact matrix marked "self_impacts": true may hold cells within one descriptor
    // (ScenarioWizard's diagonal blocks); the impact balances include them.
    bool self_impacts = false;
};
struct NamedScenario {
    std::string id, name, narrative;
    std::vector<std::string> variants, signposts;
};

struct ScenarioSet {
    std::string id, name, kind;
    std::vector<Descriptor> descriptors;
    std::vector<Matrix> matrices;
    std::vector<NamedScenario> scenarios;

    std::vector<int> variant_counts() const;
    // (descriptor, variant) of a variant id; throws ModelError when unknown.
    std::pair<int, int> locate(const std::string &variant_id) const;
    int descriptor_index(const std::string &descriptor_id) const; // -1 when unknown
    std::vector<const Matrix *> matrices_of_kind(const std::string &kind) const;
};

// The set with the given id, or the first set that has a matrix of `preferred_kind` (any set when
// empty) when the id is empty. Throws ModelError.
ScenarioSet read_set(const nlohmann::json &model, const std::string &set_id, const std::string &preferred_kind = {});

// Cross-impact cells must be integers (exact arithmetic); several cells on one pair add up.
cib::Matrix to_cib(const ScenarioSet &set, const Matrix &m);
// Every cross-consistency matrix of the set, intersected.
morphological::CrossConsistency to_cross_consistency(const ScenarioSet &set);

// Variable id -> display name over /variables (sd.simulate addresses variables by name).
std::map<std::string, std::string> variable_names(const nlohmann::json &model);

} // namespace holon_scenarios::model
