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

namespace holon::sd {

// Base unit (canonical name) -> exponent; never holds a zero exponent.
using Units = std::map<std::string, int>;

// Parses a unit expression; nullopt when it is not one (e.g. free text).
std::optional<Units> parse_units(const std::string &text);

// "people/Month", "1" for the empty product.
std::string format_units(const Units &u);

struct UnitFinding {
    std::string variable;
    std::string expected; // the declared units (or what the stock needs of its flow)
    std::string found;    // what the equation computes
    std::string message;  // one line for a person
};

// Checks every variable with declared units: the equation's units must be the declared ones;
// a stock's flows must carry the stock's units per time unit; operands of +, -, comparisons,
// MIN/MAX and IF branches must agree; exp, ln and trig need dimensionless arguments. Variables
// without units, and parts that cannot be inferred, are not reported. Never throws for unit
// problems; throws ModelError only for equations that do not parse.
std::vector<UnitFinding> check_units(const Model &model);

} // namespace holon::sd
