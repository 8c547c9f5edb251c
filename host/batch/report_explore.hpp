// The report section of an explore.* step (issue 21): the key numbers of its result as small
// tables, in the report's rounding (internal to holon_batch). Its pictures are the SVG files the
// method put beside result.json; the report inlines them.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace holon::batch {

// How a policy number of a design with levers reads: "contact_infectivity = 0.25".
using PolicyNamer = std::function<std::string(size_t policy)>;
// The units of an outcome or of a factor (by its name in the model: "duration"); "" if unknown.
using UnitsOf = std::function<std::string(const std::string &column)>;

// HTML tables of the key numbers of explore.sobol (S1/ST with their intervals per outcome and
// factor, S2 when computed), explore.morris (mu*, its interval, mu, sigma), explore.prim (the
// chosen box: coverage, density, mass, restricted dimensions, limits and quasi-p values),
// explore.robustness (each metric's value per policy and the preferred policy) and
// explore.features (scores); "" for any other method or a result of another shape.
std::string explore_tables(const std::string &method, const nlohmann::json &result, const PolicyNamer &policy_name,
                           const UnitsOf &units = {});

// The SVG pictures in a run's folder, by file name.
std::vector<std::filesystem::path> run_pictures(const std::filesystem::path &run_dir);

} // namespace holon::batch
