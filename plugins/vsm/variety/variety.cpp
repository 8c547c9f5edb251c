#include "variety/variety.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace holon_vsm {

using nlohmann::json;

RequisiteVariety requisite_variety(const Rational &disturbances, const Rational &attenuation, const Rational &responses,
                                   const Rational &amplification, const Rational &acceptable) {
    RequisiteVariety v;
    v.disturbances_exact = disturbances / attenuation;
    v.responses_exact = responses * amplification;
    // A state is distinguished or not: an attenuator leaves at least ceil(D/a) classes, an
    // amplifier gives the regulator floor(R*m) whole responses (and always at least one).
    v.disturbances = std::max(Integer(1), ceil_of(v.disturbances_exact));
    v.responses = std::max(Integer(1), floor_of(v.responses_exact));
    v.minimum_outcomes = ceil_of(Rational(v.disturbances, v.responses));
    v.acceptable = std::max(Integer(1), floor_of(acceptable));
    v.disturbance_bits = log2_of(v.disturbances);
    v.response_bits = log2_of(v.responses);
    v.outcome_bits = log2_of(v.minimum_outcomes);
    v.acceptable_bits = log2_of(v.acceptable);
    v.requisite = v.minimum_outcomes <= v.acceptable;
    v.deficit_bits = v.requisite ? 0.0 : v.outcome_bits - v.acceptable_bits;
    return v;
}

TripleIndex triple_index(const Rational &actuality, const Rational &capability, const Rational &potentiality) {
    TripleIndex t;
    if (capability != 0) t.productivity = actuality / capability;
    if (potentiality != 0) {
        t.latency = capability / potentiality;
        t.performance = actuality / potentiality;
    }
    return t;
}

json rational_json(const Rational &r) { return {{"exact", to_fraction(r)}, {"value", to_double(r)}}; }

namespace {

json optional_rational(const std::optional<Rational> &r) { return r ? rational_json(*r) : json(nullptr); }

double bits_of(double amount, bool states) { return states ? (amount > 0 ? std::log2(amount) : 0.0) : amount; }

} // namespace

