// Variety arithmetic (Ashby's law of requisite variety in its integer count form, channel
// capacity and transduction) and Beer's triple index, exact until printed.
#pragma once

#include "org/organisation.hpp"
#include "variety/exact.hpp"

#include <nlohmann/json.hpp>

#include <optional>

namespace holon_vsm {

struct RequisiteVariety {
    Rational disturbances_exact;   // D / attenuation
    Rational responses_exact;      // R * amplification
    Integer disturbances;          // ceil(D / attenuation): distinguishable states that reach the regulator
    Integer responses;             // floor(R * amplification), at least 1
    Integer minimum_outcomes;      // ceil(disturbances / responses)
    Integer acceptable;            // the goal set
    double disturbance_bits = 0, response_bits = 0, outcome_bits = 0, acceptable_bits = 0;
    double deficit_bits = 0;       // max(0, log2 minimum_outcomes - log2 acceptable)
    bool requisite = true;         // minimum_outcomes <= acceptable
};

RequisiteVariety requisite_variety(const Rational &disturbances, const Rational &attenuation, const Rational &responses,
                                   const Rational &amplification, const Rational &acceptable);

struct TripleIndex {
    std::optional<Rational> productivity; // A / C
    std::optional<Rational> latency;      // C / P
    std::optional<Rational> performance;  // A / P
};

TripleIndex triple_index(const Rational &actuality, const Rational &capability, const Rational &potentiality);

// {"exact": "2/3", "value": 0.666...}
nlohmann::json rational_json(const Rational &r);

// The vsm.variety result for the whole organisation.
nlohmann::json variety_report(const Organisation &org);

} // namespace holon_vsm
