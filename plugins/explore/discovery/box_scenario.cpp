#include "discovery/box_scenario.hpp"

#include <cstdio>
#include <stdexcept>

namespace holon_explore::discovery {
namespace {

using nlohmann::json;

std::string num(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

json range_variant(const std::string &id, const std::string &name, const std::string &description, const std::string &variable,
                   double lo, double hi) {
    return {{"id", id},
            {"name", name},
            {"description", description},
            {"bindings", json::array({{{"variable", variable}, {"min", lo}, {"max", hi}}})}};
}

} // namespace

std::string as_id(const std::string &text) {
    std::string out;
    for (char c : text) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
                        c == ':' || c == '-';
        out += ok ? c : '_';
    }
    if (out.empty() || !((out[0] >= 'a' && out[0] <= 'z') || (out[0] >= 'A' && out[0] <= 'Z'))) out = "v" + out;
    return out.substr(0, 128);
}

json box_scenario_set(const std::vector<BoxDimension> &dimensions, const ScenarioNames &names) {
    json descriptors = json::array(), chosen = json::array();
    for (const BoxDimension &d : dimensions) {
        const bool low = d.lower != d.minimum, high = d.upper != d.maximum;
        if (!low && !high) continue;
        const std::string base = as_id(names.set_id + "." + d.variable);
        json variants = json::array();
        if (low)
            variants.push_back(range_variant(base + ".below", d.column + " below " + num(d.lower),
                                             "Below the box: " + num(d.minimum) + " to " + num(d.lower) + ".", d.variable,
                                             d.minimum, d.lower));
        variants.push_back(range_variant(base + ".box", d.column + " " + num(d.lower) + " to " + num(d.upper),
                                         "The box's range of " + d.column + ".", d.variable, d.lower, d.upper));
        if (high)
            variants.push_back(range_variant(base + ".above", d.column + " above " + num(d.upper),
                                             "Above the box: " + num(d.upper) + " to " + num(d.maximum) + ".", d.variable,
                                             d.upper, d.maximum));
        descriptors.push_back({{"id", base},
                               {"name", d.column},
                               {"description", "Swept from " + num(d.minimum) + " to " + num(d.maximum) +
                                                   "; split at the limits of the box."},
                               {"variables", json::array({d.variable})},
                               {"variants", std::move(variants)}});
        chosen.push_back(base + ".box");
    }
    if (descriptors.empty())
        throw std::invalid_argument("the box restricts no dimension (it is the whole data), so it names no scenario; pick a "
                                    "later box on the trajectory");
    return {{"id", names.set_id},
            {"name", names.set_name},
            {"kind", "sweep"},
            {"focal_question", names.narrative},
            {"descriptors", std::move(descriptors)},
            {"scenarios", json::array({{{"id", names.scenario_id},
                                        {"name", names.scenario_name},
                                        {"variants", std::move(chosen)},
                                        {"narrative", names.narrative}}})}};
}

} // namespace holon_explore::discovery