json variety_report(const Organisation &org) {
    json varieties = json::array(), not_assessable = json::array();
    struct UnitSum {
        double disturbance_bits = 0, response_bits = 0, deficit_bits = 0;
        int count = 0, short_of = 0;
    };
    std::map<int, UnitSum> per_unit;
    for (const Variety &v : org.varieties) {
        const Unit &u = org.units[static_cast<std::size_t>(v.unit)];
        if (!v.states || !v.responses) {
            not_assessable.push_back({{"variety", v.id}, {"unit", u.id}, {"unit_name", u.name},
                                      {"missing", !v.states ? "states (the disturbances to be managed)"
                                                            : "responses (the regulator's distinguishable responses)"}});
            continue;
        }
        const Rational one(1);
        const RequisiteVariety r = requisite_variety(
            parse_decimal(v.states->text), v.attenuation ? parse_decimal(v.attenuation->text) : one,
            parse_decimal(v.responses->text), v.amplification ? parse_decimal(v.amplification->text) : one,
            v.acceptable ? parse_decimal(v.acceptable->text) : one);
        varieties.push_back({{"id", v.id},
                             {"unit", u.id},
                             {"unit_name", u.name},
                             {"of", v.of},
                             {"states", v.states->value},
                             {"attenuation", v.attenuation ? v.attenuation->value : 1.0},
                             {"responses", v.responses->value},
                             {"amplification", v.amplification ? v.amplification->value : 1.0},
                             {"acceptable_outcomes", r.acceptable.convert_to<double>()},
                             {"acceptable_assumed", !v.acceptable},
                             {"disturbances_after_attenuation",
                              {{"exact", to_fraction(r.disturbances_exact)}, {"states", r.disturbances.convert_to<double>()},
                               {"bits", r.disturbance_bits}}},
                             {"responses_after_amplification",
                              {{"exact", to_fraction(r.responses_exact)}, {"states", r.responses.convert_to<double>()},
                               {"bits", r.response_bits}}},
                             {"minimum_outcomes", r.minimum_outcomes.convert_to<double>()},
                             {"outcome_bits", r.outcome_bits},
                             {"deficit_bits", r.deficit_bits},
                             {"requisite", r.requisite}});
        UnitSum &s = per_unit[v.unit];
        s.disturbance_bits += r.disturbance_bits;
        s.response_bits += r.response_bits;
        s.deficit_bits += r.deficit_bits;
        ++s.count;
        if (!r.requisite) ++s.short_of;
    }
    json units = json::array();
    for (const auto &[index, s] : per_unit) {
        const Unit &u = org.units[static_cast<std::size_t>(index)];
        units.push_back({{"id", u.id}, {"name", u.name}, {"level", u.level}, {"varieties", s.count},
                         {"short_of_requisite_variety", s.short_of}, {"disturbance_bits", s.disturbance_bits},
                         {"response_bits", s.response_bits}, {"deficit_bits", s.deficit_bits}});
    }
    json channels = json::array();
    for (const Channel &ch : org.channels) {
        if (!ch.capacity && !ch.demand && !ch.transducer) continue;
        const Unit &from = org.units[static_cast<std::size_t>(ch.from)];
        json row{{"id", ch.id}, {"type", channel_type_name(ch.type)}, {"from", from.id}, {"from_name", from.name},
                 {"measure", ch.in_states ? "states" : "bits"}};
        if (ch.to >= 0) {
            row["to"] = org.units[static_cast<std::size_t>(ch.to)].id;
            row["to_name"] = org.units[static_cast<std::size_t>(ch.to)].name;
        }
        std::optional<Rational> capacity, demand, transducer;
        if (ch.capacity) {
            capacity = parse_decimal(ch.capacity->text);
            row["capacity"] = ch.capacity->value;
            row["capacity_bits"] = bits_of(ch.capacity->value, ch.in_states);
        }
        if (ch.demand) {
            demand = parse_decimal(ch.demand->text);
            row["demand"] = ch.demand->value;
            row["demand_bits"] = bits_of(ch.demand->value, ch.in_states);
        }
        if (ch.transducer) {
            transducer = parse_decimal(ch.transducer->text);
            row["transducer"] = ch.transducer->value;
        }
        bool adequate = true;
        if (capacity && demand) {
            const Rational deficit = *demand > *capacity ? Rational(*demand - *capacity) : Rational(0);
            row["deficit"] = rational_json(deficit);
            adequate = adequate && deficit == 0;
        }
        if (capacity && transducer) {
            const Rational deficit = *capacity > *transducer ? Rational(*capacity - *transducer) : Rational(0);
            row["transducer_deficit"] = rational_json(deficit);
            adequate = adequate && deficit == 0;
        }
        row["adequate"] = capacity && (demand || transducer) ? json(adequate) : json(nullptr);
        channels.push_back(std::move(row));
    }
    json indices = json::array();
    for (const Indicator &ind : org.indicators) {
        if (!ind.capability || !ind.potentiality || ind.actuals.empty()) continue;
        const Rational a = parse_decimal(ind.actuals.back().text), c = parse_decimal(ind.capability->text),
                       p = parse_decimal(ind.potentiality->text);
        const TripleIndex t = triple_index(a, c, p);
        json row{{"indicator", ind.id}, {"name", ind.name}, {"actuality", ind.actuals.back().value},
                 {"capability", ind.capability->value}, {"potentiality", ind.potentiality->value},
                 {"productivity", optional_rational(t.productivity)}, {"latency", optional_rational(t.latency)},
                 {"performance", optional_rational(t.performance)}};
        if (!ind.actual_labels.back().empty()) row["at"] = ind.actual_labels.back();
        if (ind.unit >= 0) {
            row["unit"] = org.units[static_cast<std::size_t>(ind.unit)].id;
            row["unit_name"] = org.units[static_cast<std::size_t>(ind.unit)].name;
        }
        indices.push_back(std::move(row));
    }
    return {{"varieties", varieties}, {"units", units}, {"channels", channels}, {"triple_index", indices},
            {"not_assessable", not_assessable}};
}

} // namespace holon_vsm
