// Units of measure and the dimensional check of a model's equations (sd.check-units). A unit is
// a product of named base units with integer exponents ("people/Month", "kg*m/s^2", "1/day");
// "dmnl", "dimensionless", "unitless" and "1" are the empty product. Numbers in equations take
// whatever units their context needs (as Stella and Simlin treat them).
#pragma once

#include "ir/model.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace holon_sd {

// Base unit (canonical name) -> exponent; never holds a zero exponent.
using Units = std::map<std::string, int>;

// Parses a unit expression; nullopt when it is not one (e.g. free text).
std::optional<Units> parse_units(const std::string &text);

// "people/Month", "1" for the empty product.
std::string format_units(const Units &u);

// Which unit names mean the same unit. A model's own definitions (XMILE <model_units>) come first:
// an alias is its unit ("person" is "People"), and a unit defined by an equation without a
// number ("N" = "kg*m/s^2") is that equation. A unit defined with a scale factor ("week" =
// "7*day") stays a unit of its own: Holon does not convert units, so a week where a day is
// expected is a finding. Then the built-in aliases (builtin_unit_aliases()) for names the model
// does not define; where the model defines one name of a built-in group, the others follow it.
// A definition that refers to itself stays a unit of its own and is reported in problems().
class UnitTable {
public:
    explicit UnitTable(const std::vector<UnitDefinition> &definitions = {});

    // As parse_units, with every name replaced by the unit it stands for.
    std::optional<Units> parse(const std::string &text) const;
    // One line per definition that could not be used, e.g. an equation that is not a unit.
    const std::vector<std::string> &problems() const { return problems_; }

private:
    Units resolve(const std::string &name) const;
    std::map<std::string, std::string> primary_; // canonical name -> canonical name of its unit
    std::map<std::string, Units> expansion_;     // canonical unit name -> the base units it stands for
    std::vector<std::string> problems_;
};

// Groups of names that are one unit when a model does not say otherwise, first name the one
// reported: Vensim's default unit equivalences (the same list every new Vensim model gets) and
// the plurals Stella accepts.
const std::vector<std::vector<std::string>> &builtin_unit_aliases();

struct UnitFinding {
    std::string variable;
    std::string expected; // the declared units (or what the stock needs of its flow)
    std::string found;    // what the equation computes
    std::string message;  // one line for a person
};

// Checks every variable with declared units (names read through UnitTable(model.units)): the equation's units must be the declared ones;
// a stock's flows must carry the stock's units per time unit; operands of +, -, comparisons,
// MIN/MAX and IF branches must agree; exp, ln and trig need dimensionless arguments. Variables
// without units, and parts that cannot be inferred, are not reported. Never throws for unit
// problems; throws ModelError only for equations that do not parse.
std::vector<UnitFinding> check_units(const Model &model);

} // namespace holon_sd
