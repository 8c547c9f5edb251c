#include "methods/variety_method.hpp"

#include "methods/common.hpp"
#include "text/csv.hpp"
#include "variety/variety.hpp"
#include "vsm_schemas.hpp"

namespace holon_vsm::methods {
namespace {

using holon_plugins::text::CsvWriter;
using holon_plugins::text::csv_number;

std::string text_of(const nlohmann::json &v) {
    if (v.is_null()) return {};
    if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
    if (v.is_number()) return csv_number(v.get<double>());
    if (v.is_string()) return v.get<std::string>();
    if (v.is_object() && v.contains("value")) return text_of(v["value"]); // an exact rational
    return v.dump();
}

std::string field(const nlohmann::json &row, const char *key) { return text_of(row.value(key, nlohmann::json())); }

std::string states_of(const nlohmann::json &row, const char *key, const char *part) {
    return row.contains(key) ? text_of(row[key].value(part, nlohmann::json())) : std::string();
}

// One row per variety estimate, named and in its units (states, bits), readable without the model.
std::string varieties_csv(const nlohmann::json &report) {
    CsvWriter csv;
    csv.row({"id", "variety of", "unit", "unit name", "disturbances (states)", "attenuation (factor)",
             "disturbances after attenuation (states)", "disturbances after attenuation (bits)", "responses (states)",
             "amplification (factor)", "responses after amplification (states)", "responses after amplification (bits)",
             "minimum outcomes (states)", "acceptable outcomes (states)", "outcomes (bits)", "deficit (bits)",
             "requisite"});
    for (const auto &v : report["varieties"])
        csv.row({field(v, "id"), field(v, "of"), field(v, "unit"), field(v, "unit_name"), field(v, "states"),
                 field(v, "attenuation"), states_of(v, "disturbances_after_attenuation", "states"),
                 states_of(v, "disturbances_after_attenuation", "bits"), field(v, "responses"),
                 field(v, "amplification"), states_of(v, "responses_after_amplification", "states"),
                 states_of(v, "responses_after_amplification", "bits"), field(v, "minimum_outcomes"),
                 field(v, "acceptable_outcomes"), field(v, "outcome_bits"), field(v, "deficit_bits"),
                 field(v, "requisite")});
    return csv.text();
}

// One row per channel; its capacity, demand and transducer are in the channel's own measure.
std::string channels_csv(const nlohmann::json &report) {
    CsvWriter csv;
    csv.row({"id", "type", "from", "from name", "to", "to name", "measure", "capacity", "demand", "deficit",
             "transducer", "transducer deficit", "adequate"});
    for (const auto &c : report["channels"])
        csv.row({field(c, "id"), field(c, "type"), field(c, "from"), field(c, "from_name"), field(c, "to"),
                 field(c, "to_name"), field(c, "measure"), field(c, "capacity"), field(c, "demand"), field(c, "deficit"),
                 field(c, "transducer"), field(c, "transducer_deficit"), field(c, "adequate")});
    return csv.text();
}

} // namespace

holon::MethodInfo VarietyMethod::info() {
    return {"vsm.variety", "Variety arithmetic",
            "Ashby's law of requisite variety in its integer count form per variety estimate (states and bits after "
            "attenuation and amplification, minimum outcomes ceil(D/R), deficit in bits against the acceptable outcomes), "
            "channel capacity and transducers against the variety they must carry, and Beer's triple index per indicator; "
            "exact rationals until printed. The estimates and channels are also put as varieties.csv and channels.csv "
            "(names and units in the header).",
            schemas::variety_params.data(), schemas::variety_result.data(), HOLON_METHOD_KIND_ANALYSIS,
            HOLON_METHOD_FLAG_CONCURRENT};
}

void VarietyMethod::run(holon::Context &ctx) {
    (void)holon::read_params(ctx);
    const Organisation org = organisation_of(holon::read_model(ctx));
    const nlohmann::json report = variety_report(org);
    ctx.put_blob("varieties.csv", "text/csv", varieties_csv(report));
    ctx.put_blob("channels.csv", "text/csv", channels_csv(report));
    ctx.put_json(report.dump());
}

} // namespace holon_vsm::methods
