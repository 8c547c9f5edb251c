#include "batch/model_units.hpp"

#include <cctype>

namespace holon::batch {
namespace {

std::string folded(const std::string &s) {
    std::string out;
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        out += (c == ' ' || c == '_') ? '_' : static_cast<char>(std::tolower(c));
    }
    return out;
}

// XMILE's placeholder time units ("Time") and dimensionless ones say nothing.
bool telling(const std::string &units) {
    const std::string u = folded(units);
    return !u.empty() && u != "time" && u != "1" && u != "dmnl" && u != "dimensionless";
}

} // namespace

std::map<std::string, std::string> outcome_units(const StepSpec &step, const std::string &model_text) {
    std::map<std::string, std::string> out;
    const auto doc = nlohmann::json::parse(model_text, nullptr, false);
    if (!doc.is_object() || !doc.contains("variables") || !doc["variables"].is_array()) return out;
    std::map<std::string, std::string> of_variable; // folded name -> units
    for (const auto &v : doc["variables"])
        if (v.is_object() && v.value("name", nlohmann::json()).is_string() && v.value("units", nlohmann::json()).is_string())
            of_variable[folded(v["name"].get<std::string>())] = v["units"].get<std::string>();
    std::string time;
    if (const auto ptr = nlohmann::json::json_pointer("/methods/sd/sim_specs/time_units"); doc.contains(ptr) && doc[ptr].is_string())
        time = doc[ptr].get<std::string>();
    if (!telling(time)) time.clear();
    auto units_of = [&](const std::string &name) {
        auto it = of_variable.find(folded(name));
        return it == of_variable.end() || !telling(it->second) ? std::string() : it->second;
    };
    for (const auto &axis : step.axes)
        if (axis.rfind("overrides.", 0) == 0)
            if (const std::string u = units_of(axis.substr(10)); !u.empty()) out[axis.substr(10)] = u;
    if (!step.outcomes) return out;
    if (!time.empty()) out[step.outcomes->time] = time;
    for (const auto &o : step.outcomes->outcomes) {
        using runner::OutcomeKind;
        const std::string u = units_of(o.variable);
        std::string shown;
        switch (o.kind) {
        case OutcomeKind::time_of_min:
        case OutcomeKind::time_of_max:
        case OutcomeKind::crossing: shown = time; break;
        case OutcomeKind::integral: shown = u.empty() || time.empty() ? std::string() : u + "*" + time; break;
        default: shown = u;
        }
        if (!shown.empty()) out[o.name] = shown;
    }
    return out;
}

} // namespace holon::batch
