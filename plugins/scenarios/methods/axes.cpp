#include "methods/axes.hpp"

namespace holon_scenarios::methods {

std::vector<matrix2x2::Driver> drivers_of(const model::ScenarioSet &set) {
    std::vector<matrix2x2::Driver> drivers;
    for (size_t d = 0; d < set.descriptors.size(); ++d)
        if (set.descriptors[d].impact && set.descriptors[d].uncertainty)
            drivers.push_back({static_cast<int>(d), *set.descriptors[d].impact, *set.descriptors[d].uncertainty});
    return matrix2x2::rank_drivers(drivers);
}

std::array<matrix2x2::Axis, 2> axes_from(const model::ScenarioSet &set, const json &params) {
    std::array<matrix2x2::Axis, 2> axes;
    if (params.contains("axes")) {
        const json &a = params["axes"];
        if (!a.is_array() || a.size() != 2) invalid_params("axes must list two axes");
        for (size_t k = 0; k < 2; ++k) {
            const int d = set.descriptor_index(text_param(a[k], "descriptor", ""));
            if (d < 0) invalid_params("axes: unknown descriptor '" + text_param(a[k], "descriptor", "") + "'");
            axes[k].descriptor = d;
            const json poles = a[k].value("poles", json::array());
            const auto &variants = set.descriptors[static_cast<size_t>(d)].variants;
            if (poles.is_array() && poles.size() == 2) {
                for (size_t p = 0; p < 2; ++p) {
                    int found = -1;
                    for (size_t v = 0; v < variants.size(); ++v)
                        if (poles[p].is_string() && variants[v].id == poles[p].get<std::string>()) found = static_cast<int>(v);
                    if (found < 0) invalid_params("axes: descriptor '" + set.descriptors[static_cast<size_t>(d)].id + "' has no pole '" + poles[p].dump() + "'");
                    axes[k].poles[p] = found;
                }
            } else if (variants.size() < 2) {
                invalid_params("axes: descriptor '" + set.descriptors[static_cast<size_t>(d)].id + "' has fewer than two variants");
            } else if (!poles.empty()) {
                invalid_params("axes: poles must name two variant ids");
            }
        }
        if (axes[0].descriptor == axes[1].descriptor) invalid_params("axes: the two axes need different descriptors");
        return axes;
    }
    size_t k = 0;
    for (const auto &driver : drivers_of(set))
        if (k < 2 && set.descriptors[static_cast<size_t>(driver.descriptor)].variants.size() >= 2) axes[k++].descriptor = driver.descriptor;
    if (k < 2) invalid_params("give axes, or score at least two descriptors with impact and uncertainty");
    return axes;
}

} // namespace holon_scenarios::methods
