// Small pieces of the batch report shared by its sections (internal to holon_batch): HTML text,
// the names people read for swept paths and columns, and what kind of sweep a step is.
#pragma once

#include "batch/files.hpp"
#include "batch/run_state.hpp"
#include "batch/statistics.hpp"

#include <optional>
#include <string>

namespace holon::batch {

inline std::string html(const std::string &s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

inline std::string value_text(const nlohmann::json &v) {
    if (v.is_null()) return "";
    if (v.is_number()) return number_text(v.get<double>(), true);
    return v.is_string() ? v.get<std::string>() : v.dump();
}

// A number as the report shows it: rounded to 4 significant digits (the files keep every digit).
inline std::string shown_value(const nlohmann::json &v) {
    if (v.is_number()) return rounded_text(v.get<double>());
    return value_text(v);
}

// "overrides.contact_infectivity" -> "contact_infectivity": the name the model gives it.
inline std::string short_name(const std::string &path) {
    const auto dot = path.rfind('.');
    return dot == std::string::npos ? path : path.substr(dot + 1);
}

// A column's display name (the method's label, else its id) and units ("" when unknown).
inline std::string label_of(const StepState &st, const std::string &column) {
    auto it = st.labels.find(column);
    return it == st.labels.end() || it->second.empty() ? column : it->second;
}
inline std::string units_of(const StepState &st, const std::string &column) {
    auto it = st.units.find(column);
    return it == st.units.end() ? std::string() : it->second;
}

// Draws of uncertain inputs, whose spread percentiles describe; a grid, a factorial design or
// scenarios are choices. By name, so that a new kind of sweep is a choice until listed here.
inline bool sampled_sweep(SweepKind kind) {
    const std::string name = to_string(kind);
    return name == "latin_hypercube" || name == "monte_carlo" || name == "sobol" || name == "morris";
}

inline std::string sample_name(SweepKind kind) {
    const std::string name = to_string(kind);
    if (name == "latin_hypercube") return "Latin hypercube";
    if (name == "monte_carlo") return "Monte Carlo";
    if (name == "sobol") return "Sobol design";
    if (name == "morris") return "Morris design";
    return name;
}

// The swept variable that colours the runs: outputs.colour_by, else the first one (scenarios:
// none, their names tell them apart).
inline std::optional<size_t> colour_axis(const StepSpec &step) {
    std::string want = step.outputs.colour_by;
    if (want.empty() && step.sweep != SweepKind::scenarios && !step.axes.empty()) want = step.axes.front();
    for (size_t d = 0; d < step.axes.size(); ++d)
        if (step.axes[d] == want) return d;
    return std::nullopt;
}

} // namespace holon::batch
